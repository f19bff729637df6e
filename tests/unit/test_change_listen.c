/* change_listen_wait (notify/change_listen.h), the wait of the fan-out and
 * the receipts job: on a lost connection (no socket) it answers -1 at once
 * so that the job reconnects. It used to put descriptor -1 in an fd_set
 * (undefined behaviour that UBSan reported in CI) and sit out its timeout,
 * answering 0. With the stop flag set it answers 0 without waiting. */
#include "check.h"
#include "notify/change_listen.h"

#include <stdatomic.h>

int main(void)
{
    /* a server that is not there: the connection is bad and has no socket */
    PGconn *db = PQconnectdb("host=/nonexistent-polis-socket-dir port=1 connect_timeout=1");
    CHECK_INT(PQstatus(db), CONNECTION_BAD);
    CHECK_INT(PQsocket(db), -1);

    atomic_int stop = 0;
    CHECK_INT(change_listen_wait(db, &stop, 2000), -1);

    atomic_store(&stop, 1);
    CHECK_INT(change_listen_wait(db, &stop, 2000), 0);
    PQfinish(db);
    return check_summary();
}
