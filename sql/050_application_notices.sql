-- Applications in the one notification loop (issues 16 and 17). Until now
-- the trigger of sql/046 wrote the applicant's mailbox entry and queued the
-- mail itself, inside the step's transaction: a second path beside the
-- report fan-out, whose mails had no one-click unsubscribe and which the
-- daily digest never listed. From here a step of an application only
-- queues its history row, like a report's event, and the fan-out job
-- (jobs/notify_fanout.c, notify/application_notice_sql.h) writes the
-- mailbox entry (committed, streams woken), then the mail or the digest
-- line that the applicant's preference for 'own_applications' asks for.
SELECT polis_lock_tables(ARRAY['notify_queue', 'application_history', 'digest_items']::regclass[]);

-- 1. The queue takes an application's history row as a third kind of event.
ALTER TABLE notify_queue
    ADD COLUMN application_history_id bigint,
    DROP CONSTRAINT notify_queue_check,
    ADD CONSTRAINT notify_queue_one_event
        CHECK (num_nonnulls(history_id, message_id, application_history_id) = 1);

-- 2. The steps the applicant hears of (the receipt, a request for more, the
-- answer, the rejection) are queued; an assignment and the applicant's own
-- answer reach no one, as before.
CREATE OR REPLACE FUNCTION application_event_to_applicant() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.event IN ('receipt', 'info_requested', 'approved', 'rejected') THEN
        INSERT INTO notify_queue (application_history_id) VALUES (NEW.id);
    END IF;
    RETURN NULL;
END $$;

-- 3. A line of the daily digest may be about an application's step: the
-- digest names it with its protocol number and links to the application.
ALTER TABLE digest_items
    ALTER COLUMN report_id DROP NOT NULL,
    ADD COLUMN application_history_id bigint
        REFERENCES application_history (id) ON DELETE CASCADE,
    ADD CONSTRAINT digest_items_one_subject
        CHECK (num_nonnulls(report_id, application_history_id) = 1);
