-- An area subscription may name a category (issue 9: "follow this area"
-- from the citizen map, e.g. only street lighting around my street): its
-- category_id, when set, narrows the area to that category's reports. The
-- trigger of sql/012_subscriptions.sql again, with that one condition.
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
              OR (s.kind = 'area' AND ST_Intersects(s.area, r.geom)
                  AND (s.category_id IS NULL OR s.category_id = r.category_id))
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
