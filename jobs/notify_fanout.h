/* The fan-out of report events (issue 16), off the request path: a filing,
 * a status change or a message only queues its id (sql/026_write_path.sql);
 * this job writes the inbox rows of followers, subscribers, the staff of
 * the department and the reporter, and, as each one's preferences say, a
 * mail now or a line of the daily digest (gis/notify_fanout_sql.h says who
 * gets what), so that filing
 * costs the same whatever the number of subscriptions.
 *
 * One thread per server process, with a connection of its own that LISTENs
 * on polis_changes: woken by any process's write (and every few seconds in
 * case a wake was lost), it claims queued events in batches with FOR UPDATE
 * SKIP LOCKED, so with several processes each event is handled by exactly
 * one. Two stages (sql/039): every new event's inbox rows first, committed
 * and woken at once (the mailbox streams learn of them), the batches of all
 * processes taking turns (an advisory lock) so that inbox ids grow in the
 * order events were handled; then mails and digest lines in small batches,
 * going back to new events between them, so mail never delays the live
 * mailbox. Each pass also folds the layers' change rows into their
 * versions. */
#ifndef POLIS_NOTIFY_FANOUT_H
#define POLIS_NOTIFY_FANOUT_H

#include "http/config.h"

#include <libpq-fe.h>
#include <stdatomic.h>

struct notify_fanout_counts {
    long events;  /* queued events handled */
    long inbox;   /* inbox rows written */
    long outbox;  /* mails queued */
    long digest;  /* lines kept for the daily digest */
    long layers;  /* layers whose change rows were folded */
};

/* Handles every queued event that is visible now, in batches, with the
 * blocking connection db (not in a transaction); public_url starts the
 * links in mails. With fold_layers, also folds the layers' change rows:
 * rows found there may come from a write that sent no wake (psql), so a
 * fold that moved any wakes the listeners too. Returns 0, or -1 with the
 * reason in err. */
int notify_fanout_drain(PGconn *db, const char *public_url, int fold_layers,
                        struct notify_fanout_counts *counts, char *err, size_t errlen);

/* Starts the job's thread; it stops when *stop becomes non-zero. */
void notify_fanout_start(const struct polis_config *cfg, const atomic_int *stop);

#endif
