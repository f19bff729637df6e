#include "gis/notify_fanout_sql.h"

/* The events claimed, one row each: for whom (to_followers: followers and
 * subscribers; to_staff: the department's staff; reporter_inbox: the
 * reporter's account; mail_reporter: a mail to the reporter). A routing is
 * a history event whose department differs from the event before it. */
#define EVENTS                                                                               \
    " claimed AS (DELETE FROM notify_queue WHERE id IN (SELECT id FROM notify_queue"         \
    "     ORDER BY id LIMIT $1::int FOR UPDATE SKIP LOCKED)"                                  \
    "   RETURNING id AS queue_id, history_id, message_id),"                                                  \
    " ev AS (SELECT q.queue_id, h.report_id, h.id AS history_id, NULL::bigint AS message_id,"            \
    "     h.actor_user_id AS actor, coalesce(h.department_id, r.department_id) AS department," \
    "     true AS to_followers,"                                                             \
    "     (h.from_status IS NULL OR h.to_status = 'reopened'"                                \
    "      OR h.department_id IS DISTINCT FROM prev.department_id) AS to_staff,"             \
    "     false AS reporter_inbox,"                                                          \
    "     (h.from_status IS NOT NULL AND h.from_status IS DISTINCT FROM h.to_status)"        \
    "       AS mail_reporter,"                                                               \
    "     h.to_status, NULL::text AS message"                                                \
    "   FROM claimed q JOIN report_history h ON h.id = q.history_id"                         \
    "   JOIN reports r ON r.id = h.report_id"                                                \
    "   LEFT JOIN LATERAL (SELECT p.department_id FROM report_history p"                     \
    "     WHERE p.report_id = h.report_id AND p.id < h.id ORDER BY p.id DESC LIMIT 1) prev"  \
    "     ON true"                                                                           \
    "   UNION ALL"                                                                           \
    "   SELECT q.queue_id, m.report_id, NULL, m.id, m.author_user_id, r.department_id, false,"           \
    "     m.author_role = 'reporter', m.author_role <> 'reporter',"                          \
    "     m.author_role <> 'reporter', NULL, m.body"                                         \
    "   FROM claimed q JOIN report_messages m ON m.id = q.message_id"                        \
    "   JOIN reports r ON r.id = m.report_id),"

/* Account holders to tell, each once per event. The inbox rows are written
 * in the order of the events (queue_id), so that a mailbox stream resumed
 * by inbox id replays them in the order they happened. A private category's
 * reports only reach subscribers who may see them. */
#define RECIPIENTS                                                                           \
    " who AS (SELECT e.queue_id, e.history_id, e.message_id, e.report_id, f.user_id FROM ev e"           \
    "     JOIN report_followers f ON f.report_id = e.report_id WHERE e.to_followers"         \
    "   UNION"                                                                               \
    "   SELECT e.queue_id, e.history_id, e.message_id, e.report_id, s.user_id FROM ev e"                 \
    "     JOIN reports r ON r.id = e.report_id"                                              \
    "     JOIN report_categories c ON c.id = r.category_id"                                  \
    "     JOIN report_subscriptions s"                                                       \
    "       ON (s.kind = 'category' AND s.category_id = r.category_id)"                      \
    "       OR (s.kind = 'report' AND s.report_id = r.id)"                                   \
    "       OR (s.kind = 'area' AND ST_Intersects(s.area, r.geom)"                           \
    "           AND (s.category_id IS NULL OR s.category_id = r.category_id))"               \
    "     JOIN users u ON u.id = s.user_id"                                                  \
    "     WHERE e.to_followers"                                                              \
    "       AND (NOT c.private OR u.role = 'admin' OR r.user_id = u.id"                      \
    "            OR (u.role = 'staff' AND EXISTS (SELECT 1 FROM user_departments ud"         \
    "                WHERE ud.user_id = u.id AND ud.department_id = r.department_id)))"      \
    "   UNION"                                                                               \
    "   SELECT e.queue_id, e.history_id, e.message_id, e.report_id, ud.user_id FROM ev e"                \
    "     JOIN user_departments ud ON ud.department_id = e.department"                       \
    "     JOIN users u ON u.id = ud.user_id AND u.role = 'staff'"                            \
    "     WHERE e.to_staff AND ud.user_id IS DISTINCT FROM e.actor"                          \
    "   UNION"                                                                               \
    "   SELECT e.queue_id, e.history_id, e.message_id, e.report_id, r.user_id FROM ev e"                 \
    "     JOIN reports r ON r.id = e.report_id"                                              \
    "     WHERE e.reporter_inbox AND r.user_id IS NOT NULL"                                  \
    "       AND r.user_id IS DISTINCT FROM e.actor),"

