#include "notify/change_listen.h"

#include <errno.h>
#include <poll.h>

#define STOP_CHECK_MS 250 /* a stop is seen within this */

/* Consumes the notifications libpq has read; returns whether there were any. */
static int take_notifications(PGconn *db)
{
    int any = 0;
    PGnotify *note;
    while ((note = PQnotifies(db))) {
        any = 1;
        PQfreemem(note);
    }
    return any;
}

int change_listen_wait(PGconn *db, const atomic_int *stop, int timeout_ms)
{
    if (take_notifications(db)) /* arrived during the last statements */
        return 1;
    for (int waited_ms = 0; waited_ms < timeout_ms && !atomic_load(stop);
         waited_ms += STOP_CHECK_MS) {
        /* a lost connection has no socket (-1): nothing to wait on. poll,
         * not select, so that a descriptor past FD_SETSIZE works too */
        struct pollfd pfd = {.fd = PQsocket(db), .events = POLLIN};
        if (pfd.fd < 0)
            return -1;
        int n = poll(&pfd, 1, STOP_CHECK_MS);
        if (n < 0 && errno != EINTR)
            return -1;
        if (n <= 0)
            continue;
        if (!PQconsumeInput(db))
            return -1;
        if (take_notifications(db))
            return 1;
    }
    return 0;
}
