-- Subscriptions (issue 5): a signed-in user follows a category, an area (a
-- circle of at most 5 km around a point, or a polygon) or one report. Every
-- history event of a matching report (its creation first) lands in their
-- inbox through the same trigger as the followers' messages, which this
-- migration extends. A private category's reports only reach subscribers
-- who may see them: admins, staff of the report's department, its reporter.
CREATE TABLE report_subscriptions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('category', 'area', 'report')),
    category_id bigint REFERENCES report_categories (id) ON DELETE CASCADE,
    report_id   bigint REFERENCES reports (id) ON DELETE CASCADE,
    center      geometry(Point, 4326),          -- area: a circle's centre ...
    radius_m    integer CHECK (radius_m BETWEEN 1 AND 5000),   -- ... and radius
    area        geometry(Polygon, 4326),        -- area: the circle or the polygon
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'category' OR category_id IS NOT NULL),
    CHECK (kind <> 'report' OR report_id IS NOT NULL),
    CHECK (kind <> 'area' OR area IS NOT NULL),
    CHECK ((center IS NULL) = (radius_m IS NULL))
);
CREATE INDEX report_subscriptions_user ON report_subscriptions (user_id, id);
CREATE INDEX report_subscriptions_category ON report_subscriptions (category_id)
    WHERE kind = 'category';
CREATE INDEX report_subscriptions_report ON report_subscriptions (report_id)
    WHERE kind = 'report';
CREATE INDEX report_subscriptions_area ON report_subscriptions USING gist (area)
    WHERE kind = 'area';
CREATE UNIQUE INDEX report_subscriptions_one_category
    ON report_subscriptions (user_id, category_id) WHERE kind = 'category';
CREATE UNIQUE INDEX report_subscriptions_one_report
    ON report_subscriptions (user_id, report_id) WHERE kind = 'report';

-- Followers and matching subscribers, each once per event.
CREATE OR REPLACE FUNCTION report_history_to_inbox() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    uid bigint;
BEGIN
    FOR uid IN
        INSERT INTO inbox (user_id, report_id, history_id)
        SELECT w.user_id, NEW.report_id, NEW.id FROM (
            SELECT f.user_id FROM report_followers f WHERE f.report_id = NEW.report_id
            UNION
            SELECT s.user_id FROM reports r
            JOIN report_categories c ON c.id = r.category_id
            JOIN report_subscriptions s
              ON (s.kind = 'category' AND s.category_id = r.category_id)
              OR (s.kind = 'report' AND s.report_id = r.id)
              OR (s.kind = 'area' AND ST_Intersects(s.area, r.geom))
            JOIN users u ON u.id = s.user_id
            WHERE r.id = NEW.report_id
              AND (NOT c.private OR u.role = 'admin' OR r.user_id = u.id
                   OR (u.role = 'staff' AND EXISTS (SELECT 1 FROM user_departments ud
                       WHERE ud.user_id = u.id AND ud.department_id = r.department_id)))
        ) w
        RETURNING user_id
    LOOP
        PERFORM pg_notify('polis_inbox', uid::text);
    END LOOP;
    RETURN NULL;
END $$;
