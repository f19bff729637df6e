/* The wording of notification mail in Greek and English, as SQL
 * expressions shared by the fan-out's immediate mails
 * (gis/notify_fanout_sql.c) and the daily digest (gis/digest_sql.c), so
 * that one event reads the same in both.
 *
 * The expressions read these columns of the row they are used in:
 *   lang        'el' or 'en': the recipient's language
 *   kind        the kind of notification (notification_kinds): own_reports,
 *               followed_reports, subscriptions or department
 *   report_id   the report
 *   filed       true for the report's filing
 *   message     a message's text, NULL for a history event
 *   assigned    true when the report was assigned to the recipient
 *   st          a row of report_statuses (the new status; may be NULL)
 *   to_status   the new status's name
 *   c           the report's row of report_categories
 *   r           the report's row of reports */
#ifndef POLIS_NOTIFY_WORDING_H
#define POLIS_NOTIFY_WORDING_H

/* The new status as the recipient reads it. */
#define NOTIFY_STATUS_LABEL                                                                  \
    "coalesce(CASE WHEN lang = 'en' THEN st.label_en ELSE st.label_el END, to_status)"

/* The report's category as the recipient reads it. */
#define NOTIFY_CATEGORY "(CASE WHEN lang = 'en' THEN c.name_en ELSE c.name_el END)"

/* What happened, in a few words: the end of the subject. */
#define NOTIFY_WHAT                                                                          \
    "CASE WHEN filed THEN CASE WHEN lang = 'en' THEN 'new report' ELSE 'νέα αναφορά' END"    \
    " WHEN assigned THEN CASE WHEN lang = 'en' THEN 'assigned to you'"                        \
    "   ELSE 'σας ανατέθηκε' END"                                                             \
    " WHEN message IS NOT NULL AND kind = 'own_reports'"                                      \
    "   THEN CASE WHEN lang = 'en' THEN 'reply from the municipality'"                        \
    "        ELSE 'απάντηση του δήμου' END"                                                   \
    " WHEN message IS NOT NULL"                                                               \
    "   THEN CASE WHEN lang = 'en' THEN 'message from the citizen'"                           \
    "        ELSE 'μήνυμα του πολίτη' END"                                                    \
    " ELSE " NOTIFY_STATUS_LABEL " END"

#define NOTIFY_SUBJECT                                                                       \
    "(CASE WHEN lang = 'en' THEN 'Report #' ELSE 'Αναφορά #' END || report_id || ': ' || "   \
    NOTIFY_WHAT ")"

/* One sentence (with the message's text after it) saying what happened. */
#define NOTIFY_EVENT_LINE                                                                    \
    "(CASE WHEN lang = 'en' THEN"                                                            \
    "   CASE WHEN filed THEN 'A new report #' || report_id || ' was filed (' || "             \
    NOTIFY_CATEGORY " || ').'"                                                               \
    "   WHEN assigned THEN 'Report #' || report_id || ' was assigned to you.'"                \
    "   WHEN message IS NOT NULL AND kind = 'own_reports'"                                    \
    "     THEN 'The municipality replied to your report #' || report_id || E':\\n\\n' || message" \
    "   WHEN message IS NOT NULL"                                                             \
    "     THEN 'The citizen wrote on report #' || report_id || E':\\n\\n' || message"         \
    "   ELSE CASE WHEN kind = 'own_reports' THEN 'Your report #' ELSE 'Report #' END"         \
    "     || report_id || ' changed status: ' || " NOTIFY_STATUS_LABEL " || '.' END"          \
    " ELSE"                                                                                   \
    "   CASE WHEN filed THEN 'Υποβλήθηκε νέα αναφορά #' || report_id || ' (' || "             \
    NOTIFY_CATEGORY " || ').'"                                                               \
    "   WHEN assigned THEN 'Η αναφορά #' || report_id || ' σας ανατέθηκε.'"                 \
    "   WHEN message IS NOT NULL AND kind = 'own_reports'"                                    \
    "     THEN 'Ο δήμος απάντησε στην αναφορά σας #' || report_id || E':\\n\\n' || message"    \
    "   WHEN message IS NOT NULL"                                                             \
    "     THEN 'Ο πολίτης έγραψε στην αναφορά #' || report_id || E':\\n\\n' || message"        \
    "   ELSE CASE WHEN kind = 'own_reports' THEN 'Η αναφορά σας #' ELSE 'Η αναφορά #' END"     \
    "     || report_id || ' άλλαξε κατάσταση: ' || " NOTIFY_STATUS_LABEL " || '.' END"        \
    " END)"

/* The report in brief: its category, and for the department's staff also
 * the address and the description (what they need to act on it). */
