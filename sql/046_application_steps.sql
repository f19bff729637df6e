-- E-services (issue 17), step 3b: processing applications. Staff of the
-- application's department assign it to one of them, ask the applicant for
-- more (who answers), approve it (a generated answer is an issued document,
-- sql/043) or reject it with a reason. Every step is one history row with
-- its event; the ones the applicant should hear of become an entry in their
-- mailbox and, when their preference for 'own_applications' says so, a mail.
SELECT polis_lock_tables(ARRAY['inbox', 'inbox_entries', 'applications',
                               'application_history', 'notification_kinds',
                               'issued_documents']::regclass[]);

-- The employee handling it (staff of its department), NULL for none.
ALTER TABLE applications
    ADD COLUMN assignee_user_id bigint REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX applications_assignee ON applications (assignee_user_id, id)
    WHERE assignee_user_id IS NOT NULL;

-- event: what the step was. The submission (api/applications.c writes its
-- history row without naming it) is 'submitted', the default; 'receipt' is
-- the receipt document issued after it (jobs/). document_id: the answer or
-- receipt the step issued. assignee_user_id: whom 'assigned' gave it to.
-- requested: the codes of the documents 'info_requested' asks for.
ALTER TABLE application_history
    ADD COLUMN event text,
    ADD COLUMN document_id bigint REFERENCES issued_documents (id) ON DELETE SET NULL,
    ADD COLUMN assignee_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN requested jsonb CHECK (jsonb_typeof(requested) = 'array');
UPDATE application_history SET event = CASE to_status
    WHEN 'submitted' THEN 'submitted' WHEN 'info_requested' THEN 'info_requested'
    WHEN 'approved' THEN 'approved' WHEN 'rejected' THEN 'rejected' ELSE 'submitted' END;
ALTER TABLE application_history
    ALTER COLUMN event SET DEFAULT 'submitted',
    ALTER COLUMN event SET NOT NULL,
    ADD CONSTRAINT application_history_event CHECK (event IN ('submitted', 'receipt',
        'assigned', 'info_requested', 'info_given', 'approved', 'rejected'));

-- The receipt of a submission is issued by the server itself (jobs/receipts.c):
-- its history row's actor is 'system'. One receipt per application (two
-- processes racing for one: the second's insert fails and rolls back).
ALTER TABLE application_history DROP CONSTRAINT application_history_actor_role_check,
    ADD CONSTRAINT application_history_actor_role_check
        CHECK (actor_role IN ('citizen', 'staff', 'admin', 'system'));
CREATE UNIQUE INDEX issued_documents_one_receipt ON issued_documents (application_id)
    WHERE kind = 'receipt';
-- Receipts are issued for submissions from this migration on, not for those
-- before it (their applicants were told their number by the submission).
CREATE TABLE receipts_since (
    since timestamptz NOT NULL DEFAULT now(),
    one   boolean PRIMARY KEY DEFAULT true CHECK (one)
);
INSERT INTO receipts_since DEFAULT VALUES;

INSERT INTO notification_kinds (kind, position, default_email, staff_only, label_el, label_en)
VALUES ('own_applications', 5, 'immediate', false,
        'Οι αιτήσεις μου: αιτήματα συμπληρωμάτων, απαντήσεις και απορρίψεις',
        'My applications: requests for more, answers and rejections');

