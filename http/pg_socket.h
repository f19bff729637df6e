/* A libpq connection's socket on the h2o loop, and libpq's connect driven
 * from it: shared by the query pool (db_pool.c) and the LISTEN connection
 * of the tile cache (layer_listener.c). */
#ifndef POLIS_PG_SOCKET_H
#define POLIS_PG_SOCKET_H

#include <h2o.h>
#include <libpq-fe.h>

/* Takes *sock off the loop (its data cleared, so a late callback sees
 * NULL); *sock is NULL after. */
void pg_socket_close(h2o_socket_t **sock);

/* One step of a connect started with PQconnectStart(Params): polling is
 * what PQconnectPoll last said. Puts PQsocket(pg) on loop as *sock with
 * (*sock)->data = data, or again when libpq changed sockets (it may while
 * connecting); the loop gets a dup() (h2o_socket_close closes the dup,
 * PQfinish libpq's own fd). Returns PGRES_POLLING_OK once connected,
 * PGRES_POLLING_FAILED when it failed (PQerrorMessage says why); otherwise
 * on_io runs when the socket is ready and calls PQconnectPoll and this
 * again. */
PostgresPollingStatusType pg_socket_connect_step(h2o_loop_t *loop, PGconn *pg,
                                                 h2o_socket_t **sock, int *watched_fd,
                                                 void *data, PostgresPollingStatusType polling,
                                                 h2o_socket_cb on_io);

#endif
