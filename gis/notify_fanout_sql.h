/* SQL of the fan-out job (jobs/notify_fanout.h, sql/026_write_path.sql):
 * who is told of a report's history event or message, written as inbox rows
 * (account holders) and outbox rows (mail) off the request path. */
#ifndef POLIS_NOTIFY_FANOUT_SQL_H
#define POLIS_NOTIFY_FANOUT_SQL_H

/* Who is told of a report's history event or message:
 *  - a history event: the report's followers (the reporter with an account,
 *    supporters) and matching subscribers (report, category, area; a
 *    private category only to those who may see it), each once; the staff
 *    of the report's department when it is filed, routed to a department,
 *    or reopened (not the staff member who did it);
 *  - a message from the reporter: the staff of the department; from staff
 *    or an admin: the reporter.
 * Every account holder reached gets an inbox row; whether a mail follows
 * is the preference for the kind of notification (own_reports, department,
 * followed_reports, subscriptions; sql/025): immediate (an outbox row now,
 * in the user's language, threaded as report-<id>, with a one-click
 * unsubscribe link), daily (a digest_items row for the digest, sql/027) or
 * off. An anonymous reporter who left an e-mail is mailed on a status
 * change and a staff reply, in the language the report was filed in, until
 * they unsubscribe; that mail carries a new tracking token (its digest in
 * report_track_tokens, the token in outbox.token, {{token}} in the body).
 *
 * In two stages (sql/039): NOTIFY_INBOX_SQL claims up to $1 queued events
 * without inbox rows (FOR UPDATE SKIP LOCKED: another process takes
 * others), writes their inbox rows and marks them; NOTIFY_MAIL_SQL claims
 * up to $1 marked events, writes their outbox and digest rows and removes
 * them from the queue. $2 is POLIS_PUBLIC_URL, the start of a mail's link.
 * One row each. */
extern const char NOTIFY_INBOX_SQL[];
enum notify_inbox_param {
    NOTIFY_INBOX_P_BATCH,
    NOTIFY_INBOX_NPARAMS
};
enum notify_inbox_col {
    NOTIFY_INBOX_CLAIMED, /* queue rows handled */
    NOTIFY_INBOX_ROWS,    /* inbox rows written */
};

extern const char NOTIFY_MAIL_SQL[];
enum notify_mail_param {
    NOTIFY_MAIL_P_BATCH,
    NOTIFY_MAIL_P_PUBLIC_URL,
    NOTIFY_MAIL_NPARAMS
};
enum notify_mail_col {
    NOTIFY_MAIL_CLAIMED, /* queue rows handled */
    NOTIFY_MAIL_OUTBOX,  /* outbox rows written */
    NOTIFY_MAIL_DIGEST,  /* digest_items rows written */
};

/* Taken before NOTIFY_INBOX_SQL in the same transaction: one batch at a
 * time across every polis process (jobs/notify_fanout.c says why). */
extern const char NOTIFY_FANOUT_LOCK_SQL[];

/* A tracking token of a mail (report_track_tokens) opens report r like its
 * secret: sec is the digest parameter of the token given (NULL: none). */
#define REPORT_TRACK_TOKEN_OK(sec)                                                           \
    "EXISTS (SELECT 1 FROM report_track_tokens t WHERE t.report_id = r.id"                   \
    " AND t.token_hash = " sec "::bytea)"

/* Folds the layers' change rows into their base versions (no parameter). */
extern const char NOTIFY_FOLD_LAYER_CHANGES_SQL[];
enum notify_fold_col {
    NOTIFY_FOLD_LAYERS, /* layers whose change rows were folded */
};

#endif
