#include "gis/notify_fanout_sql.h"

#include "gis/notify_wording.h"

/* 1. The events claimed: the first stage takes queued events that have no
 * inbox rows yet and marks them, the second takes marked ones and removes
 * them (FOR UPDATE SKIP LOCKED: another process takes others). A report's
 * events only: an application's steps are notify/application_notice_sql.h's. */
#define CLAIM(which, how)                                                                    \
    " claimed AS (" how " WHERE id IN (SELECT id FROM notify_queue"                          \
    "     WHERE application_history_id IS NULL AND " which                                   \
    "     ORDER BY id LIMIT $1::int FOR UPDATE SKIP LOCKED)"                                  \
    "   RETURNING id AS queue_id, history_id, message_id),"
#define CLAIM_FOR_INBOX CLAIM("NOT inboxed", "UPDATE notify_queue SET inboxed = true")
#define CLAIM_FOR_MAIL CLAIM("inboxed", "DELETE FROM notify_queue")

/* The claimed events, one row each: for whom (to_followers: followers
 * and subscribers; to_staff: the department's staff; reporter_inbox: the
 * reporter's account; mail_reporter: a mail to an anonymous reporter) and
 * what (filed, to_status, message). A routing is a history event whose
 * department differs from the event before it. */
#define EVENTS                                                                               \
    " ev AS (SELECT q.queue_id, h.report_id, h.id AS history_id, NULL::bigint AS message_id,"\
    "     h.actor_user_id AS actor, coalesce(h.department_id, r.department_id) AS department," \
    "     h.event <> 'assigned' AS to_followers,"                                           \
    "     h.event <> 'assigned' AND (h.from_status IS NULL OR h.to_status = 'reopened'"      \
    "      OR h.department_id IS DISTINCT FROM prev.department_id) AS to_staff,"             \
    "     false AS reporter_inbox,"                                                          \
    "     (h.from_status IS NOT NULL AND h.from_status IS DISTINCT FROM h.to_status)"        \
    "       AS mail_reporter,"                                                               \
    "     h.from_status IS NULL AS filed, h.to_status, NULL::text AS message,"               \
    "     CASE WHEN h.event = 'assigned' THEN h.assignee_id END AS assigned_to"             \
    "   FROM claimed q JOIN report_history h ON h.id = q.history_id"                         \
    "   JOIN reports r ON r.id = h.report_id"                                                \
    "   LEFT JOIN LATERAL (SELECT p.department_id FROM report_history p"                     \
    "     WHERE p.report_id = h.report_id AND p.id < h.id ORDER BY p.id DESC LIMIT 1) prev"  \
    "     ON true"                                                                           \
    "   UNION ALL"                                                                           \
    "   SELECT q.queue_id, m.report_id, NULL, m.id, m.author_user_id, r.department_id, false,"\
    "     m.author_role = 'reporter', m.author_role <> 'reporter',"                          \
    "     m.author_role <> 'reporter', false, NULL, m.body, NULL"                            \
    "   FROM claimed q JOIN report_messages m ON m.id = q.message_id"                        \
    "   JOIN reports r ON r.id = m.report_id),"

#define RECIPIENTS                                                                           \
    " reached AS (SELECT e.queue_id, f.user_id,"                                             \
    "     CASE WHEN f.user_id = r.user_id THEN 'own_reports' ELSE 'followed_reports' END"    \
    "       AS kind FROM ev e"                                                               \
    "     JOIN reports r ON r.id = e.report_id"                                              \
    "     JOIN report_followers f ON f.report_id = e.report_id WHERE e.to_followers"         \
    "   UNION ALL"                                                                           \
    "   SELECT e.queue_id, s.user_id, 'subscriptions' FROM ev e"                             \
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
    "   UNION ALL"                                                                           \
    "   SELECT e.queue_id, ud.user_id, 'department' FROM ev e"                               \
    "     JOIN user_departments ud ON ud.department_id = e.department"                       \
    "     JOIN users u ON u.id = ud.user_id AND u.role = 'staff'"                            \
    "     WHERE e.to_staff AND ud.user_id IS DISTINCT FROM e.actor"                          \
    "   UNION ALL"                                                                           \
    "   SELECT e.queue_id, r.user_id, 'own_reports' FROM ev e"                               \
    "     JOIN reports r ON r.id = e.report_id"                                              \
    "     WHERE e.reporter_inbox AND r.user_id IS NOT NULL"                                  \
    "       AND r.user_id IS DISTINCT FROM e.actor"                                          \
    "   UNION ALL"                                                                           \
    "   SELECT e.queue_id, e.assigned_to, 'department' FROM ev e"                            \
    "     WHERE e.assigned_to IS DISTINCT FROM e.actor AND e.assigned_to IS NOT NULL),"      \
    " who AS MATERIALIZED (SELECT DISTINCT ON (w.queue_id, w.user_id) w.queue_id, w.user_id,"\
    "     w.kind, e.report_id, e.history_id, e.message_id, e.actor, e.filed, e.to_status,"   \
    "     e.message, e.assigned_to IS NOT NULL AS assigned"                                   \
    "   FROM reached w JOIN ev e ON e.queue_id = w.queue_id"                                 \
    "   ORDER BY w.queue_id, w.user_id, array_position(ARRAY['own_reports', 'department',"   \
    "     'followed_reports', 'subscriptions'], w.kind)),"

/* 3. What each account holder's preference makes of it (the kind's default
 * when none is stored): 'immediate' a mail now, 'daily' a line of the next
 * digest, 'off' nothing more than the inbox row. Nobody is mailed about
 * what they did themselves. */
