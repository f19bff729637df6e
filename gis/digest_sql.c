#include "gis/digest_sql.h"

#include "gis/notify_wording.h"

/* 1. Whose digest is written now: one digest_sent row per user with items
 * and none today; the items of those users are taken off the list. */
#define CLAIM                                                                                \
    " today AS (SELECT (now() AT TIME ZONE 'Europe/Athens')::date AS day"                    \
    "   WHERE $3::boolean"                                                                   \
    "      OR extract(hour FROM now() AT TIME ZONE 'Europe/Athens') >= $2::int),"            \
    " claimed AS (INSERT INTO digest_sent (user_id, day, items)"                             \
    "   SELECT i.user_id, t.day, count(*) FROM digest_items i, today t"                      \
    "   GROUP BY i.user_id, t.day ORDER BY i.user_id"                                        \
    "   ON CONFLICT (user_id, day) DO NOTHING RETURNING user_id, items),"                    \
    " taken AS (DELETE FROM digest_items i USING claimed c WHERE i.user_id = c.user_id"      \
    "   RETURNING i.*),"

/* 2. The text: a line per item (gis/notify_wording.h), the lines about one
 * report (or one application) newest first with its link, the reports and
 * applications by their newest item. */
#define TEXT                                                                                 \
    " line AS (SELECT i.id, i.user_id, 'report-' || i.report_id AS about, i.lang,"           \
    "     " NOTIFY_SEE("$1::text || '/#/reports/' || i.report_id") " AS see,"                \
    "     " NOTIFY_EVENT_LINE " AS text"                                                     \
    "   FROM (SELECT t.id, t.user_id, t.report_id, t.kind, t.filed, t.to_status, t.message,"  \
    "       t.assigned,"                                                                     \
    "       u.language AS lang FROM taken t JOIN users u ON u.id = t.user_id) i"              \
    "   JOIN reports r ON r.id = i.report_id"                                                \
    "   JOIN report_categories c ON c.id = r.category_id"                                    \
    "   LEFT JOIN report_statuses st ON st.name = i.to_status"                               \
    "   UNION ALL"                                                                           \
    "   SELECT i.id, i.user_id, 'application-' || i.application_id, i.lang,"                 \
    "     " NOTIFY_APP_SEE("$1::text || '/#/applications/' || i.application_id") ","         \
    "     " NOTIFY_APP_LINE                                                                  \
    "   FROM (SELECT t.id, t.user_id," NOTIFY_APP_COLUMNS                                    \
    "     FROM taken t JOIN application_history ah ON ah.id = t.application_history_id"      \
    NOTIFY_APP_JOINS ") i),"                                                                 \
    " per_report AS (SELECT user_id, about, lang, see, max(id) AS newest,"                   \
    "     string_agg(text, E'\\n' ORDER BY id DESC) AS text"                                  \
    "   FROM line GROUP BY user_id, about, lang, see),"                                      \
    " digest AS MATERIALIZED (SELECT p.user_id, p.lang, u.email::text AS recipient,"         \
    "     c.items, string_agg(p.text || E'\\n' || p.see"                                     \
    "       , E'\\n\\n' ORDER BY p.newest DESC) AS text,"                                     \
    "     " NOTIFY_NEW_TOKEN " AS unsub_token"                                               \
    "   FROM per_report p JOIN users u ON u.id = p.user_id"                                  \
    "   JOIN claimed c ON c.user_id = p.user_id"                                             \
    "   GROUP BY p.user_id, p.lang, u.email, c.items),"

#define MAILS                                                                                \
    " ins_outbox AS (INSERT INTO outbox (user_id, recipient, subject, body, list_unsubscribe,"\
    "     unsubscribe_token)"                                                                \
    "   SELECT user_id, recipient,"                                                          \
    "     CASE WHEN lang = 'en' THEN 'Your daily digest: ' || items || ' notification'"      \
    "       || CASE WHEN items = 1 THEN '' ELSE 's' END"                                      \
    "     ELSE 'Η ημερήσια σύνοψή σας: ' || items || CASE WHEN items = 1"                     \
    "       THEN ' ειδοποίηση' ELSE ' ειδοποιήσεις' END END,"                                 \
    "     text || " NOTIFY_STOP(NOTIFY_UNSUBSCRIBE_URL("$1::text"))                          \
    "       || E'\\n',"                                                                       \
    "     " NOTIFY_UNSUBSCRIBE_URL("$1::text") ", unsub_token"                               \
    "   FROM digest ORDER BY user_id RETURNING 1),"                                          \
    " ins_unsubscribe AS (INSERT INTO unsubscribe_tokens (token_hash, user_id)"              \
    "   SELECT sha256(convert_to(unsub_token, 'UTF8')), user_id FROM digest)"

const char DIGEST_SEND_SQL[] =
    "WITH" CLAIM TEXT MAILS
    " SELECT (SELECT count(*) FROM ins_outbox), (SELECT count(*) FROM taken)";
