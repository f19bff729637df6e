-- E-services (issue 17), step 1: the service catalogue. A service is
-- something a citizen or a business applies for online (a certificate, a
-- permit), handled by one department of the municipality.
--
-- fields: the form's questions, the same typed definitions report
-- categories use (sql/006_reports.sql: {code, datatype, required, order,
-- description_el, description_en, values}), checked by
-- gis/report_attributes.c before any write, so an application is never
-- validated against a broken definition.
-- documents: what must be attached, a JSON array of {code, name_el,
-- name_en, types (among pdf, jpeg, png), max_kb, required}, checked by
-- services/service_documents.c. (Uploads come with a later step.)
-- applicants: who may apply: 'citizen' (a person), 'business' (with a tax
-- number) or 'any' signed-in account, as either.
-- answer_kind: whether the answer is a document polis generates
-- ('generated', certificates) or one staff upload ('uploaded', permits).
CREATE TABLE services (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_id bigint NOT NULL REFERENCES boundaries (id) ON DELETE CASCADE,
    code            text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
    title_el        text NOT NULL CHECK (length(title_el) BETWEEN 1 AND 200),
    title_en        text NOT NULL CHECK (length(title_en) BETWEEN 1 AND 200),
    description_el  text NOT NULL CHECK (length(description_el) BETWEEN 1 AND 5000),
    description_en  text NOT NULL CHECK (length(description_en) BETWEEN 1 AND 5000),
    department_id   bigint NOT NULL REFERENCES departments (id),
    fields          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(fields) = 'array'),
    documents       jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(documents) = 'array'),
    applicants      text NOT NULL CHECK (applicants IN ('citizen', 'business', 'any')),
    target_hours    integer NOT NULL CHECK (target_hours BETWEEN 1 AND 87600),
    answer_kind     text NOT NULL CHECK (answer_kind IN ('generated', 'uploaded')),
    active          boolean NOT NULL DEFAULT true,
    demo            boolean NOT NULL DEFAULT false,       -- hand-entered demo data
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (municipality_id, code)
);
CREATE INDEX services_department ON services (department_id);
