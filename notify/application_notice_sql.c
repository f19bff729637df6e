#include "notify/application_notice_sql.h"

#include "gis/notify_wording.h"

/* The application steps among the queued events (FOR UPDATE SKIP LOCKED:
 * another process takes others). */
#define APP_CLAIM(which, how)                                                                \
    "WITH claimed AS (" how " WHERE id IN (SELECT id FROM notify_queue"                      \
    "     WHERE application_history_id IS NOT NULL AND " which                               \
    "     ORDER BY id LIMIT $1::int FOR UPDATE SKIP LOCKED)"                                  \
    "   RETURNING id AS queue_id, application_history_id),"

const char APP_NOTICE_INBOX_SQL[] =
    APP_CLAIM("NOT inboxed", "UPDATE notify_queue SET inboxed = true")
    " ins_inbox AS (INSERT INTO inbox (user_id, application_id, application_history_id)"
    "   SELECT a.user_id, ah.application_id, ah.id FROM claimed q"
    "   JOIN application_history ah ON ah.id = q.application_history_id"
    "   JOIN applications a ON a.id = ah.application_id"
    "   WHERE a.user_id IS NOT NULL" /* the applicant's account is gone: no one to tell */
    "   ORDER BY q.queue_id RETURNING 1)"
    " SELECT (SELECT count(*) FROM claimed), (SELECT count(*) FROM ins_inbox)";

const char APP_NOTICE_MAIL_SQL[] =
    APP_CLAIM("inboxed", "DELETE FROM notify_queue")
    " chosen AS MATERIALIZED (SELECT q.queue_id, ah.id AS history_id, a.user_id,"
    "     u.email::text AS recipient, coalesce(p.email, k.default_email) AS mode,"
    NOTIFY_APP_COLUMNS
    "   FROM claimed q JOIN application_history ah ON ah.id = q.application_history_id"
    NOTIFY_APP_JOINS
    "   JOIN notification_kinds k ON k.kind = 'own_applications'"
    "   LEFT JOIN notification_preferences p ON p.user_id = a.user_id AND p.kind = k.kind"
    "   WHERE ah.actor_user_id IS DISTINCT FROM a.user_id),"
    " ins_digest AS (INSERT INTO digest_items (user_id, application_history_id, kind)"
    "   SELECT user_id, history_id, 'own_applications' FROM chosen WHERE mode = 'daily'"
    "   ORDER BY queue_id RETURNING 1),"
    " mail AS MATERIALIZED (SELECT c.*, " NOTIFY_NEW_TOKEN " AS unsub_token FROM chosen c"
    "   WHERE mode = 'immediate'),"
    " ins_outbox AS (INSERT INTO outbox (user_id, recipient, subject, body, thread_key,"
    "     list_unsubscribe, unsubscribe_token)"
    "   SELECT user_id, recipient, " NOTIFY_APP_SUBJECT ","
    "     " NOTIFY_APP_LINE " || E'\\n\\n' || "
    NOTIFY_APP_SEE("$2::text || '/#/applications/' || application_id")
    "     || " NOTIFY_STOP(NOTIFY_UNSUBSCRIBE_URL("$2::text")) " || E'\\n',"
    "     'application-' || application_id, " NOTIFY_UNSUBSCRIBE_URL("$2::text") ","
    "     unsub_token FROM mail ORDER BY queue_id RETURNING 1),"
    " ins_unsubscribe AS (INSERT INTO unsubscribe_tokens (token_hash, user_id, kind)"
    "   SELECT sha256(convert_to(unsub_token, 'UTF8')), user_id, 'own_applications' FROM mail)"
    " SELECT (SELECT count(*) FROM claimed), (SELECT count(*) FROM ins_outbox),"
    "  (SELECT count(*) FROM ins_digest)";
