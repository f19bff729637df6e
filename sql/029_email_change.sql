-- Changing the e-mail address (issue 16). The new address waits in the
-- one-time token mailed to it (purpose 'email') and becomes the account's
-- only when that link is followed; until then the account keeps its old
-- address for sign-in and mail.
ALTER TABLE user_tokens
    ADD COLUMN new_email citext CHECK (length(new_email) <= 254),
    DROP CONSTRAINT user_tokens_purpose_check,
    ADD CONSTRAINT user_tokens_purpose_check CHECK (purpose IN ('confirm', 'reset', 'email')),
    ADD CONSTRAINT user_tokens_new_email_only_for_email
        CHECK ((purpose = 'email') = (new_email IS NOT NULL));
