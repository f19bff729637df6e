-- Issue 14, privacy and idempotency.
--
-- 1. What the public sees of a report, decided in one place. Every public
--    output (the report list and detail for anyone who is not a party of the
--    report, Open311, the reports tile layer) reads these views, so a field
--    is public everywhere or nowhere.
--
--    report_public_fields: every report, with the columns that select rows
--    but are never shown (id, geometry, municipality, public), the public
--    fields as columns, and all of them at once as `properties` (a JSON
--    object of exactly the fields of the LATERAL list below: adding a field
--    there adds it to every output). Never here: the reporter (user_id,
--    contact_*), the tracking secret, internal notes, staff names, the
--    private flag of the category.
--
--    reports_public: the reports anyone may see (the category is not
--    private); same columns.
--
-- A query that reads only some columns computes only those (the LATERAL
-- list is pulled up): the photo and history look-ups run only for outputs
-- that show them.
CREATE VIEW report_public_fields AS
SELECT
    r.id,
    r.geom,
    r.geom_3857,
    r.municipality_id,
    NOT c.private AS public,
    f.*,
    to_jsonb(f) AS properties
FROM reports r
JOIN report_categories c ON c.id = r.category_id
JOIN departments d ON d.id = r.department_id
CROSS JOIN LATERAL (SELECT
    r.status,
    c.code AS category,
    c.name_el AS category_name_el,
    c.name_en AS category_name_en,
    d.code AS department,
    d.name_el AS department_name_el,
    d.name_en AS department_name_en,
    r.description,
    r.address,
    r.attributes,
    r.support_count,
    r.duplicate_of,
    r.created_at,
    r.updated_at,
    r.resolved_at,
    (SELECT coalesce(jsonb_agg('/api/v1/reports/' || p.report_id || '/photos/' || p.id
                               ORDER BY p.id), '[]'::jsonb)
       FROM report_photos p WHERE p.report_id = r.id) AS photos,
    r.media_url,
    (SELECT h.public_comment FROM report_history h
      WHERE h.report_id = r.id AND h.public_comment IS NOT NULL
      ORDER BY h.id DESC LIMIT 1) AS status_notes
) f;

CREATE VIEW reports_public AS
SELECT * FROM report_public_fields WHERE public;

-- The reports tile layer now shows photos and department names: their
-- changes bump it too (a status note comes with a write to reports, which
-- already does, sql/013_tile_layers.sql).
CREATE TRIGGER report_photos_layer_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON report_photos
    FOR EACH STATEMENT EXECUTE FUNCTION polis_layer_changed('reports');
CREATE TRIGGER departments_layer_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON departments
    FOR EACH STATEMENT EXECUTE FUNCTION polis_layer_changed('reports');

-- 2. Idempotency-Key on POST /api/v1/reports: a retry (same caller, same
--    key) after a lost answer gets the first answer again instead of a
--    second report. The row is written by the statement that files the
--    report (gis/reports_sql.c), so both exist or neither; a concurrent
--    request with the same key waits on the primary key and then fails with
--    a unique violation, and reads the winner's row. Rows older than 24 h
--    are ignored and deleted. The key itself is not stored (a digest), and
--    the report's tracking secret only encrypted with a key derived from the
--    Idempotency-Key, which only the client knows.
CREATE TABLE report_idempotency (
    caller       text NOT NULL,               -- 'user:<id>' or 'ip:<address>'
    key_digest   bytea NOT NULL CHECK (length(key_digest) = 32),
    request_hash bytea NOT NULL CHECK (length(request_hash) = 32), -- SHA-256 of the body
    report_id    bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    status       text NOT NULL,               -- the status answered at creation
    secret_box   bytea NOT NULL,              -- nonce || secretbox(tracking secret)
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, key_digest)
);
CREATE INDEX report_idempotency_created ON report_idempotency (created_at);