#define PREFERENCES                                                                          \
    " chosen AS (SELECT w.*, u.email::text AS recipient, u.language AS lang,"                \
    "     coalesce(p.email, k.default_email) AS mode"                                        \
    "   FROM who w JOIN users u ON u.id = w.user_id"                                         \
    "   JOIN notification_kinds k ON k.kind = w.kind"                                        \
    "   LEFT JOIN notification_preferences p ON p.user_id = w.user_id AND p.kind = w.kind"   \
    "   WHERE w.user_id IS DISTINCT FROM w.actor),"                                          \
    " ins_digest AS (INSERT INTO digest_items (user_id, report_id, kind, to_status, message,"\
    "     filed, assigned)"                                                                  \
    "   SELECT user_id, report_id, kind, to_status, message, filed, assigned FROM chosen"    \
    "   WHERE mode = 'daily' ORDER BY queue_id RETURNING 1),"

/* 4. The mails to send now: account holders who chose 'immediate', and the
 * anonymous reporter who left an e-mail (on a status change or a staff
 * reply, until they unsubscribe), in the language the report was filed in.
 * Each carries a new one-click unsubscribe token (the account's kind, or
 * the anonymous report); an anonymous reporter's also a new tracking token
 * ({{token}} in the body, its digest in report_track_tokens). */
#define MAILS                                                                                \
    " mail AS MATERIALIZED (SELECT queue_id, report_id, user_id, recipient, lang, kind,"     \
    "     filed, to_status, message, assigned, NULL::text AS track_token,"                   \
    "     " NOTIFY_NEW_TOKEN " AS unsub_token"                                               \
    "   FROM chosen WHERE mode = 'immediate'"                                                \
    "   UNION ALL"                                                                           \
    "   SELECT e.queue_id, e.report_id, NULL, r.contact_email, r.contact_language,"          \
    "     'own_reports', e.filed, e.to_status, e.message, false,"                            \
    "     " NOTIFY_NEW_TOKEN ", " NOTIFY_NEW_TOKEN                                           \
    "   FROM ev e JOIN reports r ON r.id = e.report_id"                                      \
    "   WHERE e.mail_reporter AND r.user_id IS NULL AND r.contact_email IS NOT NULL"         \
    "     AND r.contact_mail_stopped_at IS NULL),"                                           \
    " ins_outbox AS (INSERT INTO outbox (user_id, recipient, subject, body, token, thread_key,"\
    "     list_unsubscribe, unsubscribe_token)"                                              \
    "   SELECT m.user_id, m.recipient, " NOTIFY_SUBJECT ","                                  \
    "     " NOTIFY_EVENT_LINE " || E'\\n\\n' || " NOTIFY_DETAILS " || E'\\n\\n' || "         \
    NOTIFY_SEE("$2::text || CASE WHEN m.user_id IS NULL"                                    \
               " THEN '/track/' || m.report_id || '#secret={{token}}'"                       \
               " ELSE '/#/reports/' || m.report_id END")                                     \
    "     || " NOTIFY_STOP(NOTIFY_UNSUBSCRIBE_URL("$2::text")) " || E'\\n',"                 \
    "     m.track_token, 'report-' || m.report_id,"                                          \
    "     " NOTIFY_UNSUBSCRIBE_URL("$2::text") ", m.unsub_token"                             \
    "   FROM mail m JOIN reports r ON r.id = m.report_id"                                    \
    "   JOIN report_categories c ON c.id = r.category_id"                                    \
    "   LEFT JOIN report_statuses st ON st.name = m.to_status"                               \
    "   ORDER BY m.queue_id RETURNING 1),"                                                   \
    " ins_unsubscribe AS (INSERT INTO unsubscribe_tokens (token_hash, user_id, kind,"        \
    "     report_id)"                                                                        \
    "   SELECT sha256(convert_to(unsub_token, 'UTF8')), user_id,"                            \
    "     CASE WHEN user_id IS NOT NULL THEN kind END,"                                      \
    "     CASE WHEN user_id IS NULL THEN report_id END FROM mail),"                          \
    " ins_tokens AS (INSERT INTO report_track_tokens (token_hash, report_id)"                \
    "   SELECT sha256(convert_to(track_token, 'UTF8')), report_id FROM mail"                 \
    "   WHERE track_token IS NOT NULL)"

const char NOTIFY_INBOX_SQL[] =
    "WITH" CLAIM_FOR_INBOX EVENTS RECIPIENTS
    " ins_inbox AS (INSERT INTO inbox (user_id, report_id, history_id, message_id)"
    "   SELECT user_id, report_id, history_id, message_id FROM who"
    "   ORDER BY queue_id, user_id RETURNING 1)"
    " SELECT (SELECT count(*) FROM claimed), (SELECT count(*) FROM ins_inbox)";

/* The recipients are worked out again from the same rows: someone who
 * followed the report between the two stages may get its mail without the
 * inbox row (or the reverse), which is the same as following a moment
 * earlier or later. */
const char NOTIFY_MAIL_SQL[] =
    "WITH" CLAIM_FOR_MAIL EVENTS RECIPIENTS PREFERENCES MAILS
    " SELECT (SELECT count(*) FROM claimed), (SELECT count(*) FROM ins_outbox),"
    "  (SELECT count(*) FROM ins_digest)";

const char NOTIFY_FOLD_LAYER_CHANGES_SQL[] = "SELECT polis_fold_layer_changes()";

const char NOTIFY_FANOUT_LOCK_SQL[] = "SELECT pg_advisory_xact_lock(hashtext('polis_notify_fanout'))";
