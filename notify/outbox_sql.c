#include "notify/outbox_sql.h"

const char OUTBOX_CLAIM_SQL[] =
    "WITH due AS (SELECT id FROM outbox"
    "   WHERE status = 'pending' AND next_attempt_at <= now()"
    "     AND (claimed_until IS NULL OR claimed_until < now())"
    "   ORDER BY next_attempt_at, id LIMIT $1::int FOR UPDATE SKIP LOCKED)"
    " UPDATE outbox o"
    " SET claimed_until = now() + make_interval(secs => $2::int), attempts = o.attempts + 1,"
    "     mail_message_id = coalesce(o.mail_message_id, 'outbox-' || o.id || '@' || $3::text)"
    " FROM due WHERE o.id = due.id"
    " RETURNING o.id, o.recipient, o.subject, outbox_rendered_body(o), outbox_rendered_html(o),"
    "   o.mail_message_id, o.thread_key, outbox_rendered_list_unsubscribe(o),"
    "   extract(epoch FROM o.created_at)::bigint";

const char OUTBOX_ANSWER_SQL[] =
    "UPDATE outbox SET last_answer = $2::text, claimed_until = NULL"
    " WHERE id = $1::bigint AND status = 'pending'";

const char OUTBOX_HANDED_OVER_SQL[] = "SELECT outbox_handed_over($1::bigint)";

const char OUTBOX_NOT_SENT_SQL[] =
    "WITH m AS (SELECT id, attempts,"
    "     $3::boolean OR created_at + make_interval(secs => $4::int) <= now() AS give_up"
    "   FROM outbox WHERE id = $1::bigint AND status = 'pending' FOR UPDATE)"
    " UPDATE outbox o SET last_answer = $2::text, claimed_until = NULL,"
    "   status = CASE WHEN m.give_up THEN 'failed' ELSE 'pending' END,"
    "   failed_at = CASE WHEN m.give_up THEN now() END,"
    "   token = CASE WHEN m.give_up THEN NULL ELSE o.token END,"
    "   unsubscribe_token = CASE WHEN m.give_up THEN NULL ELSE o.unsubscribe_token END,"
    "   next_attempt_at = now() + least("
    "       interval '30 seconds' * power(2, least(greatest(m.attempts, 1) - 1, 16)),"
    "       interval '1 hour', make_interval(secs => $4::int / 4.0))"
    " FROM m WHERE o.id = m.id RETURNING o.status";