/* Mails to the reporter, in Greek (no language is stored for a reporter);
 * an anonymous reporter's carries a new tracking token: two v4 UUIDs (244
 * random bits) as base64url, 43 characters like the tokens of auth/token.c. */
#define MAILS                                                                                \
    " mail AS MATERIALIZED (SELECT e.report_id, r.user_id,"                                  \
    "     coalesce(u.email::text, r.contact_email) AS recipient,"                            \
    "     CASE WHEN r.user_id IS NULL THEN"                                                  \
    "       rtrim(translate(encode(decode(replace(gen_random_uuid()::text"                    \
    "         || gen_random_uuid()::text, '-', ''), 'hex'), 'base64'), '+/', '-_'), '=')"     \
    "       END AS token,"                                                                   \
    "     coalesce(st.label_el, e.to_status) AS status_label, e.message"                     \
    "   FROM ev e JOIN reports r ON r.id = e.report_id"                                      \
    "   LEFT JOIN users u ON u.id = r.user_id"                                               \
    "   LEFT JOIN report_statuses st ON st.name = e.to_status"                               \
    "   WHERE e.mail_reporter AND coalesce(u.email::text, r.contact_email) IS NOT NULL"      \
    "     AND (r.user_id IS NULL OR r.user_id IS DISTINCT FROM e.actor)),"                   \
    " ins_outbox AS (INSERT INTO outbox (user_id, recipient, subject, body, token)"          \
    "   SELECT user_id, recipient,"                                                          \
    "     'Αναφορά #' || report_id || ': ' ||"                                               \
    "       CASE WHEN message IS NULL THEN status_label ELSE 'απάντηση του δήμου' END,"      \
    "     CASE WHEN message IS NULL"                                                         \
    "       THEN 'Η αναφορά σας #' || report_id || ' άλλαξε κατάσταση: ' || status_label || '.'" \
    "       ELSE 'Ο δήμος απάντησε στην αναφορά σας #' || report_id || E':\\n\\n' || message END" \
    "     || E'\\n\\nΔείτε την αναφορά: ' || $2::text || '/track/' || report_id"             \
    "     || CASE WHEN token IS NULL THEN '' ELSE '#secret={{token}}' END || E'\\n',"        \
    "     token"                                                                             \
    "   FROM mail RETURNING 1),"                                                             \
    " ins_tokens AS (INSERT INTO report_track_tokens (token_hash, report_id)"                \
    "   SELECT sha256(convert_to(token, 'UTF8')), report_id FROM mail WHERE token IS NOT NULL)"

const char NOTIFY_FANOUT_SQL[] =
    "WITH" EVENTS RECIPIENTS
    " ins_inbox AS (INSERT INTO inbox (user_id, report_id, history_id, message_id)"
    "   SELECT user_id, report_id, history_id, message_id FROM who"                     \
    "   ORDER BY queue_id, user_id RETURNING 1),"
    MAILS
    " SELECT (SELECT count(*) FROM claimed), (SELECT count(*) FROM ins_inbox),"
    "  (SELECT count(*) FROM ins_outbox)";

const char NOTIFY_FOLD_LAYER_CHANGES_SQL[] = "SELECT polis_fold_layer_changes()";
