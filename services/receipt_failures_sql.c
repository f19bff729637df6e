#include "services/receipt_failures_sql.h"

#include "common/stringify.h"

const char RECEIPT_FAILED_SQL[] =
    "WITH f AS (INSERT INTO receipt_failures AS f (application_id, attempts, error, next_at,"
    "     gave_up_at)"
    "   SELECT id, 1, $2::text, now() + interval '" STRINGIFY(RECEIPT_RETRY_FIRST_S) " s',"
    "     CASE WHEN 1 >= " STRINGIFY(RECEIPT_ATTEMPTS_MAX) " THEN now() END"
    "   FROM applications WHERE id = $1::bigint"
    "   ON CONFLICT (application_id) DO UPDATE SET attempts = f.attempts + 1,"
    "     error = excluded.error, failed_at = now(),"
    "     next_at = now() + least(interval '" STRINGIFY(RECEIPT_RETRY_FIRST_S) " s'"
    "       * power(2, f.attempts), interval '1 hour'),"
    "     gave_up_at = CASE WHEN f.attempts + 1 >= " STRINGIFY(RECEIPT_ATTEMPTS_MAX)
    "       THEN now() END"
    "   RETURNING attempts, gave_up_at IS NOT NULL AS gave_up, next_at),"
    " au AS (INSERT INTO audit_log (actor_label, action, entity, entity_id, after)"
    "   SELECT 'system', 'application.receipt_failed', 'application', $1::text,"
    "     jsonb_build_object('error', $2::text, 'attempt', attempts, 'gave_up', gave_up)"
    "   FROM f)"
    " SELECT attempts, gave_up, ceil(extract(epoch FROM next_at - now()))::int FROM f";

const char RECEIPT_FAILURES_CLEAR_SQL[] =
    "DELETE FROM receipt_failures WHERE application_id = $1::bigint";

const char RECEIPT_RETRY_DUE_SQL[] =
    "SELECT greatest(0, ceil(extract(epoch FROM min(next_at) - now())))::int"
    " FROM receipt_failures WHERE gave_up_at IS NULL";
