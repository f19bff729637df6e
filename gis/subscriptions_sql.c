#include "gis/subscriptions_sql.h"

#define VISIBLE_TO(uid, adm, deps)                                                          \
    "(NOT c.private OR " adm "::boolean OR r.department_id = ANY (" deps "::bigint[])"     \
    " OR coalesce(r.user_id = " uid "::bigint, false))"

const char SUBSCRIPTION_CREATE_SQL[] =
    "WITH cat AS (SELECT c.id FROM report_categories c JOIN boundaries m"
    "     ON m.id = c.municipality_id AND m.level = 'municipality' AND m.code = $9::text"
    "     WHERE $2::text IN ('category', 'area') AND c.code = $3::text),"
    " rep AS (SELECT r.id FROM reports r JOIN report_categories c ON c.id = r.category_id"
    "     WHERE $2::text = 'report' AND r.id = $10::bigint"
    "       AND " VISIBLE_TO("$1", "$11", "$12") "),"
    " pt AS (SELECT CASE WHEN $4::float8 IS NOT NULL"
    "     THEN ST_SetSRID(ST_MakePoint($5::float8, $4::float8), 4326) END AS g),"
    " g AS (SELECT CASE WHEN $2::text <> 'area' THEN NULL"
    "     WHEN $7::text IS NOT NULL THEN ST_SetSRID(ST_GeomFromGeoJSON($7::text), 4326)"
    "     ELSE ST_Buffer(pt.g::geography, $6::int::float8, 'quad_segs=16')::geometry END AS area"
    "   FROM pt),"
    " chk AS (SELECT area, area IS NULL OR (GeometryType(area) = 'POLYGON' AND ST_IsValid(area))"
    "     AS valid, coalesce(ST_Area(area::geography) / 1e6, 0) AS km2 FROM g),"
    " ins AS (INSERT INTO report_subscriptions (user_id, kind, category_id, report_id, center,"
    "         radius_m, area)"
    "   SELECT $1::bigint, $2::text, (SELECT id FROM cat), (SELECT id FROM rep),"
    "     CASE WHEN $7::text IS NULL THEN pt.g END, CASE WHEN $7::text IS NULL THEN $6::int END,"
    "     chk.area"
    "   FROM chk, pt WHERE chk.valid AND chk.km2 <= $8::float8"
    "     AND ($2::text <> 'category' OR EXISTS (SELECT 1 FROM cat))"
    "     AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM cat))"
    "     AND ($2::text <> 'report' OR EXISTS (SELECT 1 FROM rep))"
    "   ON CONFLICT DO NOTHING RETURNING id)"
    " SELECT EXISTS (SELECT 1 FROM cat), EXISTS (SELECT 1 FROM rep), (SELECT valid FROM chk),"
    "  (SELECT round(km2::numeric, 3) FROM chk), (SELECT id FROM ins),"
    "  (SELECT s.id FROM report_subscriptions s WHERE s.user_id = $1::bigint"
    "     AND (($2::text = 'category' AND s.kind = 'category'"
    "           AND s.category_id = (SELECT id FROM cat))"
    "       OR (s.kind = 'report' AND s.report_id = (SELECT id FROM rep))))";

const char SUBSCRIPTION_LIST_SQL[] =
    "SELECT coalesce(json_agg(json_build_object('id', s.id, 'kind', s.kind,"
    "     'category', c.code, 'report_id', s.report_id,"
    "     'lat', round(ST_Y(s.center)::numeric, 7), 'lon', round(ST_X(s.center)::numeric, 7),"
    "     'radius_m', s.radius_m,"
    "     'polygon', CASE WHEN s.kind = 'area' AND s.center IS NULL"
    "                THEN ST_AsGeoJSON(s.area, 7)::json END,"
    "     'created_at', s.created_at) ORDER BY s.id), '[]'::json)::text"
    " FROM report_subscriptions s LEFT JOIN report_categories c ON c.id = s.category_id"
    " WHERE s.user_id = $1::bigint";

const char SUBSCRIPTION_DELETE_SQL[] =
    "DELETE FROM report_subscriptions WHERE id = $1::bigint AND user_id = $2::bigint"
    " RETURNING id";

const char REPORT_FOLLOW_SQL[] =
    "WITH t AS (SELECT r.id FROM reports r JOIN report_categories c ON c.id = r.category_id"
    "   WHERE r.id = $1::bigint AND " VISIBLE_TO("$2", "$3", "$4") "),"
    " f AS (INSERT INTO report_followers (report_id, user_id) SELECT id, $2::bigint FROM t"
    "   ON CONFLICT DO NOTHING RETURNING report_id)"
    " SELECT t.id, EXISTS (SELECT 1 FROM f) FROM t";

const char REPORT_UNFOLLOW_SQL[] =
    "WITH a AS (DELETE FROM report_followers WHERE report_id = $1::bigint"
    "   AND user_id = $2::bigint RETURNING 1),"
    " b AS (DELETE FROM report_subscriptions WHERE kind = 'report' AND report_id = $1::bigint"
    "   AND user_id = $2::bigint RETURNING 1)"
    " SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b)";
