#include "services/applications_sql.h"

#include "services/application_files_sql.h"
#include "services/protocol_sql.h"

/* An application a of service s in department d, by applicant u (NULL once
 * the account is gone), with its protocol number (an expression, NULL for
 * a draft). required_documents: what the service asks to attach; files:
 * what is attached. */
#define APPLICATION_JSON(a, s, d, u, number)                                                  \
    "jsonb_build_object('id', " a ".id, 'service', jsonb_build_object('id', " s ".id,"         \
    "   'code', " s ".code, 'title_el', " s ".title_el, 'title_en', " s ".title_en),"          \
    " 'department', " d ".code, 'status', " a ".status,"                                       \
    " 'applicant_kind', " a ".applicant_kind, 'tax_number', " a ".tax_number,"                \
    " 'business_name', " a ".business_name, 'answers', " a ".answers,"                        \
    " 'required_documents', " s ".documents, 'files', " APPLICATION_FILES_OF(a) ","          \
    " 'protocol_number', " number ","                                                         \
    " 'applicant', CASE WHEN " u ".id IS NOT NULL THEN jsonb_build_object('id', " u ".id,"    \
    "   'email', " u ".email, 'display_name', " u ".display_name) END,"                       \
    " 'created_at', " a ".created_at, 'updated_at', " a ".updated_at,"                        \
    " 'submitted_at', " a ".submitted_at, 'due_at', " a ".due_at, 'version', " a ".version,"   \
    " 'verified_identity', CASE WHEN " a ".verified_by IS NOT NULL THEN jsonb_build_object("  \
    "   'name', " a ".verified_name, 'tax_number', " a ".verified_tax_number,"                \
    "   'label', " a ".verified_by) END)"

/* a row a (a table or CTE) with its service, department and applicant */
#define WITH_SERVICE(a)                                                                       \
    " JOIN services s ON s.id = " a ".service_id JOIN departments d ON d.id = " a ".department_id" \
    " LEFT JOIN users u ON u.id = " a ".user_id"

#define APPLICATION_FROM                                                                      \
    " FROM applications a" WITH_SERVICE("a")                                                  \
    " LEFT JOIN protocol_entries pe ON pe.id = a.protocol_entry_id"

/* the answer of a write whose CTE a returns the draft written */
#define DRAFT_WRITTEN                                                                         \
    " SELECT " APPLICATION_JSON("a", "s", "d", "u", "NULL::text") "::text FROM a" WITH_SERVICE("a")

#define STORED_JSON APPLICATION_JSON("a", "s", "d", "u", "pe.number || '/' || pe.year")

/* Whom application a is assigned to, {id, name}, or NULL: for staff only
 * (the applicant is answered by "the municipality"). */
#define ASSIGNEE_OF(a)                                                                        \
    "(SELECT jsonb_build_object('id', au.id, 'name', coalesce(au.display_name, au.email::text))"\
    " FROM users au WHERE au.id = " a ".assignee_user_id)"

/* One row (enum application_list_col) of the applications matching cond,
 * newest first, after the id $after, at most $limit; more: a jsonb
 * expression of members added to each (or '{}'). */
#define APPLICATION_PAGE(cond, after, limit, more)                                            \
    "WITH page AS (SELECT a.id, " STORED_JSON " || " more " AS j" APPLICATION_FROM            \
    "   WHERE " cond " AND (" after "::bigint = 0 OR a.id < " after "::bigint)"               \
    "   ORDER BY a.id DESC LIMIT " limit "::int + 1),"                                        \
    " shown AS (SELECT * FROM page ORDER BY id DESC LIMIT " limit "::int)"                    \
    " SELECT coalesce((SELECT jsonb_agg(j ORDER BY id DESC) FROM shown), '[]')::text,"        \
    "  (SELECT count(*) FROM page) > " limit "::int, (SELECT min(id) FROM shown)"

/* the identity of user $u last signed in with (sql/047): zero or one row */
#define IDENTITY_OF(u)                                                                        \
    "SELECT verified_name, tax_number, label FROM user_identities WHERE user_id = " u        \
    "::bigint ORDER BY last_seen DESC, id DESC LIMIT 1"

