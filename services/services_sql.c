#include "services/services_sql.h"

/* A service s of department d as JSON; title and description also in the
 * language lang ('el' or 'en', a parameter). */
#define SERVICE_JSON(s, d, lang)                                                             \
    "jsonb_build_object('id', " s ".id, 'code', " s ".code,"                                 \
    " 'title', CASE WHEN " lang " = 'en' THEN " s ".title_en ELSE " s ".title_el END,"       \
    " 'description', CASE WHEN " lang " = 'en' THEN " s ".description_en"                    \
    "   ELSE " s ".description_el END,"                                                      \
    " 'title_el', " s ".title_el, 'title_en', " s ".title_en,"                               \
    " 'description_el', " s ".description_el, 'description_en', " s ".description_en,"       \
    " 'department', " d ".code, 'department_name_el', " d ".name_el,"                        \
    " 'department_name_en', " d ".name_en, 'fields', " s ".fields,"                          \
    " 'documents', " s ".documents, 'applicants', " s ".applicants,"                         \
    " 'target_hours', " s ".target_hours, 'answer_kind', " s ".answer_kind,"                 \
    " 'active', " s ".active, 'demo', " s ".demo)"

#define SERVICE_FROM                                                                         \
    " FROM services s JOIN departments d ON d.id = s.department_id"                          \
    " JOIN boundaries b ON b.id = s.municipality_id"                                         \
    " WHERE b.level = 'municipality' AND b.code = $1 AND (s.active OR $2::boolean)"

const char SERVICE_LIST_SQL[] =
    "SELECT coalesce(jsonb_agg(" SERVICE_JSON("s", "d", "$3::text")
    "   ORDER BY CASE WHEN $3::text = 'en' THEN s.title_en ELSE s.title_el END, s.id),"
    "   '[]')::text" SERVICE_FROM;

const char SERVICE_GET_SQL[] =
    "SELECT " SERVICE_JSON("s", "d", "$3::text") "::text" SERVICE_FROM " AND s.id = $4::bigint";

const char SERVICE_CREATE_SQL[] =
    "WITH m AS (SELECT id FROM boundaries WHERE level = 'municipality' AND code = $1),"
    " d AS (SELECT d.* FROM departments d JOIN m ON m.id = d.municipality_id WHERE d.code = $7),"
    " s AS (INSERT INTO services (municipality_id, code, title_el, title_en, description_el,"
    "         description_en, department_id, fields, documents, applicants, target_hours,"
    "         answer_kind, active)"
    "       SELECT m.id, $2, $3, $4, $5, $6, d.id, coalesce($8::jsonb, '[]'::jsonb),"
    "         coalesce($9::jsonb, '[]'::jsonb), $10, $11::int, $12,"
    "         coalesce($13::boolean, true) FROM m, d"
    "       ON CONFLICT (municipality_id, code) DO NOTHING RETURNING *),"
    " j AS (SELECT s.id, " SERVICE_JSON("s", "d", "'el'") " AS v FROM s, d),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "         entity_id, after, client_ip)"
    "       SELECT $14::bigint, $15::bigint, $16, 'service.create', 'service',"
    "         j.id::text, j.v, $17::inet FROM j)"
    " SELECT EXISTS (SELECT 1 FROM d), (SELECT v::text FROM j)";

const char SERVICE_UPDATE_SQL[] =
    "WITH old AS (SELECT s.*, " SERVICE_JSON("s", "od", "'el'") " AS v FROM services s"
    "   JOIN departments od ON od.id = s.department_id"
    "   JOIN boundaries b ON b.id = s.municipality_id"
    "   WHERE s.id = $2::bigint AND b.level = 'municipality' AND b.code = $1),"
    " nd AS (SELECT d.id FROM departments d JOIN old ON d.municipality_id = old.municipality_id"
    "        WHERE d.code = $7),"
    " s AS (UPDATE services t SET title_el = coalesce($3, t.title_el),"
    "         title_en = coalesce($4, t.title_en),"
    "         description_el = coalesce($5, t.description_el),"
    "         description_en = coalesce($6, t.description_en),"
    "         department_id = coalesce((SELECT id FROM nd), t.department_id),"
    "         fields = coalesce($8::jsonb, t.fields), documents = coalesce($9::jsonb, t.documents),"
    "         applicants = coalesce($10, t.applicants),"
    "         target_hours = coalesce($11::int, t.target_hours),"
    "         answer_kind = coalesce($12, t.answer_kind), active = coalesce($13::boolean, t.active),"
    "         updated_at = now()"
    "       FROM old WHERE t.id = old.id AND ($7::text IS NULL OR EXISTS (SELECT 1 FROM nd))"
    "       RETURNING t.*),"
    " j AS (SELECT s.id, " SERVICE_JSON("s", "d", "'el'") " AS v FROM s"
    "       JOIN departments d ON d.id = s.department_id),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "         entity_id, before, after, client_ip)"
    "       SELECT $14::bigint, $15::bigint, $16, 'service.update', 'service',"
    "         j.id::text, (SELECT v FROM old), j.v, $17::inet FROM j)"
    " SELECT EXISTS (SELECT 1 FROM old), ($7::text IS NULL OR EXISTS (SELECT 1 FROM nd)),"
    "  (SELECT v::text FROM j)";