#define NOTIFY_DETAILS                                                                       \
    "(CASE WHEN lang = 'en' THEN 'Category: ' ELSE 'Κατηγορία: ' END || " NOTIFY_CATEGORY    \
    " || CASE WHEN kind <> 'department' THEN '' ELSE"                                         \
    "   coalesce(E'\\n' || CASE WHEN lang = 'en' THEN 'Address: ' ELSE 'Διεύθυνση: ' END"     \
    "     || r.address, '')"                                                                  \
    "   || E'\\n' || CASE WHEN lang = 'en' THEN 'Description: ' ELSE 'Περιγραφή: ' END"       \
    "   || r.description END)"

/* "See the report: <link>" */
#define NOTIFY_SEE(link)                                                                     \
    "(CASE WHEN lang = 'en' THEN 'See the report: ' ELSE 'Δείτε την αναφορά: ' END || " link ")"

/* "Stop these e-mails: <url>", or '' when url is NULL. */
#define NOTIFY_STOP(url)                                                                     \
    "coalesce(E'\\n\\n' || CASE WHEN lang = 'en' THEN 'Stop these e-mails: '"                \
    " ELSE 'Διακοπή αυτών των μηνυμάτων: ' END || " url ", '')"

/* A new random token: two v4 UUIDs (244 random bits) as base64url, 43
 * characters like the tokens of auth/token.c. */
#define NOTIFY_NEW_TOKEN                                                                     \
    "rtrim(translate(encode(decode(replace(gen_random_uuid()::text"                          \
    " || gen_random_uuid()::text, '-', ''), 'hex'), 'base64'), '+/', '-_'), '=')"

/* The one-click URL of a mail, or NULL without a public http(s) address
 * (outbox.list_unsubscribe takes only such URLs). The token is the
 * placeholder {{unsubscribe}}: the outbox keeps the token itself apart
 * (outbox.unsubscribe_token) until the mail is handed over (sql/027). */
#define NOTIFY_UNSUBSCRIBE_URL(public_url)                                                   \
    "CASE WHEN " public_url " ~ '^https?://' THEN " public_url                               \
    " || '/api/v1/unsubscribe?token={{unsubscribe}}' END"

/* ---- a step of an application (issue 17), for its applicant ----
 * These read: lang; event (application_history.event: receipt,
 * info_requested, approved or rejected); number (the application's
 * protocol number N/YYYY, may be NULL); title (the service's title in
 * lang); comment (the step's public comment, may be NULL). */

/* The subject: what happened and the protocol number. */
#define NOTIFY_APP_SUBJECT                                                                   \
    "(CASE WHEN lang = 'en' THEN"                                                            \
    "   CASE event WHEN 'receipt' THEN 'Receipt of your application '"                       \
    "              WHEN 'info_requested' THEN 'More is needed for your application '"        \
    "              WHEN 'approved' THEN 'Answer to your application '"                       \
    "              ELSE 'Your application was rejected: ' END"                               \
    " ELSE"                                                                                   \
    "   CASE event WHEN 'receipt' THEN 'Απόδειξη της αίτησής σας '"                          \
    "              WHEN 'info_requested' THEN 'Χρειάζονται συμπληρώματα για την αίτησή σας '"\
    "              WHEN 'approved' THEN 'Απάντηση στην αίτησή σας '"                         \
    "              ELSE 'Η αίτησή σας απορρίφθηκε: ' END"                                   \
    " END || coalesce(number, ''))"

/* The line of a mail or a digest: the subject, the service, the comment. */
#define NOTIFY_APP_LINE                                                                      \
    "(" NOTIFY_APP_SUBJECT " || ' (' || title || ').' || coalesce(E'\\n' || comment, ''))"

/* "See the application: <link>" */
#define NOTIFY_APP_SEE(link)                                                                 \
    "(CASE WHEN lang = 'en' THEN 'See the application: ' ELSE 'Δείτε την αίτηση: ' END || "  \
    link ")"

/* The columns above for the application_history row ah, its application a
 * and the recipient u (the joins: NOTIFY_APP_JOINS). */
#define NOTIFY_APP_COLUMNS                                                                   \
    " ah.application_id, ah.event, ah.public_comment AS comment, u.language AS lang,"        \
    " CASE WHEN u.language = 'en' THEN s.title_en ELSE s.title_el END AS title,"             \
    " pe.number || '/' || pe.year AS number"
#define NOTIFY_APP_JOINS                                                                     \
    " JOIN applications a ON a.id = ah.application_id JOIN users u ON u.id = a.user_id"      \
    " JOIN services s ON s.id = a.service_id"                                                \
    " LEFT JOIN protocol_entries pe ON pe.id = a.protocol_entry_id"

#endif