const char APPLICATION_SERVICE_SQL[] =
    "WITH idn AS (" IDENTITY_OF("$3") ")"
    " SELECT s.fields::text, s.applicants, (SELECT tax_number FROM idn),"
    "  (SELECT label FROM idn) FROM services s JOIN boundaries b"
    " ON b.id = s.municipality_id"
    " WHERE b.level = 'municipality' AND b.code = $1 AND s.id = $2::bigint AND s.active";

/* the required documents of service s with no file attached to application
 * a: a set of document objects d */
#define MISSING_DOCUMENTS(a, s)                                                               \
    " jsonb_array_elements(" s ".documents) d WHERE coalesce((d->>'required')::boolean, true)"\
    " AND NOT EXISTS (SELECT 1 FROM application_files f WHERE f.application_id = " a ".id"   \
    "   AND f.document_code = d->>'code')"

const char APPLICATION_DRAFT_SQL[] =
    "SELECT a.status, a.version, a.applicant_kind, a.tax_number, a.business_name,"
    " a.answers::text, s.fields::text, s.applicants, s.active,"
    " (SELECT coalesce(jsonb_agg(d->>'code'), '[]') FROM" MISSING_DOCUMENTS("a", "s") ")::text,"
    " a.verified_tax_number, a.verified_by"
    " FROM applications a JOIN services s ON s.id = a.service_id"
    " WHERE a.id = $1::bigint AND a.user_id = $2::bigint";

const char APPLICATION_CREATE_SQL[] =
    "WITH idn AS (" IDENTITY_OF("$2") "),"
    " a AS (INSERT INTO applications (service_id, municipality_id, department_id, user_id,"
    "         applicant_kind, tax_number, business_name, answers, verified_name,"
    "         verified_tax_number, verified_by)"
    "       SELECT id, municipality_id, department_id, $2::bigint, $3, $4, $5, $6::jsonb,"
    "         (SELECT verified_name FROM idn), (SELECT tax_number FROM idn),"
    "         (SELECT label FROM idn)"
    "       FROM services WHERE id = $1::bigint AND active RETURNING *)" DRAFT_WRITTEN;

const char APPLICATION_UPDATE_SQL[] =
    "WITH a AS (UPDATE applications t SET applicant_kind = $3, tax_number = $4,"
    "         business_name = $5, answers = $6::jsonb, version = t.version + 1,"
    "         updated_at = now()"
    "       WHERE t.id = $1::bigint AND t.user_id = $2::bigint AND t.status = 'draft'"
    "         AND t.version = $7::int RETURNING t.*)" DRAFT_WRITTEN;

/* The draft is locked first (FOR UPDATE): a second submission of it waits,
 * then finds it submitted and takes no number. Every required document
 * must be attached (a file added or deleted meanwhile changed the version
 * too). The correspondent is the business (name and tax number) or the
 * person (name, else e-mail). */
const char APPLICATION_SUBMIT_SQL[] =
    "WITH draft AS (SELECT a.*, s.title_el AS service_title, s.target_hours,"
    "     s.department_id AS service_department, u.email,"
    "     coalesce(a.verified_name, u.display_name, u.email::text) AS person"
    "   FROM applications a JOIN services s ON s.id = a.service_id"
    "   JOIN users u ON u.id = a.user_id"
    "   WHERE a.id = $1::bigint AND a.user_id = $2::bigint AND a.status = 'draft'"
    "     AND a.version = $3::int AND s.active"
    "     AND NOT EXISTS (SELECT 1 FROM" MISSING_DOCUMENTS("a", "s") ") FOR UPDATE OF a),"
    PROTOCOL_TAKE_NUMBER("draft") ","
    " e AS (INSERT INTO protocol_entries (municipality_id, year, number, direction, subject,"
    "         correspondent, channel, application_id, registered_by, registered_by_label)"
    "       SELECT num.municipality_id, num.year, num.number, 'incoming',"
    "         'Αίτηση: ' || draft.service_title,"
    "         CASE WHEN draft.applicant_kind = 'business'"
    "           THEN draft.business_name || ' (ΑΦΜ ' || draft.tax_number || ')'"
    "           ELSE draft.person END,"
    "         'web', draft.id, draft.user_id, draft.email FROM num, draft"
    "       RETURNING id, application_id, number, year),"
    " a AS (UPDATE applications t SET status = 'submitted', protocol_entry_id = e.id,"
    "         department_id = draft.service_department, submitted_at = now(),"
    "         due_at = now() + make_interval(hours => draft.target_hours),"
    "         updated_at = now(), version = t.version + 1"
    "       FROM e, draft WHERE t.id = e.application_id RETURNING t.*),"
    " h AS (INSERT INTO application_history (application_id, actor_user_id, actor_role,"
    "         from_status, to_status, department_id)"
    "       SELECT id, user_id, $4, 'draft', status, department_id FROM a"
    "       RETURNING id, application_id),"
    " i AS (INSERT INTO inbox (user_id, application_id, application_history_id)"
    "       SELECT a.user_id, h.application_id, h.id FROM h JOIN a ON a.id = h.application_id)"
    " SELECT " APPLICATION_JSON("a", "s", "d", "u", "e.number || '/' || e.year") "::text"
    " FROM a JOIN e ON e.application_id = a.id" WITH_SERVICE("a");

