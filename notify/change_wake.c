#include "notify/change_wake.h"

#include <stdio.h>
#include <string.h>

/* Takes the in-flight slot when it is free. */
static int take(struct change_wake *w)
{
    int free_slot = 0;
    if (!atomic_compare_exchange_strong(&w->in_flight, &free_slot, 1))
        return 0;
    atomic_store(&w->again, 0);
    atomic_fetch_add(&w->sent, 1);
    return 1;
}

int change_wake_request(struct change_wake *w)
{
    if (take(w))
        return 1;
    atomic_store(&w->again, 1);
    /* the one in flight may have been answered between the two lines above,
     * before it could see "again": then take the slot ourselves */
    return take(w);
}

int change_wake_answered(struct change_wake *w)
{
    if (atomic_exchange(&w->again, 0)) {
        atomic_fetch_add(&w->sent, 1);
        return 1; /* keeps the slot: the next one is ours to send */
    }
    atomic_store(&w->in_flight, 0);
    /* a request that came between the exchange and the store saw the slot
     * taken and left "again" for us */
    return atomic_load(&w->again) && take(w);
}

int change_wake_blocking(PGconn *db, char *err, size_t errlen)
{
    PGresult *res = PQexec(db, CHANGE_WAKE_SQL);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok)
        snprintf(err, errlen, "%s", PQresultErrorMessage(res));
    PQclear(res);
    return ok ? 0 : -1;
}
