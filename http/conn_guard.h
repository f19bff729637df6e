/* Limits on client connections that h2o 2.2.5 has no setting for. Every
 * accepted connection gets a guard (freed when its socket closes):
 *  - POLIS_MAX_CONNECTIONS: beyond that many open connections in this
 *    process, a new connection is accepted and closed at once (the client
 *    sees the connection closed, not a queue);
 *  - POLIS_REQUEST_TIMEOUT_MS is a silence limit, not a deadline: while a
 *    request (its head or its body) is being read, a connection that sends
 *    no byte for that long is closed; a slow upload that keeps sending is
 *    never cut. (h2o's own req_timeout, a deadline for the whole request,
 *    is set to an hour: REQUEST_DEADLINE_MS.)
 *  - the body limit of the request's route is checked from Content-Length
 *    as soon as the request head is in, before h2o buffers the body (and
 *    before it answers "Expect: 100-continue"), and for a chunked body at
 *    each read: over it, a 413 problem naming the limit is sent and the
 *    connection closed.
 * The last one works by wrapping h2o's HTTP/1 read callback: h2o sets it
 * again for each request on a kept-alive connection, so the router calls
 * conn_guard_request_done when a request ends and the wrapper is put back
 * at the end of that loop iteration, before the next poll. (A next request
 * h2o reads within that same iteration, pipelined, is checked from its
 * next read on: its 413 then comes after a part of its body.) h2o also sets
 * it after sending "100 Continue"; the periodic tick puts the wrapper back
 * then, so a chunked body sent after one is checked from then on. */
#ifndef POLIS_CONN_GUARD_H
#define POLIS_CONN_GUARD_H

#include "http/polis.h"

#include <h2o.h>

#define REQUEST_DEADLINE_MS 3600000 /* h2o's http1 req_timeout: the whole request */

/* Per-worker state: the timers; call once in the worker's thread setup. */
void conn_guard_init(struct polis_worker *w);

/* Takes a freshly accepted socket: closes it when too many are open,
 * otherwise hands it to h2o and guards it. */
void conn_guard_accept(struct polis_worker *w, h2o_socket_t *sock);

/* The request on req's connection has ended (its exchange is disposed). */
void conn_guard_request_done(h2o_req_t *req);

/* 1 when the client of an HTTP/1 request has closed its connection while
 * the request is being processed (h2o does not read then, so it would only
 * notice when writing the answer). 0 for HTTP/2: h2o reports those. */
int conn_guard_client_gone(h2o_req_t *req);

#endif