-- The applicant hears of what staff asked, answered or refused (and of the
-- receipt): an inbox row, and a mail when their preference for
-- 'own_applications' is 'immediate' ('daily' and 'off': the inbox only; the
-- daily digest lists reports). The submission's own inbox row is written by
-- its statement; an assignment, and the applicant's own answer, reach no one.
CREATE FUNCTION application_event_to_applicant() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    app record;
BEGIN
    IF NEW.event NOT IN ('receipt', 'info_requested', 'approved', 'rejected') THEN
        RETURN NULL;
    END IF;
    SELECT a.user_id, u.email::text AS email, u.language AS lang, s.title_el, s.title_en,
           pe.number || '/' || pe.year AS number,
           coalesce(p.email, k.default_email) AS mode
      INTO app
      FROM applications a JOIN users u ON u.id = a.user_id
      JOIN services s ON s.id = a.service_id
      LEFT JOIN protocol_entries pe ON pe.id = a.protocol_entry_id
      JOIN notification_kinds k ON k.kind = 'own_applications'
      LEFT JOIN notification_preferences p ON p.user_id = a.user_id AND p.kind = k.kind
     WHERE a.id = NEW.application_id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    INSERT INTO inbox (user_id, application_id, application_history_id)
    VALUES (app.user_id, NEW.application_id, NEW.id);
    IF app.mode = 'immediate' AND NEW.actor_user_id IS DISTINCT FROM app.user_id THEN
        INSERT INTO outbox (user_id, recipient, subject, body)
        VALUES (app.user_id, app.email,
            CASE WHEN app.lang = 'en' THEN
                CASE NEW.event WHEN 'receipt' THEN 'Receipt of your application '
                               WHEN 'info_requested' THEN 'More is needed for your application '
                               WHEN 'approved' THEN 'Answer to your application '
                               ELSE 'Your application was rejected: ' END
            ELSE
                CASE NEW.event WHEN 'receipt' THEN 'Απόδειξη της αίτησής σας '
                               WHEN 'info_requested' THEN 'Χρειάζονται συμπληρώματα για την αίτησή σας '
                               WHEN 'approved' THEN 'Απάντηση στην αίτησή σας '
                               ELSE 'Η αίτησή σας απορρίφθηκε: ' END
            END || coalesce(app.number, ''),
            (CASE WHEN app.lang = 'en' THEN app.title_en ELSE app.title_el END)
            || coalesce(' (' || app.number || ')', '') || E'\n\n'
            || coalesce(NEW.public_comment || E'\n\n', '')
            || CASE WHEN app.lang = 'en'
                    THEN 'See it in your mailbox on the municipality''s site.'
                    ELSE 'Δείτε τη στο ψηφιακό σας γραμματοκιβώτιο στον ιστότοπο του δήμου.' END
            || E'\n');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER application_event_to_applicant AFTER INSERT ON application_history
    FOR EACH ROW EXECUTE FUNCTION application_event_to_applicant();

-- Report entries are unchanged (sql/042); an application's entry says what
-- happened (kind) and, for an answer or a receipt, which document.
CREATE OR REPLACE VIEW inbox_entries AS
SELECT i.id, i.user_id, i.read_at,
       CASE WHEN i.application_id IS NULL THEN
       json_build_object('id', i.id, 'at', i.created_at,
           'read', i.read_at IS NOT NULL, 'report_id', i.report_id,
           'from', h.from_status, 'to', h.to_status, 'public_comment', h.public_comment,
           'department', d.code, 'category', c.code, 'category_name_el', c.name_el,
           'category_name_en', c.name_en,
           'kind', CASE WHEN i.message_id IS NOT NULL THEN 'message'
                        WHEN h.event = 'assigned' THEN 'assigned' ELSE 'status' END,
           'message_id', i.message_id, 'body', m.body,
           'message_from', CASE WHEN m.id IS NULL THEN NULL
               WHEN m.author_role = 'reporter' THEN 'reporter' ELSE 'staff' END)
       ELSE
       json_build_object('id', i.id, 'at', i.created_at,
           'read', i.read_at IS NOT NULL, 'application_id', i.application_id,
           'kind', CASE ah.event WHEN 'submitted' THEN 'application_received'
                                 WHEN 'receipt' THEN 'application_receipt'
                                 WHEN 'assigned' THEN 'application_assigned'
                                 WHEN 'info_requested' THEN 'application_info_requested'
                                 WHEN 'info_given' THEN 'application_info_given'
                                 WHEN 'approved' THEN 'application_answer'
                                 WHEN 'rejected' THEN 'application_rejected'
                                 ELSE 'application_status' END,
           'from', ah.from_status, 'to', ah.to_status, 'public_comment', ah.public_comment,
           'requested_documents', ah.requested,
           'document', CASE WHEN doc.id IS NOT NULL THEN json_build_object('id', doc.id,
               'code', doc.code, 'kind', doc.kind,
               'protocol_number', dpe.number || '/' || dpe.year) END,
           'service', s.code, 'service_title_el', s.title_el, 'service_title_en', s.title_en,
           'department', ad.code,
           'protocol_number', pe.number || '/' || pe.year)
       END AS entry
FROM inbox i
LEFT JOIN report_history h ON h.id = i.history_id
LEFT JOIN report_messages m ON m.id = i.message_id
LEFT JOIN reports r ON r.id = i.report_id
LEFT JOIN report_categories c ON c.id = r.category_id
LEFT JOIN departments d ON d.id = coalesce(h.department_id, r.department_id)
LEFT JOIN application_history ah ON ah.id = i.application_history_id
LEFT JOIN applications a ON a.id = i.application_id
LEFT JOIN services s ON s.id = a.service_id
LEFT JOIN departments ad ON ad.id = coalesce(ah.department_id, a.department_id)
LEFT JOIN protocol_entries pe ON pe.id = a.protocol_entry_id
LEFT JOIN issued_documents doc ON doc.id = ah.document_id
LEFT JOIN protocol_entries dpe ON dpe.id = doc.protocol_entry_id;
