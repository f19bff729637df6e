-- E-services (issue 17): applications. A signed-in applicant starts a
-- draft of a service's form, edits it, and submits it; the submission gets
-- its protocol number (sql/041_protocol.sql) in the same statement, a
-- history row, an entry in the applicant's mailbox and a place in the queue
-- of the service's department (applications.department_id).
--
-- applicant_kind: a person ('citizen') or a business, which gives its tax
-- number (AFM, its check digit checked by services/afm.c) and name. The
-- statuses after 'submitted' are for the processing steps that follow.
-- A draft is its applicant's alone; staff see applications once submitted.
SELECT polis_lock_tables(ARRAY['inbox', 'inbox_entries', 'protocol_entries']::regclass[]);

CREATE TABLE applications (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id        bigint NOT NULL REFERENCES services (id),
    municipality_id   bigint NOT NULL REFERENCES boundaries (id),
    department_id     bigint NOT NULL REFERENCES departments (id),
    user_id           bigint REFERENCES users (id) ON DELETE SET NULL,
    applicant_kind    text NOT NULL CHECK (applicant_kind IN ('citizen', 'business')),
    tax_number        text CHECK (tax_number ~ '^[0-9]{9}$'),
    business_name     text CHECK (length(business_name) BETWEEN 1 AND 200),
    answers           jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(answers) = 'object'),
    status            text NOT NULL DEFAULT 'draft'
                      CHECK (status IN ('draft', 'submitted', 'in_progress', 'info_requested',
                                        'approved', 'rejected')),
    protocol_entry_id bigint UNIQUE REFERENCES protocol_entries (id),
    version           integer NOT NULL DEFAULT 1,   -- bumped by every change
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    submitted_at      timestamptz,
    due_at            timestamptz,
    CHECK ((status = 'draft') = (protocol_entry_id IS NULL)),
    CHECK ((status = 'draft') = (submitted_at IS NULL))
);
CREATE INDEX applications_user ON applications (user_id, id) WHERE user_id IS NOT NULL;
CREATE INDEX applications_queue ON applications (department_id, id) WHERE status <> 'draft';

ALTER TABLE protocol_entries ADD CONSTRAINT protocol_entries_application
    FOREIGN KEY (application_id) REFERENCES applications (id);
CREATE INDEX protocol_entries_application ON protocol_entries (application_id)
    WHERE application_id IS NOT NULL;

-- Every change of an application, written by the statement that makes it.
CREATE TABLE application_history (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    at             timestamptz NOT NULL DEFAULT now(),
    actor_user_id  bigint REFERENCES users (id) ON DELETE SET NULL,
    actor_role     text NOT NULL CHECK (actor_role IN ('citizen', 'staff', 'admin')),
    from_status    text,
    to_status      text NOT NULL,
    department_id  bigint REFERENCES departments (id),
    public_comment text CHECK (length(public_comment) <= 5000)
);
CREATE INDEX application_history_application ON application_history (application_id, id);

-- The mailbox (sql/006_reports.sql) also holds application events: an
-- entry is a report's history event, a report's message, or (new) an
-- application's history event, of kind 'application_received' when it is
-- the submission.
ALTER TABLE inbox
    ADD COLUMN application_id bigint REFERENCES applications (id) ON DELETE CASCADE,
    ADD COLUMN application_history_id bigint REFERENCES application_history (id) ON DELETE CASCADE;
CREATE INDEX inbox_application ON inbox (application_id) WHERE application_id IS NOT NULL;

-- Report entries are unchanged (sql/034); an application's entry names the
-- service and the protocol number.
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
           'kind', CASE WHEN ah.from_status = 'draft' THEN 'application_received'
                        ELSE 'application_status' END,
           'from', ah.from_status, 'to', ah.to_status, 'public_comment', ah.public_comment,
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
LEFT JOIN protocol_entries pe ON pe.id = a.protocol_entry_id;
