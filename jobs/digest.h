/* The daily digest (issue 16): notifications whose preference is "daily"
 * gather in digest_items (the fan-out, jobs/notify_fanout.h) and go out as
 * one mail a day per user (gis/digest_sql.h), in the user's language, from
 * POLIS_DIGEST_HOUR (Europe/Athens) on. The outbox's sender delivers it.
 *
 * `polis serve` runs it once a minute on a thread of its own (a run before
 * the hour, or for a user whose digest went out today, writes nothing);
 * `polis mail digest [--now]` runs it once. Any number of processes may run
 * it at the same time: each user gets one digest a day. */
#ifndef POLIS_DIGEST_H
#define POLIS_DIGEST_H

#include "http/config.h"

#include <libpq-fe.h>
#include <stdatomic.h>

struct digest_counts {
    long mails; /* digests written to the outbox */
    long items; /* notifications they list */
};

/* Writes the digests due now (all of today's, whatever the hour, with
 * force) with the blocking connection db. Returns 0, or -1 with the reason
 * in err. */
int digest_send_due(PGconn *db, const struct polis_config *cfg, int force,
                    struct digest_counts *counts, char *err, size_t errlen);

/* Starts the job's thread; it stops when *stop becomes non-zero. */
void digest_start(const struct polis_config *cfg, const atomic_int *stop);

#endif
