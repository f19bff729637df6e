#include "gis/report_assignment_sql.h"

/* The report of the served municipality (code served) as it is now, and
 * whether the caller (VIEWER admin adm and departments deps) acts for its
 * department. */
#define CURRENT(id, adm, deps, served)                                                             \
    " cur AS (SELECT r.id, r.status, r.department_id, r.assignee_id, c.private,"             \
    "     d.code AS department FROM reports r"                                               \
    "   JOIN report_categories c ON c.id = r.category_id"                                    \
    "   JOIN departments d ON d.id = r.department_id"                                         \
    "   JOIN boundaries m ON m.id = r.municipality_id AND m.code = " served "::text"\
    "   WHERE r.id = " id "::bigint),"                                                       \
    " mine AS (SELECT * FROM cur WHERE " adm "::boolean"                                     \
    "   OR cur.department_id = ANY (" deps "::bigint[])),"

/* What CURRENT found, as the first columns of the answer. */
#define CURRENT_COLUMNS                                                                      \
    " SELECT EXISTS (SELECT 1 FROM cur), coalesce((SELECT private FROM cur), false),"        \
    "  EXISTS (SELECT 1 FROM mine), (SELECT department FROM cur),"

#define AUDIT(action, before, after, from)                                                   \
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity," \
    "     entity_id, before, after, client_ip)"                                              \
    "   SELECT $7::bigint, $8::bigint, $9, '" action "', 'report', up.id::text, " before ","  \
    "     " after ", $10::inet " from ")"

const char REPORT_REASSIGN_SQL[] =
    "WITH" CURRENT("$1", "$4", "$5", "$6")
    " nd AS (SELECT d.id, d.code FROM departments d JOIN boundaries b ON b.id = d.municipality_id"
    "   WHERE b.level = 'municipality' AND b.code = $6 AND d.code = $2),"
    /* the deadline stays; the assignee was of the old department */
    " up AS (UPDATE reports t SET department_id = nd.id, assignee_id = NULL, updated_at = now()"
    "   FROM mine, nd WHERE t.id = mine.id AND t.department_id = mine.department_id"
    "     AND nd.id <> mine.department_id"
    "   RETURNING t.id, t.status, t.department_id),"
    " h AS (INSERT INTO report_history (report_id, actor_user_id, actor_role, from_status,"
    "     to_status, department_id, internal_note, event)"
    "   SELECT id, $7::bigint, $11, status, status, department_id, $3, 'reassigned' FROM up"
    "   RETURNING id, at),"
    AUDIT("report.reassign",
          "jsonb_build_object('department', mine.department, 'assignee_id', mine.assignee_id)",
          "jsonb_build_object('department', nd.code, 'reason', $3::text)",
          "FROM up, mine, nd")
    CURRENT_COLUMNS
    "  EXISTS (SELECT 1 FROM nd), (SELECT id FROM h), (SELECT to_json(at)#>>'{}' FROM h)";

const char REPORT_ASSIGN_SQL[] =
    "WITH" CURRENT("$1", "$4", "$5", "$6")
    /* staff (or an admin) of the report's department */
    " chosen AS (SELECT u.id, coalesce(u.display_name, u.email::text) AS name FROM users u"
    "   JOIN user_departments ud ON ud.user_id = u.id"
    "   JOIN cur ON cur.department_id = ud.department_id"
    "   WHERE u.id = $2::bigint AND u.role IN ('staff', 'admin')),"
    " up AS (UPDATE reports t SET assignee_id = $2::bigint, updated_at = now()"
    "   FROM mine WHERE t.id = mine.id AND t.department_id = mine.department_id"
    "     AND t.assignee_id IS NOT DISTINCT FROM mine.assignee_id"
    "     AND mine.assignee_id IS DISTINCT FROM $2::bigint"
    "     AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM chosen))"
    "   RETURNING t.id, t.status, t.department_id, t.assignee_id),"
    " h AS (INSERT INTO report_history (report_id, actor_user_id, actor_role, from_status,"
    "     to_status, department_id, event, assignee_id)"
    "   SELECT id, $7::bigint, $3, status, status, department_id, 'assigned', assignee_id"
    "   FROM up RETURNING id, at),"
    AUDIT("report.assign", "jsonb_build_object('assignee_id', mine.assignee_id)",
          "jsonb_build_object('assignee_id', up.assignee_id)", "FROM up, mine")
    CURRENT_COLUMNS
    "  ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM chosen)),"
    "  coalesce((SELECT assignee_id IS NOT DISTINCT FROM $2::bigint FROM mine), false),"
    "  (SELECT id FROM h), (SELECT to_json(at)#>>'{}' FROM h),"
    "  (SELECT name FROM chosen)";
