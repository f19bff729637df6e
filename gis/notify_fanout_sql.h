/* SQL of the fan-out job (jobs/notify_fanout.h, sql/026_write_path.sql):
 * who is told of a report's history event or message, written as inbox rows
 * (account holders) and outbox rows (mail) off the request path. */
#ifndef POLIS_NOTIFY_FANOUT_SQL_H
#define POLIS_NOTIFY_FANOUT_SQL_H

/* Claims up to $1 queued events (FOR UPDATE SKIP LOCKED: another process
 * takes others), writes their inbox and outbox rows and removes them from
 * the queue, in one statement. $2 is POLIS_PUBLIC_URL, the start of the
 * link in a mail. Who gets what:
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
 * One row. */
extern const char NOTIFY_FANOUT_SQL[];
enum notify_fanout_param {
    NOTIFY_FANOUT_P_BATCH,
    NOTIFY_FANOUT_P_PUBLIC_URL,
    NOTIFY_FANOUT_NPARAMS
};
enum notify_fanout_col {
    NOTIFY_FANOUT_CLAIMED, /* queue rows handled */
    NOTIFY_FANOUT_INBOX,   /* inbox rows written */
    NOTIFY_FANOUT_OUTBOX,  /* outbox rows written */
    NOTIFY_FANOUT_DIGEST,  /* digest_items rows written */
};

/* Taken before NOTIFY_FANOUT_SQL in the same transaction: one batch at a
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
