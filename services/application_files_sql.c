#include "services/application_files_sql.h"

/* the viewer ($2 user, $3 admin, $4 departments) may see application a:
 * its applicant, and once submitted staff of its department and admins
 * (the rule of APPLICATION_GET_SQL) */
#define VIEWER_SEES(a)                                                                        \
    "(" a ".user_id = $2::bigint OR (" a ".status <> 'draft'"                                 \
    " AND ($3::boolean OR " a ".department_id = ANY ($4::bigint[]))))"

const char APPLICATION_FILE_TARGET_SQL[] =
    "SELECT a.status, d.doc IS NOT NULL,"
    " (SELECT string_agg(t, ',') FROM jsonb_array_elements_text(d.doc->'types') t),"
    " d.doc->>'max_kb',"
    " (SELECT coalesce(string_agg(x->>'code', ', ' ORDER BY o), '')"
    "    FROM jsonb_array_elements(s.documents) WITH ORDINALITY AS e (x, o))"
    " FROM applications a JOIN services s ON s.id = a.service_id"
    " LEFT JOIN LATERAL (SELECT x AS doc FROM jsonb_array_elements(s.documents) x"
    "   WHERE x->>'code' = $3 LIMIT 1) d ON true"
    " WHERE a.id = $1::bigint AND a.user_id = $2::bigint";

const char APPLICATION_FILE_INSERT_SQL[] =
    "WITH a AS (UPDATE applications t SET version = t.version + 1, updated_at = now()"
    "   WHERE t.id = $1::bigint AND t.user_id = $2::bigint"
    "     AND t.status IN ('draft', 'info_requested')"
    "   RETURNING t.id, t.status)"
    " INSERT INTO application_files AS f (application_id, document_code, original_name,"
    "   media_type, bytes, sha256, pages, metadata, file_name, uploaded_by, uploaded_while)"
    " SELECT a.id, $3, $4, $5, $6::bigint, $7, $8::int, $9::jsonb, $10, $2::bigint, a.status FROM a"
    " RETURNING " APPLICATION_FILE_JSON("f") "::text";

const char APPLICATION_FILES_LIST_SQL[] =
    "SELECT " APPLICATION_FILES_OF("a") "::text FROM applications a"
    " WHERE a.id = $1::bigint AND " VIEWER_SEES("a");

const char APPLICATION_FILE_GET_SQL[] =
    "SELECT f.file_name, f.media_type, f.sha256, f.original_name"
    " FROM application_files f JOIN applications a ON a.id = f.application_id"
    " WHERE a.id = $1::bigint AND f.id = $5::bigint AND " VIEWER_SEES("a");

/* The draft is changed (its version bumped) only when the file is one of
 * it; a submission waiting on the same row then finds the version changed. */
const char APPLICATION_FILE_DELETE_SQL[] =
    "WITH a AS (SELECT id, status FROM applications WHERE id = $1::bigint"
    "   AND user_id = $2::bigint),"
    " f AS (SELECT f.id FROM application_files f JOIN a ON a.id = f.application_id"
    "   WHERE f.id = $3::bigint),"
    " bump AS (UPDATE applications t SET version = t.version + 1, updated_at = now()"
    "   FROM f WHERE t.id = $1::bigint AND t.status = 'draft' RETURNING t.id),"
    " d AS (DELETE FROM application_files x USING bump"
    "   WHERE x.id = $3::bigint AND x.application_id = bump.id RETURNING x.file_name)"
    " SELECT a.status, EXISTS (SELECT 1 FROM f), (SELECT file_name FROM d) FROM a";
