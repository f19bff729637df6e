#include "http/pg_socket.h"

#include <unistd.h>

void pg_socket_close(h2o_socket_t **sock)
{
    if (*sock) {
        (*sock)->data = NULL;
        h2o_socket_close(*sock); /* closes the dup, not libpq's fd */
        *sock = NULL;
    }
}

/* 0, or -1 when pg has no socket. */
static int watch(h2o_loop_t *loop, PGconn *pg, h2o_socket_t **sock, int *watched_fd, void *data)
{
    int fd = PQsocket(pg);
    if (fd < 0)
        return -1;
    if (*sock && *watched_fd == fd)
        return 0;
    pg_socket_close(sock);
    int dupfd = dup(fd);
    if (dupfd < 0)
        return -1;
    *sock = h2o_evloop_socket_create(loop, dupfd, H2O_SOCKET_FLAG_DONT_READ);
    (*sock)->data = data;
    *watched_fd = fd;
    return 0;
}

PostgresPollingStatusType pg_socket_connect_step(h2o_loop_t *loop, PGconn *pg,
                                                 h2o_socket_t **sock, int *watched_fd,
                                                 void *data, PostgresPollingStatusType polling,
                                                 h2o_socket_cb on_io)
{
    if (polling == PGRES_POLLING_FAILED || watch(loop, pg, sock, watched_fd, data))
        return PGRES_POLLING_FAILED;
    if (polling == PGRES_POLLING_READING)
        h2o_socket_read_start(*sock, on_io);
    else if (polling == PGRES_POLLING_WRITING)
        h2o_socket_notify_write(*sock, on_io);
    return polling;
}
