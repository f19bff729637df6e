-- The one-time token a message carries (email confirmation, password reset)
-- is kept apart from the message's stored text (issue 14): the body holds
-- the placeholder {{token}} where it goes (in the link and as the code to
-- paste), and the token itself sits in its own column only while the
-- message waits to be sent. The sender (issue 16) renders the text with
-- outbox_rendered_body(), hands the mail over, then calls
-- outbox_handed_over(id), which clears the token: from then on the database
-- holds no usable secret for that message (user_tokens keeps only digests).
-- The CHECK makes a sender that forgets to clear it fail loudly instead of
-- leaving live tokens in sent mail.
ALTER TABLE outbox
    ADD COLUMN token          text,          -- the secret while pending, else NULL
    ADD COLUMN handed_over_at timestamptz,   -- when the sender gave it to the mail system
    ADD CONSTRAINT outbox_token_only_while_pending CHECK (status = 'pending' OR token IS NULL);

-- The body as it is mailed: the placeholder replaced by the token.
CREATE FUNCTION outbox_rendered_body(message outbox) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN message.token IS NULL THEN message.body
                ELSE replace(message.body, '{{token}}', message.token) END
$$;

-- Marks a pending message handed over to the mail system (status 'sent')
-- and forgets its token. Returns false when there is no such pending message.
CREATE FUNCTION outbox_handed_over(message_id bigint) RETURNS boolean
LANGUAGE sql AS $$
    WITH m AS (UPDATE outbox SET status = 'sent', token = NULL, handed_over_at = now()
               WHERE id = message_id AND status = 'pending' RETURNING id)
    SELECT EXISTS (SELECT 1 FROM m)
$$;

-- Messages written before this migration carry the token in the body: move
-- it out, so that handing them over forgets it too.
UPDATE outbox o SET token = t.token, body = replace(o.body, t.token, '{{token}}')
FROM (SELECT id, substring(body FROM '\?token=([A-Za-z0-9_-]+)') AS token
      FROM outbox WHERE status = 'pending') t
WHERE o.id = t.id AND t.token IS NOT NULL;
