-- Citizen reports (issue 5): categories that route a report to a department,
-- the reports themselves (a point in the served municipality), their
-- history (every status change, who, when, public comment, internal note),
-- supports ("me too"), followers, and the personal inbox every history event
-- lands in. Personal data (reporter, contact details, internal notes) lives
-- in columns that only the reporter, staff of the department and admins see.

-- What a citizen can report, and which department handles it. fields are
-- extra questions with Open311 attribute semantics: a JSON array of
-- {code, datatype, required, order, description_el, description_en,
--  values: [{key, name_el, name_en}]} checked by gis/report_attributes.c
-- before any write. A private category (incidents involving persons) keeps
-- its reports out of every list a stranger can see.
CREATE TABLE report_categories (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_id bigint NOT NULL REFERENCES boundaries (id) ON DELETE CASCADE,
    code            text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
    name_el         text NOT NULL CHECK (length(name_el) BETWEEN 1 AND 200),
    name_en         text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
    department_id   bigint NOT NULL REFERENCES departments (id),
    icon            text CHECK (icon ~ '^[a-z0-9_-]{1,40}$'),
    active          boolean NOT NULL DEFAULT true,
    private         boolean NOT NULL DEFAULT false,
    fields          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(fields) = 'array'),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (municipality_id, code)
);

-- The workflow's states; the legal moves between them are in
-- gis/report_workflow.c.
CREATE TABLE reports (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category_id     bigint NOT NULL REFERENCES report_categories (id),
    department_id   bigint NOT NULL REFERENCES departments (id),
    municipality_id bigint NOT NULL REFERENCES boundaries (id),
    status          text NOT NULL DEFAULT 'submitted'
                    CHECK (status IN ('submitted', 'acknowledged', 'in_progress', 'resolved',
                                      'rejected', 'duplicate', 'reopened', 'closed')),
    duplicate_of    bigint REFERENCES reports (id) ON DELETE SET NULL,
    description     text NOT NULL CHECK (length(description) BETWEEN 1 AND 5000),
    address         text CHECK (length(address) <= 300),
    attributes      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
    geom            geometry(Point, 4326) NOT NULL,
    -- personal data: never in public output
    user_id         bigint REFERENCES users (id) ON DELETE SET NULL,
    contact_name    text CHECK (length(contact_name) <= 200),
    contact_email   text CHECK (length(contact_email) <= 254),
    contact_phone   text CHECK (length(contact_phone) <= 40),
    secret_hash     bytea NOT NULL,                -- SHA-256 of the tracking secret
    support_count   integer NOT NULL DEFAULT 0 CHECK (support_count >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    resolved_at     timestamptz,
    CHECK (status <> 'duplicate' OR duplicate_of IS NOT NULL),
    CHECK (duplicate_of IS NULL OR duplicate_of <> id)
);
CREATE INDEX reports_geom_gist ON reports USING gist (geom);
CREATE INDEX reports_geog_gist ON reports USING gist ((geom::geography));
CREATE INDEX reports_created ON reports (created_at);
CREATE INDEX reports_category_status ON reports (category_id, status);
CREATE INDEX reports_department ON reports (department_id, id);
CREATE INDEX reports_user ON reports (user_id) WHERE user_id IS NOT NULL;

-- Every change of a report, written by the statement that makes it.
CREATE TABLE report_history (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id      bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    at             timestamptz NOT NULL DEFAULT now(),
    actor_user_id  bigint REFERENCES users (id) ON DELETE SET NULL,
    actor_role     text NOT NULL CHECK (actor_role IN ('anonymous', 'citizen', 'staff', 'admin')),
    from_status    text,
    to_status      text NOT NULL,
    department_id  bigint REFERENCES departments (id),   -- the department after the change
    duplicate_of   bigint,
    public_comment text CHECK (length(public_comment) <= 5000),
    internal_note  text CHECK (length(internal_note) <= 5000)
);
CREATE INDEX report_history_report ON report_history (report_id, id);

-- One support per account ("me too"); support_count on reports counts them.
CREATE TABLE report_supports (
    report_id  bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (report_id, user_id)
);

-- Who hears about a report's changes: its reporter, and whoever supported it.
CREATE TABLE report_followers (
    report_id  bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (report_id, user_id)
);
CREATE INDEX report_followers_user ON report_followers (user_id);

-- The personal digital mailbox: one row per history event per follower.
CREATE TABLE inbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    report_id  bigint REFERENCES reports (id) ON DELETE CASCADE,
    history_id bigint REFERENCES report_history (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at    timestamptz
);
CREATE INDEX inbox_user ON inbox (user_id, id DESC);
CREATE INDEX inbox_unread ON inbox (user_id) WHERE read_at IS NULL;

-- Each history event reaches every follower's inbox in the statement that
-- wrote it, and a notification on polis_inbox (payload: the user id) lets a
-- server push it live; it is only delivered if the transaction commits.
CREATE FUNCTION report_history_to_inbox() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    uid bigint;
BEGIN
    FOR uid IN
        INSERT INTO inbox (user_id, report_id, history_id)
        SELECT f.user_id, NEW.report_id, NEW.id FROM report_followers f
        WHERE f.report_id = NEW.report_id
        RETURNING user_id
    LOOP
        PERFORM pg_notify('polis_inbox', uid::text);
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER report_history_to_inbox
    AFTER INSERT ON report_history
    FOR EACH ROW EXECUTE FUNCTION report_history_to_inbox();
