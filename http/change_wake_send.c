#include "http/change_wake_send.h"

#include "notify/change_wake.h"

#include <stdlib.h>

static void send_wake(struct polis_worker *w);

/* The NOTIFY was answered (res NULL: the database could not be reached; the
 * next write wakes again, and a listener that lost its connection re-reads
 * everything when it is back). */
static void wake_answered(struct db_query *q, PGresult *res)
{
    struct polis_worker *w = q->data;
    (void)res;
    free(q);
    if (change_wake_answered(&w->app->wake))
        send_wake(w);
}

static void send_wake(struct polis_worker *w)
{
    struct db_query *q = calloc(1, sizeof *q);
    if (!q) {
        if (change_wake_answered(&w->app->wake))
            send_wake(w);
        return;
    }
    q->sql = CHANGE_WAKE_SQL;
    q->cb = wake_answered;
    q->data = w;
    q->prepare = 0;
    db_pool_submit(w->db, q);
}

void notify_wake(struct polis_worker *w)
{
    if (change_wake_request(&w->app->wake))
        send_wake(w);
}