/* The steps of application a in order (sql/042, sql/046), for a staff
 * viewer when the boolean expression staff holds: who acted (the name of
 * the staff member or admin for staff only; the applicant sees "the
 * municipality"), the comment the applicant was shown, the document a step
 * issued, and for staff whom an assignment gave it to. */
#define HISTORY_JSON(a, staff)                                                                \
    "(SELECT coalesce(jsonb_agg(jsonb_build_object('at', h.at, 'kind', h.event,"              \
    "   'status', h.to_status, 'comment', h.public_comment,"                                  \
    "   'requested_documents', h.requested,"                                                  \
    "   'by', jsonb_build_object('kind', CASE h.actor_role WHEN 'citizen' THEN 'applicant'"   \
    "       WHEN 'system' THEN 'system' ELSE 'municipality' END)"                             \
    "     || CASE WHEN " staff " AND h.actor_role IN ('staff', 'admin') AND hu.id IS NOT NULL"\
    "       THEN jsonb_build_object('name', coalesce(nullif(btrim(hu.display_name), ''),"     \
    "         hu.email::text), 'role', h.actor_role) ELSE '{}' END,"                          \
    "   'assignee', CASE WHEN " staff " AND hs.id IS NOT NULL THEN jsonb_build_object('id',"  \
    "     hs.id, 'name', coalesce(nullif(btrim(hs.display_name), ''), hs.email::text)) END,"  \
    "   'document', CASE WHEN hd.id IS NOT NULL THEN jsonb_build_object('id', hd.id,"         \
    "     'kind', hd.kind, 'code', hd.code) END) ORDER BY h.id), '[]')"                       \
    " FROM application_history h LEFT JOIN users hu ON hu.id = h.actor_user_id"               \
    " LEFT JOIN users hs ON hs.id = h.assignee_user_id"                                       \
    " LEFT JOIN issued_documents hd ON hd.id = h.document_id"                                 \
    " WHERE h.application_id = " a ".id)"

/* the caller of APPLICATION_GET_SQL is staff of the application's department or an admin */
#define STAFF_VIEWER "($3::boolean OR a.department_id = ANY ($4::bigint[]))"

const char APPLICATION_GET_SQL[] =
    "SELECT (" STORED_JSON " || jsonb_build_object('history', "
    HISTORY_JSON("a", STAFF_VIEWER) ", 'assignee', CASE WHEN " STAFF_VIEWER " THEN "
    ASSIGNEE_OF("a") " END))::text"
    APPLICATION_FROM
    " WHERE a.id = $1::bigint AND (a.user_id = $2::bigint OR (a.status <> 'draft'"
    "   AND ($3::boolean OR a.department_id = ANY ($4::bigint[]))))";

const char APPLICATION_MINE_SQL[] =
    APPLICATION_PAGE("a.user_id = $1::bigint", "$2", "$3", "'{}'::jsonb");

const char APPLICATION_QUEUE_SQL[] = APPLICATION_PAGE(
    "a.status <> 'draft' AND ($1::boolean OR a.department_id = ANY ($2::bigint[]))"
    " AND ($3::text IS NULL OR a.status = $3::text)"
    " AND ($4::bigint IS NULL OR a.service_id = $4::bigint)"
    " AND ($7::bigint IS NULL OR a.assignee_user_id = $7::bigint)",
    "$5", "$6", "jsonb_build_object('assignee', " ASSIGNEE_OF("a") ")");
