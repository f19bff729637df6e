-- E-services (issue 17): the protocol book. Every incoming and outgoing
-- document of the municipality gets the next number of its year, N/YYYY,
-- gapless and never reused:
--   - the number comes from the counter row of (municipality, year), taken
--     with INSERT ... ON CONFLICT DO UPDATE ... RETURNING in the same
--     statement (and so transaction) as the entry it numbers
--     (services/protocol_sql.h, PROTOCOL_TAKE_NUMBER). The row lock makes
--     concurrent registrations queue on it and commit in number order; a
--     transaction that rolls back gives its number back with it.
--   - entries are never deleted and their number never changes: the
--     triggers below refuse it, whoever asks.
-- The year is the calendar year in Greece (Europe/Athens).
CREATE TABLE protocol_counters (
    municipality_id bigint NOT NULL REFERENCES boundaries (id) ON DELETE CASCADE,
    year            integer NOT NULL CHECK (year BETWEEN 2000 AND 9999),
    last_number     integer NOT NULL CHECK (last_number >= 1),
    PRIMARY KEY (municipality_id, year)
);

-- correspondent: the sender of an incoming entry, the recipient of an
-- outgoing one. channel: how it arrived or left; 'web' only through an
-- application submitted online (sql/042_applications.sql links it).
-- registered_by: the account that registered it (the applicant for 'web',
-- the employee otherwise); registered_by_label keeps who it was if the
-- account goes.
CREATE TABLE protocol_entries (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_id     bigint NOT NULL REFERENCES boundaries (id),
    year                integer NOT NULL CHECK (year BETWEEN 2000 AND 9999),
    number              integer NOT NULL CHECK (number >= 1),
    direction           text NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
    registered_at       timestamptz NOT NULL DEFAULT now(),
    subject             text NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
    correspondent       text NOT NULL CHECK (length(correspondent) BETWEEN 1 AND 300),
    channel             text NOT NULL CHECK (channel IN ('web', 'counter', 'phone', 'post', 'email')),
    application_id      bigint,   -- REFERENCES applications (sql/042)
    registered_by       bigint REFERENCES users (id) ON DELETE SET NULL,
    registered_by_label text NOT NULL CHECK (length(registered_by_label) BETWEEN 1 AND 254),
    UNIQUE (municipality_id, year, number)
);
CREATE INDEX protocol_entries_year ON protocol_entries (municipality_id, year, id);

CREATE FUNCTION protocol_entries_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.municipality_id, NEW.year, NEW.number)
            IS NOT DISTINCT FROM (OLD.municipality_id, OLD.year, OLD.number) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'protocol entries are never % (entry %/%)',
        CASE TG_OP WHEN 'UPDATE' THEN 'renumbered' ELSE 'deleted' END,
        coalesce(OLD.number::text, '?'), coalesce(OLD.year::text, '?')
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER protocol_entries_keep BEFORE UPDATE OR DELETE ON protocol_entries
    FOR EACH ROW EXECUTE FUNCTION protocol_entries_keep();

CREATE FUNCTION protocol_entries_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'protocol entries are never deleted'
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER protocol_entries_no_truncate BEFORE TRUNCATE ON protocol_entries
    FOR EACH STATEMENT EXECUTE FUNCTION protocol_entries_no_truncate();
