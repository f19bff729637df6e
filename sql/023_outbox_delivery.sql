-- Delivery of the outbox over SMTP (issue 16). A sender (jobs/mail_sender.c,
-- in `polis serve` and `polis mail send`) claims due messages with FOR
-- UPDATE SKIP LOCKED and a lease, hands each to the SMTP server, and records
-- the server's answer. A message is retried with a growing delay until it
-- is older than the give-up time (POLIS_MAIL_GIVE_UP_AFTER_S), then marked
-- failed; an SMTP 5xx answer fails it at once.
--
-- handed_over_at (sql/019) is when the server accepted it (the "sent" time).
ALTER TABLE outbox
    ADD COLUMN attempts         integer NOT NULL DEFAULT 0,   -- deliveries tried so far
    ADD COLUMN next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN claimed_until    timestamptz,   -- a sender's lease; after it another may retry
    ADD COLUMN last_answer      text,          -- the SMTP server's last reply, or why none came
    ADD COLUMN failed_at        timestamptz,
    ADD COLUMN html             text,          -- the HTML part; NULL: made from body, escaped
    ADD COLUMN mail_message_id  text,          -- Message-ID without <>, fixed at the first attempt
                                               -- (not "message_id": outbox_handed_over's parameter)
    ADD COLUMN thread_key       text CHECK (thread_key ~ '^[a-z0-9.-]{1,64}$'),
                                               -- e.g. report-123: the root of the mail thread
    ADD COLUMN list_unsubscribe text CHECK (list_unsubscribe ~ '^https?://[^<>[:space:]]+$');
                                               -- one-click unsubscribe URL (notification mail)

-- A failed message says when it failed (rows failed before this migration:
-- their creation time, the best known).
UPDATE outbox SET failed_at = created_at WHERE status = 'failed';
ALTER TABLE outbox
    ADD CONSTRAINT outbox_failed_when CHECK ((status = 'failed') = (failed_at IS NOT NULL));

-- Rows a sender may claim: pending and due.
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';

-- The HTML part as it is mailed: the placeholder replaced by the token.
CREATE FUNCTION outbox_rendered_html(message outbox) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN message.token IS NULL THEN message.html
                ELSE replace(message.html, '{{token}}', message.token) END
$$;
