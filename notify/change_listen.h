/* Waiting for the wake after a write (notify/change_wake.h) on a blocking
 * connection that LISTENs to CHANGE_CHANNEL: the background jobs that act
 * on new rows (the notification fan-out, the receipts of applications)
 * wake at once on a NOTIFY and otherwise poll slowly as a safety net (a
 * lost wake, a write made outside polis). */
#ifndef POLIS_CHANGE_LISTEN_H
#define POLIS_CHANGE_LISTEN_H

#include <libpq-fe.h>
#include <stdatomic.h>

/* Waits until a notification arrives on db (or one arrived during the
 * caller's last statements), timeout_ms passes or *stop is set. Returns 1
 * when woken by a notification, 0 otherwise, -1 when the connection is
 * lost. */
int change_listen_wait(PGconn *db, const atomic_int *stop, int timeout_ms);

#endif
