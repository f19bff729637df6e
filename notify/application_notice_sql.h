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
 * Nobody is mailed about what they did themselves. One row each: the
 * parameters and columns of their report twins, so the job runs both the
 * same way. */
#ifndef POLIS_APPLICATION_NOTICE_SQL_H
#define POLIS_APPLICATION_NOTICE_SQL_H

#include "gis/notify_fanout_sql.h"

/* Takes enum notify_inbox_param, answers enum notify_inbox_col. */
extern const char APP_NOTICE_INBOX_SQL[];

/* Takes enum notify_mail_param, answers enum notify_mail_col. */
extern const char APP_NOTICE_MAIL_SQL[];

#endif
