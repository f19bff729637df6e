#include "services/application_steps_sql.h"

#include "services/protocol_sql.h"

/* The audit row of a step's CTE `up` (id, from_status, status): the
 * actor's parameters start at $first. */
#define AUDIT_STEP(first, a2, a3, a4, action, after)                                          \
    " au AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity," \
    "     entity_id, before, after, client_ip)"                                               \
    "   SELECT " first "::bigint, " a2 "::bigint, " a3 ", " action ", 'application',"          \
    "     up.id::text, jsonb_build_object('status', up.from_status), " after ", " a4 "::inet"  \
    "   FROM up)"

/* Staff of the application's department, or an admin (VIEWER admin, departments). */
#define STAFF_OF(a, adm, deps) "(" adm "::boolean OR " a ".department_id = ANY (" deps "::bigint[]))"

const char APPLICATION_STEP_SQL[] =
    "WITH cur AS (SELECT a.id, a.status, a.version, a.department_id, a.user_id, d.code"
    "   FROM applications a JOIN departments d ON d.id = a.department_id"
    "   JOIN boundaries m ON m.id = a.municipality_id AND m.code = $2"
    "   WHERE a.id = $1::bigint AND a.status <> 'draft'"
    "     AND (a.user_id = $3::bigint OR " STAFF_OF("a", "$4", "$5") ")),"
    " mine AS (SELECT * FROM cur WHERE CASE WHEN $6::boolean THEN " STAFF_OF("cur", "$4", "$5")
    "   ELSE cur.user_id = $3::bigint END),"
    " chosen AS (SELECT u.id FROM users u JOIN user_departments ud ON ud.user_id = u.id"
    "   JOIN cur ON cur.department_id = ud.department_id"
    "   WHERE u.id = $12::bigint AND u.role IN ('staff', 'admin')),"
    " ok AS (SELECT * FROM mine WHERE mine.status = ANY ($9::text[])"
    "   AND ($14::int IS NULL OR mine.version = $14::int)"
    "   AND ($8 <> 'assigned' OR $12::bigint IS NULL OR EXISTS (SELECT 1 FROM chosen))),"
    " up AS (UPDATE applications t SET"
    "     status = coalesce($10, CASE WHEN ok.status = 'submitted' THEN 'in_progress'"
    "       ELSE ok.status END),"
    "     assignee_user_id = CASE WHEN $8 = 'assigned' THEN $12::bigint"
    "       ELSE t.assignee_user_id END,"
    "     version = t.version + 1, updated_at = now()"
    "   FROM ok WHERE t.id = ok.id AND t.version = ok.version"
    "   RETURNING t.id, t.status, t.department_id, t.assignee_user_id, ok.status AS from_status),"
    " h AS (INSERT INTO application_history (application_id, actor_user_id, actor_role,"
    "     from_status, to_status, department_id, public_comment, event, assignee_user_id,"
    "     requested)"
    "   SELECT id, $3::bigint, $7, from_status, status, department_id, $11, $8,"
    "     CASE WHEN $8 = 'assigned' THEN assignee_user_id END, $13::jsonb FROM up"
    "   RETURNING id),"
    AUDIT_STEP("$15", "$16", "$17", "$18", "'application.' || $8",
               "jsonb_build_object('status', up.status, 'comment', $11::text,"
               " 'assignee_user_id', up.assignee_user_id, 'requested', $13::jsonb)")
    " SELECT EXISTS (SELECT 1 FROM cur), EXISTS (SELECT 1 FROM mine),"
    "  (SELECT status FROM cur), (SELECT version FROM cur), (SELECT code FROM cur),"
    "  ($8 <> 'assigned' OR $12::bigint IS NULL OR EXISTS (SELECT 1 FROM chosen)),"
    "  (SELECT id FROM h)";

const char APPLICATION_APPROVE_LOCK_SQL[] =
    "SELECT " STAFF_OF("a", "$4", "$5") ", a.status, a.version, d.code, s.answer_kind,"
    " s.title_el, s.description_el,"
    " CASE WHEN a.applicant_kind = 'business' THEN a.business_name"
    "   ELSE coalesce(a.verified_name, nullif(btrim(u.display_name), ''), u.email::text) END,"
    " m.name_el, m.name_en"
    " FROM applications a JOIN services s ON s.id = a.service_id"
    " JOIN departments d ON d.id = a.department_id"
    " JOIN boundaries m ON m.id = a.municipality_id AND m.code = $2"
    " JOIN users u ON u.id = a.user_id"
    " WHERE a.id = $1::bigint AND a.status <> 'draft'"
    "   AND (a.user_id = $3::bigint OR " STAFF_OF("a", "$4", "$5") ")"
    " FOR UPDATE OF a";

