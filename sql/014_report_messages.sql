-- Messages on a report (issue 5): the reporter and the department exchange
-- messages about one report. Only the parties see them: the reporter
-- (signed in, or with the report's secret), staff of the report's
-- department and admins. A message reaches the other party's inbox in the
-- statement that stores it (the trigger below), with a notification on
-- polis_inbox per recipient, like the history events of sql/006_reports.sql.
CREATE TABLE report_messages (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id      bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    at             timestamptz NOT NULL DEFAULT now(),
    author_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
    author_role    text NOT NULL CHECK (author_role IN ('reporter', 'staff', 'admin')),
    body           text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000)
);
CREATE INDEX report_messages_report ON report_messages (report_id, id);

-- An inbox entry is a history event or a message.
ALTER TABLE inbox ADD COLUMN message_id bigint REFERENCES report_messages (id) ON DELETE CASCADE;
CREATE INDEX inbox_message ON inbox (message_id) WHERE message_id IS NOT NULL;

-- A message from staff or an admin reaches the reporter (when they have an
-- account; never the other followers or subscribers); a message from the
-- reporter reaches the staff of the report's department. Never the author.
CREATE FUNCTION report_message_to_inbox() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    uid bigint;
BEGIN
    FOR uid IN
        INSERT INTO inbox (user_id, report_id, message_id)
        SELECT w.user_id, NEW.report_id, NEW.id FROM (
            SELECT r.user_id FROM reports r
            WHERE r.id = NEW.report_id AND NEW.author_role <> 'reporter'
              AND r.user_id IS NOT NULL
            UNION
            SELECT ud.user_id FROM reports r
            JOIN user_departments ud ON ud.department_id = r.department_id
            JOIN users u ON u.id = ud.user_id AND u.role = 'staff'
            WHERE r.id = NEW.report_id AND NEW.author_role = 'reporter'
        ) w
        WHERE w.user_id IS DISTINCT FROM NEW.author_user_id
        RETURNING user_id
    LOOP
        PERFORM pg_notify('polis_inbox', uid::text);
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER report_message_to_inbox
    AFTER INSERT ON report_messages
    FOR EACH ROW EXECUTE FUNCTION report_message_to_inbox();
