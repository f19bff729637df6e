#include "gis/categories_sql.h"

#define CATEGORY_JSON(c, d)                                                                  \
    "jsonb_build_object('id', " c ".id, 'code', " c ".code, 'name_el', " c ".name_el,"       \
    " 'name_en', " c ".name_en, 'department', " d ".code, 'department_id', " d ".id,"          \
    " 'department_name_el', " d                                                               \
    ".name_el, 'department_name_en', " d ".name_en, 'icon', " c ".icon, 'active', " c        \
    ".active, 'private', " c ".private, 'fields', " c ".fields,"                        \
    " 'target_hours', " c ".target_hours)"

const char CATEGORY_LIST_SQL[] =
    "SELECT coalesce(jsonb_agg(" CATEGORY_JSON("c", "d") " ORDER BY c.code), '[]')::text"
    " FROM report_categories c JOIN departments d ON d.id = c.department_id"
    " JOIN boundaries b ON b.id = c.municipality_id"
    " WHERE b.level = 'municipality' AND b.code = $1 AND (c.active OR $2::boolean)";

const char CATEGORY_CREATE_SQL[] =
    "WITH m AS (SELECT id FROM boundaries WHERE level = 'municipality' AND code = $1),"
    " d AS (SELECT d.* FROM departments d JOIN m ON m.id = d.municipality_id WHERE d.code = $5),"
    " c AS (INSERT INTO report_categories (municipality_id, code, name_el, name_en,"
    "         department_id, icon, active, private, fields, target_hours)"
    "       SELECT m.id, $2, $3, $4, d.id, $6, coalesce($7::boolean, true),"
    "         coalesce($8::boolean, false), coalesce($9::jsonb, '[]'::jsonb),"
    "         nullif($10::text, 'none')::int FROM m, d"
    "       ON CONFLICT (municipality_id, code) DO NOTHING RETURNING *),"
    " j AS (SELECT c.id, " CATEGORY_JSON("c", "d") " AS v FROM c, d),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "         entity_id, after, client_ip)"
    "       SELECT $11::bigint, $12::bigint, $13, 'category.create', 'report_category',"
    "         j.id::text, j.v, $14::inet FROM j)"
    " SELECT EXISTS (SELECT 1 FROM d), (SELECT v::text FROM j)";

const char CATEGORY_UPDATE_SQL[] =
    "WITH old AS (SELECT c.*, " CATEGORY_JSON("c", "od") " AS v FROM report_categories c"
    "   JOIN departments od ON od.id = c.department_id"
    "   JOIN boundaries b ON b.id = c.municipality_id"
    "   WHERE c.id = $2::bigint AND b.level = 'municipality' AND b.code = $1),"
    " nd AS (SELECT d.id FROM departments d JOIN old ON d.municipality_id = old.municipality_id"
    "        WHERE d.code = $5),"
    " c AS (UPDATE report_categories t SET name_el = coalesce($3, t.name_el),"
    "         name_en = coalesce($4, t.name_en),"
    "         department_id = coalesce((SELECT id FROM nd), t.department_id),"
    "         icon = coalesce($6, t.icon), active = coalesce($7::boolean, t.active),"
    "         private = coalesce($8::boolean, t.private),"
    "         fields = coalesce($9::jsonb, t.fields),"
    "         target_hours = CASE WHEN $10::text IS NULL THEN t.target_hours"
    "           ELSE nullif($10::text, 'none')::int END, updated_at = now()"
    "       FROM old WHERE t.id = old.id AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM nd))"
    "       RETURNING t.*),"
    " j AS (SELECT c.id, " CATEGORY_JSON("c", "d") " AS v FROM c"
    "       JOIN departments d ON d.id = c.department_id),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "         entity_id, before, after, client_ip)"
    "       SELECT $11::bigint, $12::bigint, $13, 'category.update', 'report_category',"
    "         j.id::text, (SELECT v FROM old), j.v, $14::inet FROM j)"
    " SELECT EXISTS (SELECT 1 FROM old), ($5::text IS NULL OR EXISTS (SELECT 1 FROM nd)),"
    "  (SELECT v::text FROM j)";
