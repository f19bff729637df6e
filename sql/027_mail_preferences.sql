-- Notification mail that follows the preferences (issue 16): each person's
-- language, a daily digest, and RFC 8058 one-click unsubscribe.
--
-- 1. The language mail is written in: an account's (chosen at sign-up, changed
-- in the account), and an anonymous report's (the language it was filed in).
ALTER TABLE users
    ADD COLUMN language text NOT NULL DEFAULT 'el' CHECK (language IN ('el', 'en'));
ALTER TABLE reports
    ADD COLUMN contact_language text NOT NULL DEFAULT 'el'
        CHECK (contact_language IN ('el', 'en')),
    -- the anonymous reporter unsubscribed (one click in a mail): no more mail
    ADD COLUMN contact_mail_stopped_at timestamptz;

-- 2. The daily digest. The fan-out (jobs/notify_fanout.c) adds one row per
-- notification whose preference is 'daily'; the digest job (jobs/digest.c)
-- mails each user's rows once a day and deletes them. The wording is made
-- when the digest is written, in the user's language of that moment.
CREATE TABLE digest_items (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    report_id  bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    kind       text NOT NULL REFERENCES notification_kinds (kind),
    to_status  text,          -- a status change: the new status
    message    text,          -- a message: its text
    filed      boolean NOT NULL DEFAULT false,  -- the report's filing
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX digest_items_user ON digest_items (user_id, id);

-- One digest per user and day (Europe/Athens), whatever the number of
-- processes running the digest: the row is written in the transaction that
-- writes the mail, and a second writer of the same key fails or skips.
CREATE TABLE digest_sent (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day     date NOT NULL,
    items   integer NOT NULL,
    sent_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, day)
);

-- 3. One-click unsubscribe: the URL in a notification mail's
-- List-Unsubscribe carries a random token; only its SHA-256 is kept here,
-- bound to an account and a kind of notification, or to an anonymous
-- report (its contact e-mail). A token works once.
CREATE TABLE unsubscribe_tokens (
    token_hash bytea PRIMARY KEY,
    user_id    bigint REFERENCES users (id) ON DELETE CASCADE,
    kind       text REFERENCES notification_kinds (kind),
    report_id  bigint REFERENCES reports (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    used_at    timestamptz,
    -- an account's token with no kind is a digest's: it stops every kind
    -- mailed daily
    CHECK ((user_id IS NOT NULL AND report_id IS NULL)
        OR (user_id IS NULL AND kind IS NULL AND report_id IS NOT NULL))
);

-- 4. Like the one-time token of sql/019, a mail's unsubscribe token is kept
-- in the outbox only while the mail waits: the URL in list_unsubscribe and
-- in the text holds the placeholder {{unsubscribe}}, the sender renders it,
-- and handing the mail over (or giving up on it) forgets the token. From
-- then on only its digest is left (unsubscribe_tokens).
ALTER TABLE outbox
    ADD COLUMN unsubscribe_token text,
    ADD CONSTRAINT outbox_unsubscribe_token_only_while_pending
        CHECK (status = 'pending' OR unsubscribe_token IS NULL);

CREATE FUNCTION outbox_render(message outbox, t text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT replace(CASE WHEN message.token IS NULL THEN t
                        ELSE replace(t, '{{token}}', message.token) END,
                   '{{unsubscribe}}', coalesce(message.unsubscribe_token, '{{unsubscribe}}'))
$$;

CREATE OR REPLACE FUNCTION outbox_rendered_body(message outbox) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT outbox_render(message, message.body) $$;

CREATE OR REPLACE FUNCTION outbox_rendered_html(message outbox) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT outbox_render(message, message.html) $$;

CREATE FUNCTION outbox_rendered_list_unsubscribe(message outbox) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT outbox_render(message, message.list_unsubscribe) $$;

CREATE OR REPLACE FUNCTION outbox_handed_over(message_id bigint) RETURNS boolean
LANGUAGE sql AS $$
    WITH m AS (UPDATE outbox SET status = 'sent', token = NULL, unsubscribe_token = NULL,
                                 handed_over_at = now()
               WHERE id = message_id AND status = 'pending' RETURNING id)
    SELECT EXISTS (SELECT 1 FROM m)
$$;
