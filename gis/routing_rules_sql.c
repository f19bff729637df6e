#include "gis/routing_rules_sql.h"

/* A rule as the API shows it: its area as the boundary it names or as the
 * polygon it holds (the other one null). */
#define RULE_JSON(r)                                                                         \
    "jsonb_build_object('id', " r ".id,"                                                     \
    " 'category', (SELECT c.code FROM report_categories c WHERE c.id = " r ".category_id),"  \
    " 'boundary', (SELECT jsonb_build_object('id', b.id, 'level', b.level,"                  \
    "     'name_el', b.name_el, 'name_en', b.name_en)"                                       \
    "   FROM boundaries b WHERE b.id = " r ".boundary_id),"                                  \
    " 'polygon', ST_AsGeoJSON(" r ".area, 7)::jsonb,"                                        \
    " 'department', (SELECT d.code FROM departments d WHERE d.id = " r ".department_id),"    \
    " 'specificity', " r ".specificity, 'created_by', " r ".created_by,"                     \
    " 'created_at', " r ".created_at, 'updated_at', " r ".updated_at)"

#define SERVED " m AS (SELECT id FROM boundaries WHERE level = 'municipality' AND code = $1),"

/* What the request names, looked up in the served municipality, and
 * whether each part is acceptable (ok): a category code ('' or NULL: any),
 * a unit or community of the municipality, a valid polygon (GeoJSON whose
 * shape the handler checked), a department code. Each NULL: not given. */
#define CHECKS(cat, bnd, poly, dep)                                                          \
    SERVED                                                                                   \
    " cat AS (SELECT c.id FROM report_categories c JOIN m ON m.id = c.municipality_id"        \
    "   WHERE c.code = nullif(" cat "::text, '')),"                                          \
    " d AS (SELECT dp.id FROM departments dp JOIN m ON m.id = dp.municipality_id"             \
    "   WHERE dp.code = " dep "::text),"                                                     \
    " b AS (SELECT bd.id FROM boundaries bd JOIN boundaries up ON up.id = bd.parent_id"       \
    "   CROSS JOIN m WHERE bd.id = " bnd "::bigint AND bd.level IN ('unit', 'community')"     \
    "   AND m.id IN (up.id, up.parent_id)),"                                                 \
    " g AS (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(" poly "::text), 4326)) AS area"    \
    "   WHERE " poly "::text IS NOT NULL),"                                                  \
    " ok AS (SELECT (nullif(" cat "::text, '') IS NULL OR EXISTS (SELECT 1 FROM cat)) AS cat," \
    "   (" bnd "::bigint IS NULL OR EXISTS (SELECT 1 FROM b)) AS bnd,"                       \
    "   (" poly "::text IS NULL OR coalesce((SELECT ST_IsValid(area) FROM g), false)) AS poly,"\
    "   (" dep "::text IS NULL OR EXISTS (SELECT 1 FROM d)) AS dep),"

#define AUDIT(action, id, before, after, uid, key, label, ip, from)                            \
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity," \
    "     entity_id, before, after, client_ip)"                                              \
    "   SELECT " uid "::bigint, " key "::bigint, " label ", '" action "', 'routing_rule',"    \
    "     " id "::text, " before ", " after ", " ip "::inet " from ")"

const char ROUTING_RULE_LIST_SQL[] =
    "SELECT coalesce(jsonb_agg(" RULE_JSON("r") " ORDER BY r.specificity DESC, r.id),"
    "  '[]')::text"
    " FROM routing_rules r JOIN boundaries m ON m.id = r.municipality_id"
    " WHERE m.level = 'municipality' AND m.code = $1";

const char ROUTING_RULE_CREATE_SQL[] =
    "WITH" CHECKS("$2", "$3", "$4", "$5")
    " ins AS (INSERT INTO routing_rules (municipality_id, category_id, boundary_id, area,"
    "     department_id, created_by)"
    "   SELECT m.id, (SELECT id FROM cat), (SELECT id FROM b), (SELECT area FROM g), d.id,"
    "     $6::bigint FROM m, d, ok WHERE ok.cat AND ok.bnd AND ok.poly"
    "   RETURNING *),"
    " j AS (SELECT ins.id, " RULE_JSON("ins") " AS v FROM ins),"
    AUDIT("routing_rule.create", "j.id", "NULL::jsonb", "j.v", "$6", "$7", "$8", "$9",
          "FROM j")
    " SELECT true, ok.cat, ok.bnd, ok.poly, ok.dep, (SELECT v::text FROM j) FROM ok";

const char ROUTING_RULE_UPDATE_SQL[] =
    "WITH" CHECKS("$3", "$4", "$5", "$6")
    " old AS (SELECT r.id, " RULE_JSON("r") " AS v FROM routing_rules r"
    "   JOIN m ON m.id = r.municipality_id WHERE r.id = $2::bigint),"
    /* a boundary given replaces a polygon and the other way round */
    " up AS (UPDATE routing_rules t SET"
    "     category_id = CASE WHEN $3::text IS NULL THEN t.category_id"
    "       ELSE (SELECT id FROM cat) END,"
    "     boundary_id = CASE WHEN $4::bigint IS NOT NULL THEN (SELECT id FROM b)"
    "       WHEN $5::text IS NOT NULL THEN NULL ELSE t.boundary_id END,"
    "     area = CASE WHEN $5::text IS NOT NULL THEN (SELECT area FROM g)"
    "       WHEN $4::bigint IS NOT NULL THEN NULL ELSE t.area END,"
    "     department_id = coalesce((SELECT id FROM d), t.department_id), updated_at = now()"
    "   FROM old, ok WHERE t.id = old.id AND ok.cat AND ok.bnd AND ok.poly AND ok.dep"
    "   RETURNING t.*),"
    " j AS (SELECT up.id, " RULE_JSON("up") " AS v FROM up),"
    AUDIT("routing_rule.update", "j.id", "(SELECT v FROM old)", "j.v", "$7", "$8", "$9", "$10",
          "FROM j")
    " SELECT EXISTS (SELECT 1 FROM old), ok.cat, ok.bnd, ok.poly, ok.dep,"
    "  (SELECT v::text FROM j) FROM ok";

const char ROUTING_RULE_DELETE_SQL[] =
    "WITH" SERVED
    " old AS (SELECT r.id, " RULE_JSON("r") " AS v FROM routing_rules r"
    "   JOIN m ON m.id = r.municipality_id WHERE r.id = $2::bigint),"
    " del AS (DELETE FROM routing_rules t USING old WHERE t.id = old.id RETURNING t.id),"
    AUDIT("routing_rule.delete", "old.id", "old.v", "NULL::jsonb", "$3", "$4", "$5", "$6",
          "FROM old JOIN del ON del.id = old.id")
    " SELECT count(*) FROM del";
