#include "gis/jobs_sql.h"

/* j: a jobs row */
#define JOB_JSON(j)                                                                        \
    "json_build_object('id', " j ".id, 'kind', " j ".kind, 'status', " j ".status,"        \
    " 'layer', " j ".layer, 'file', " j ".file_name, 'file_bytes', " j ".file_bytes,"       \
    " 'options', " j ".options, 'progress', " j ".progress, 'result', " j ".result,"        \
    " 'created_by', " j ".created_by, 'created_at', " j ".created_at,"                      \
    " 'started_at', " j ".started_at, 'finished_at', " j ".finished_at,"                    \
    " 'url', '/api/v1/jobs/' || " j ".id)"

/* the job-reading rule of jobs_reap(), for one row */
#define JOB_LOST(j)                                                                        \
    "(" j ".status = 'running' AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a"           \
    " WHERE a.pid = " j ".runner_pid))"

const char JOB_CREATE_SQL[] =
    "WITH j AS (INSERT INTO jobs (kind, created_by, layer, file_name, file_bytes, options, server)"
    "   VALUES ('layer_import', $6::bigint, $1, $2, $3::bigint, $4::jsonb, $5) RETURNING *),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "         entity_id, after, client_ip)"
    "       SELECT $6::bigint, $7::bigint, $8, 'layer.upload', 'layer', j.layer,"
    "         jsonb_build_object('job', j.id, 'file', j.file_name, 'bytes', j.file_bytes)"
    "           || j.options, $9::inet FROM j)"
    " SELECT j.id, " JOB_JSON("j") "::text FROM j";

const char JOB_FAIL_QUEUED_SQL[] =
    "UPDATE jobs SET status = 'failed', finished_at = now(),"
    "   result = jsonb_build_object('error', coalesce(file_name, 'the upload') || ': ' || $2)"
    " WHERE id = $1::bigint AND status = 'queued'";

const char JOB_START_SQL[] =
    "UPDATE jobs SET status = 'running', started_at = now(), runner_pid = pg_backend_pid()"
    " WHERE id = $1::bigint AND status = 'queued' RETURNING id";

const char JOB_PROGRESS_SQL[] =
    "UPDATE jobs SET progress = jsonb_build_object('read', $2::bigint, 'written', $3::bigint,"
    "   'total', $4::bigint)"
    " WHERE id = $1::bigint AND status = 'running'";

const char JOB_FINISH_SQL[] =
    "UPDATE jobs SET status = $2, finished_at = now(), result = $3::jsonb,"
    "   progress = jsonb_build_object('read', $4::bigint, 'written', $5::bigint,"
    "     'total', $6::bigint)"
    " WHERE id = $1::bigint";

const char JOB_GET_SQL[] =
    "WITH r AS (UPDATE jobs j SET status = 'failed', finished_at = now(),"
    "     result = jsonb_build_object('error', coalesce(j.file_name, 'the upload')"
    "       || ': the server stopped while the job was running; upload the file again')"
    "   WHERE j.id = $1::bigint AND " JOB_LOST("j") " RETURNING j.*),"
    " v AS (SELECT * FROM r UNION ALL"
    "   SELECT * FROM jobs WHERE id = $1::bigint AND NOT EXISTS (SELECT 1 FROM r))"
    " SELECT " JOB_JSON("v") "::text FROM v"
    " WHERE v.created_by = $2::bigint OR $3::boolean";

const char JOB_PAGE_SQL[] =
    "SELECT j.id, " JOB_JSON("j") "::text FROM jobs j"
    " WHERE ($1::bigint = 0 OR j.id < $1::bigint) AND (j.created_by = $3::bigint OR $4::boolean)"
    " ORDER BY j.id DESC LIMIT $2::int";

const char JOB_REAP_SQL[] = "SELECT jobs_reap()";

const char JOB_QUEUED_SQL[] = "SELECT id, server FROM jobs WHERE status = 'queued'";

const char JOB_LIVE_SQL[] =
    "SELECT 1 FROM jobs WHERE id = $1::bigint AND status IN ('queued', 'running')";