const char APPLICATION_ANSWER_ENTRY_SQL[] =
    "WITH app AS (SELECT id, municipality_id FROM applications WHERE id = $1::bigint),"
    PROTOCOL_TAKE_NUMBER("app") ","
    " e AS (INSERT INTO protocol_entries (municipality_id, year, number, direction, subject,"
    "     correspondent, channel, application_id, registered_by, registered_by_label)"
    "   SELECT num.municipality_id, num.year, num.number, 'outgoing', left($2, 500),"
    "     left($3, 300), 'web', app.id, $4::bigint, $5 FROM num, app"
    "   RETURNING id, number, year, registered_at)"
    " SELECT id, number || '/' || year,"
    "  to_char(registered_at AT TIME ZONE 'Europe/Athens', 'DD/MM/YYYY') FROM e";

const char APPLICATION_APPROVE_SQL[] =
    "WITH up AS (UPDATE applications t SET status = 'approved', version = t.version + 1,"
    "     updated_at = now()"
    "   FROM (SELECT id, status FROM applications WHERE id = $1::bigint) old"
    "   WHERE t.id = old.id"
    "   RETURNING t.id, t.status, t.department_id, old.status AS from_status),"
    " h AS (INSERT INTO application_history (application_id, actor_user_id, actor_role,"
    "     from_status, to_status, department_id, public_comment, event, document_id)"
    "   SELECT id, $5::bigint, $2, from_status, status, department_id, $3, 'approved',"
    "     $4::bigint FROM up RETURNING id),"
    AUDIT_STEP("$5", "$6", "$7", "$8", "'application.approve'",
               "jsonb_build_object('status', up.status, 'comment', $3::text,"
               " 'document_id', $4::bigint)")
    " SELECT id FROM h";

const char DOCUMENT_FILE_SQL[] =
    "SELECT doc.file_name,"
    " 'protocol-' || pe.number || '-' || pe.year || '.pdf', doc.bytes"
    " FROM issued_documents doc JOIN protocol_entries pe ON pe.id = doc.protocol_entry_id"
    " JOIN applications a ON a.id = doc.application_id"
    " WHERE doc.id = $1::bigint"
    "   AND (a.user_id = $2::bigint OR " STAFF_OF("a", "$3", "$4") ")";

/* Applications submitted once the receipts started (sql/046 marks the time:
 * older ones are not given receipts years late). */
const char RECEIPT_NEXT_SQL[] =
    "SELECT a.id, pe.id, pe.number || '/' || pe.year,"
    " to_char(a.submitted_at AT TIME ZONE 'Europe/Athens', 'DD/MM/YYYY HH24:MI'), s.title_el,"
    " CASE WHEN a.applicant_kind = 'business' THEN a.business_name"
    "   ELSE coalesce(a.verified_name, nullif(btrim(u.display_name), ''), u.email::text) END,"
    " m.name_el, m.name_en"
    " FROM applications a JOIN services s ON s.id = a.service_id"
    " JOIN protocol_entries pe ON pe.id = a.protocol_entry_id"
    " JOIN boundaries m ON m.id = a.municipality_id"
    " JOIN users u ON u.id = a.user_id"
    " WHERE a.status <> 'draft' AND a.submitted_at >= (SELECT since FROM receipts_since)"
    "   AND NOT EXISTS (SELECT 1 FROM issued_documents d"
    "     WHERE d.application_id = a.id AND d.kind = 'receipt')"
    "   AND NOT EXISTS (SELECT 1 FROM receipt_failures f WHERE f.application_id = a.id"
    "     AND (f.gave_up_at IS NOT NULL OR f.next_at > now()))"
    " ORDER BY a.id LIMIT 1 FOR UPDATE OF a SKIP LOCKED";

const char RECEIPT_RECORD_SQL[] =
    "INSERT INTO application_history (application_id, actor_user_id, actor_role, from_status,"
    "   to_status, department_id, event, document_id)"
    " SELECT id, NULL, 'system', status, status, department_id, 'receipt', $2::bigint"
    " FROM applications WHERE id = $1::bigint";
