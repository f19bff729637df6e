/* SQL of the daily digest (jobs/digest.h, sql/027_mail_preferences.sql). */
#ifndef POLIS_DIGEST_SQL_H
#define POLIS_DIGEST_SQL_H

/* Writes today's digest mail (Europe/Athens) of every user who has
 * digest_items and got none today, and deletes the items it lists, in one
 * statement. Nothing is done before hour $2 (0-23, Athens time) unless $3
 * is true. digest_sent's key (user, day) makes it once a day per user even
 * when several processes run it at once: the second writer of a key waits
 * for the first and then skips that user. A mail lists the items grouped
 * by report or application (sql/050: an application's steps with its
 * protocol number), the one with the newest item first, in the user's
 * language, each with its link ($1 is POLIS_PUBLIC_URL), and
 * carries a one-click unsubscribe token that turns off every kind mailed
 * daily. One row. */
extern const char DIGEST_SEND_SQL[];
enum digest_send_param {
    DIGEST_SEND_P_PUBLIC_URL,
    DIGEST_SEND_P_HOUR,
    DIGEST_SEND_P_FORCE,
    DIGEST_SEND_NPARAMS
};
enum digest_send_col {
    DIGEST_SEND_MAILS, /* digest mails written */
    DIGEST_SEND_ITEMS, /* items they list */
};

#endif
