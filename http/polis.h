/* The process-wide context (configuration, metrics, shutdown flag) and the
 * per-thread worker. Nothing mutable lives outside these two structs. */
#ifndef POLIS_POLIS_H
#define POLIS_POLIS_H

#include "http/config.h"
#include "http/db_pool.h"
#include "http/metrics.h"
#include "http/offload.h"
#include "http/rate_limit.h"
#include "notify/change_wake.h"

#include <h2o.h>
#include <pthread.h>
#include <stdatomic.h>

struct polis_worker;
struct tiles_state;
struct tiles_worker;
struct layer_listener;
struct sse_worker;
struct sse_feed;
struct web_state;
struct issuing;

struct polis_ctx {
    struct polis_config cfg;
    h2o_globalconf_t h2o;
    struct polis_metrics metrics;
    struct rate_limiter *limits;    /* token buckets shared by all workers */
    struct offload_pool *offload;   /* threads for work that must not block a loop */
    struct offload_pool *imports;   /* threads for uploaded layers' imports (jobs/import_job.h) */
    atomic_int shutting_down;      /* set by the signal thread on SIGTERM/SIGINT */
    atomic_int open_connections;   /* client connections, all workers (http/conn_guard.h) */
    int nworkers;
    struct polis_worker *workers;
    struct tiles_state *tiles;     /* vector tiles: cache, layer versions (tiles/tiles.h) */
    struct layer_listener *layer_listener; /* LISTEN polis_layers, polis_changes, polis_inbox
                                            * on worker 0's loop */
    struct sse_feed *sse_feed;     /* reads new inbox rows for the streams, on worker 0 */
    struct web_state *web;         /* the web pages' directories (api/web.h) */
    struct change_wake wake;       /* NOTIFY polis_changes after writes (notify/change_wake.h) */
    struct issuing *issuing;       /* the signer and connections that issue documents
                                    * (jobs/issuing.h) */
    struct oidc_provider *oidc;    /* the identity provider, NULL when not configured
                                    * (auth/oidc_provider.h) */
};

struct polis_worker {
    h2o_context_t h2o;             /* first: on_req finds the worker from req->conn->ctx */
    struct polis_ctx *app;
    int index;
    pthread_t thread;
    h2o_evloop_t *loop;
    h2o_socket_t *listener;
    h2o_accept_ctx_t accept_ctx;
    struct db_pool *db;
    h2o_multithread_receiver_t offload_done; /* finished offload jobs come back here */
    atomic_int in_flight;          /* requests between handler entry and disposal */
    struct tiles_worker *tiles;    /* tile builds in flight on this loop (api/tiles.c) */
    struct sse_worker *sse;        /* the mailbox streams open on this loop (http/sse.h) */
    /* http/conn_guard.c: the open connections and their timers */
    h2o_linklist_t guards, guards_rewrap;
    h2o_timeout_t guard_tick, guard_soon;
    h2o_timeout_entry_t guard_tick_entry, guard_soon_entry;
    h2o_linklist_t waiting_db;     /* exchanges waiting for a query (http/router.c) */
};

static inline struct polis_worker *worker_of(h2o_req_t *req)
{
    return (struct polis_worker *)req->conn->ctx;
}

#endif
