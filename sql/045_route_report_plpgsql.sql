-- Durable report filing (issue 16, docs/BENCHMARKS.md): route_report() was
-- a SQL function with subqueries, which PostgreSQL cannot inline into the
-- filing statement, so it planned the function's body again on every call:
-- about 0.8 ms of the database's CPU per filing (the whole filing cost 1.1 ms,
-- a plain INSERT 0.07 ms; each measured as the backend's own CPU time over
-- 1,000 prepared executions). PL/pgSQL keeps the plan of its query for the
-- session, which brings the routing down to about 0.1 ms. The body and so
-- every answer are the same as sql/033_routing_rules.sql's.
CREATE OR REPLACE FUNCTION route_report(category bigint, point geometry) RETURNS bigint
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
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
END $$;
