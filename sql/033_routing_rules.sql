-- Routing by area (issue 18): which department a new report goes to.
--
-- A rule maps an area (a unit or community boundary, or a polygon of its
-- own), optionally narrowed to one category, to a department. A report
-- filed at a point goes to the department of the most specific rule whose
-- area holds the point:
--   1. a rule for its category and an area holding the point;
--   2. a rule for any category and an area holding the point;
--   3. the category's own department (report_categories.department_id);
--   4. the municipality's default department (departments.is_default).
-- Within one level the smaller area wins (a community's rule over its
-- unit's), then the older rule. report_categories.department_id is
-- required, so 4 is only reached by a category whose department is unset,
-- which the schema does not allow today: it is the stated last resort.
--
-- The department is decided once, when the report is filed, by
-- route_report() in the filing statement (gis/reports_sql.c, used by the
-- JSON API and Open311 alike). Changing or deleting a rule never moves a
-- report that exists: staff move one with POST /api/v1/reports/{id}/reassign.

-- A running server's jobs (the fan-out, the digest) read these tables while
-- a migration changes them, each statement locking its tables in its own
-- order: a migration that locked them one ALTER at a time could deadlock
-- with them (and fail). polis_lock_tables takes every lock a migration
-- needs at once or none (NOWAIT, retried), so it never waits holding some.
CREATE FUNCTION polis_lock_tables(tables regclass[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    list text := (SELECT string_agg(t::text, ', ') FROM unnest(tables) t);
BEGIN
    LOOP
        BEGIN
            EXECUTE 'LOCK TABLE ' || list || ' IN ACCESS EXCLUSIVE MODE NOWAIT';
            RETURN;
        EXCEPTION WHEN lock_not_available THEN
            PERFORM pg_sleep(0.02);
        END;
    END LOOP;
END $$;

SELECT polis_lock_tables(ARRAY['departments', 'report_categories', 'boundaries',
                               'users']::regclass[]);

ALTER TABLE departments ADD COLUMN is_default boolean NOT NULL DEFAULT false;
-- at most one default department per municipality
CREATE UNIQUE INDEX departments_one_default ON departments (municipality_id) WHERE is_default;

CREATE TABLE routing_rules (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_id bigint NOT NULL REFERENCES boundaries (id) ON DELETE CASCADE,
    category_id     bigint REFERENCES report_categories (id) ON DELETE CASCADE, -- NULL: any
    boundary_id     bigint REFERENCES boundaries (id) ON DELETE CASCADE,
    area            geometry(MultiPolygon, 4326) CHECK (area IS NULL OR ST_IsValid(area)),
    department_id   bigint NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    -- computed, never typed: a rule for one category beats a rule for any
    specificity     smallint NOT NULL
                    GENERATED ALWAYS AS (CASE WHEN category_id IS NULL THEN 1 ELSE 2 END) STORED,
    created_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- the area is a boundary or a polygon, never both, never neither
    CHECK ((boundary_id IS NULL) <> (area IS NULL))
);
CREATE INDEX routing_rules_area ON routing_rules USING gist (area);
CREATE INDEX routing_rules_category ON routing_rules (category_id);
CREATE INDEX routing_rules_boundary ON routing_rules (boundary_id);

-- The department a report of category (an id of report_categories) at
-- point goes to, by the order above; NULL only for an unknown category.
CREATE FUNCTION route_report(category bigint, point geometry) RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(
    (SELECT hit.department_id FROM (
        SELECT r.id, r.department_id, r.specificity, ST_Area(r.area) AS size
        FROM routing_rules r JOIN report_categories c ON c.id = category
        WHERE r.municipality_id = c.municipality_id
          AND (r.category_id IS NULL OR r.category_id = category)
          AND r.area IS NOT NULL AND ST_Intersects(r.area, point)
        UNION ALL
        SELECT r.id, r.department_id, r.specificity, ST_Area(b.geom)
        FROM routing_rules r JOIN report_categories c ON c.id = category
        JOIN boundaries b ON b.id = r.boundary_id
        WHERE r.municipality_id = c.municipality_id
          AND (r.category_id IS NULL OR r.category_id = category)
          AND EXISTS (SELECT 1 FROM boundary_parts p
                      WHERE p.boundary_id = r.boundary_id AND ST_Intersects(p.geom, point))
     ) hit ORDER BY hit.specificity DESC, hit.size, hit.id LIMIT 1),
    (SELECT c.department_id FROM report_categories c WHERE c.id = category),
    (SELECT d.id FROM departments d JOIN report_categories c
       ON c.municipality_id = d.municipality_id
     WHERE c.id = category AND d.is_default));
