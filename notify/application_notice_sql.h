/* SQL of the fan-out job (jobs/notify_fanout.c) for the steps of an
 * application (sql/050_application_notices.sql): the same two stages as a
 * report's events (gis/notify_fanout_sql.h), for the queue rows that carry
 * an application_history_id.
 *
 * APP_NOTICE_INBOX_SQL claims up to $1 such rows without an inbox row (FOR
 * UPDATE SKIP LOCKED), writes the applicant's mailbox entry and marks them;
 * it runs in the inbox batch's transaction, after the fan-out's lock.
 * APP_NOTICE_MAIL_SQL claims up to $1 marked rows, removes them and writes
 * what the applicant's preference for 'own_applications' asks for (the
 * kind's default when none is stored): 'immediate' a mail now, in their
 * language, threaded as application-<id>, linking to the application ($2 is
 * POLIS_PUBLIC_URL) and with a one-click unsubscribe token of that kind;
 * 'daily' a digest_items row; 'off' nothing more than the mailbox entry.
 * Nobody is mailed about what they did themselves. One row each. */
#ifndef POLIS_APPLICATION_NOTICE_SQL_H
#define POLIS_APPLICATION_NOTICE_SQL_H

extern const char APP_NOTICE_INBOX_SQL[];
enum app_notice_inbox_param {
    APP_NOTICE_INBOX_P_BATCH,
    APP_NOTICE_INBOX_NPARAMS
};
enum app_notice_inbox_col {
    APP_NOTICE_INBOX_CLAIMED, /* queue rows handled */
    APP_NOTICE_INBOX_ROWS,    /* inbox rows written */
};

extern const char APP_NOTICE_MAIL_SQL[];
enum app_notice_mail_param {
    APP_NOTICE_MAIL_P_BATCH,
    APP_NOTICE_MAIL_P_PUBLIC_URL,
    APP_NOTICE_MAIL_NPARAMS
};
enum app_notice_mail_col {
    APP_NOTICE_MAIL_CLAIMED, /* queue rows handled */
    APP_NOTICE_MAIL_OUTBOX,  /* outbox rows written */
    APP_NOTICE_MAIL_DIGEST,  /* digest_items rows written */
};

#endif
