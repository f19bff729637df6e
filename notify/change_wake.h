/* The wake after a write (issue 16). A write's transaction sends no NOTIFY
 * (PostgreSQL serialises the commits of transactions that do): its triggers
 * only append rows (layer_changes, notify_queue: sql/026_write_path.sql).
 * After the commit the process that wrote sends NOTIFY polis_changes on its
 * own, and every listening process reads what is new from the tables.
 *
 * Per process the wakes are coalesced: at most one NOTIFY in flight; writes
 * that commit meanwhile are answered by one more NOTIFY after it (a listener
 * woken by the first may have read before they committed). The sending
 * itself is the caller's (http/change_wake_send.h on an event loop,
 * change_wake_blocking on a blocking connection); this is only the rule,
 * safe to call from any thread. */
#ifndef POLIS_CHANGE_WAKE_H
#define POLIS_CHANGE_WAKE_H

#include <libpq-fe.h>
#include <stdatomic.h>
#include <stddef.h>

#define CHANGE_CHANNEL "polis_changes"
#define CHANGE_WAKE_SQL "NOTIFY " CHANGE_CHANNEL

struct change_wake {
    atomic_int in_flight; /* a NOTIFY is sent and not answered yet */
    atomic_int again;     /* a write committed while it was in flight */
    atomic_ulong sent;    /* NOTIFYs sent, for /metrics and tests */
};

/* A write committed. Returns 1 when the caller must send CHANGE_WAKE_SQL now
 * (and call change_wake_answered when it is answered), 0 when the NOTIFY in
 * flight will be followed by another. */
int change_wake_request(struct change_wake *w);

/* The NOTIFY the caller sent was answered (or failed). Returns 1 when the
 * caller must send one more now (writes committed meanwhile). */
int change_wake_answered(struct change_wake *w);

/* For commands and jobs with a blocking connection outside a transaction:
 * sends the NOTIFY at once. Returns 0, or -1 with the reason in err. */
int change_wake_blocking(PGconn *db, char *err, size_t errlen);

#endif
