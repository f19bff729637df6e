/* Asynchronous PostgreSQL access for one event loop.
 *
 * Each worker thread owns a pool of libpq connections whose sockets sit on
 * the thread's h2o loop: a query is sent with libpq's non-blocking API and its
 * result read when the socket becomes readable, so the loop never waits on
 * the database. Queries beyond the free connections wait in a bounded FIFO.
 * Lost connections (PostgreSQL restarted) are retried in the background;
 * while none is up, queries fail at once so the caller can answer 503. */
#ifndef POLIS_DB_POOL_H
#define POLIS_DB_POOL_H

#include <h2o.h>
#include <libpq-fe.h>
#include <stdatomic.h>

/* PostgreSQL's protocol carries at most 65535 parameters per statement;
 * db_pool_submit refuses more (the callback gets NULL). The array itself is
 * the caller's, sized for its query: nothing here has a fixed capacity that
 * request input could overflow. */
#define DB_MAX_PARAMS 65535

struct db_pool;
struct db_conn;
struct db_query;

/* Called once per submitted query (never after db_query_cancel).
 * res is NULL when the database could not be reached; otherwise it is the
 * first result of the query (check PQresultStatus), freed after return. */
typedef void (*db_query_cb)(struct db_query *q, PGresult *res);

struct db_query {
    /* set by the caller */
    const char *sql;
    int nparams;
    const char *const *params;  /* nparams values, owned by the caller (e.g. the
                                 * request pool) and valid until the callback */
    db_query_cb cb;
    void *data;
    int binary_result;          /* 1: results in binary format (bytea as raw bytes) */
    int prepare;                /* 1: sql is a compile-time constant; prepare it once per
                                 * connection and run it by name from then on */
    /* owned by the pool */
    h2o_linklist_t _queued;
    struct db_pool *_pool;
    struct db_conn *_conn;
};

/* Counters read by /metrics from any thread. */
struct db_pool_stats {
    atomic_int connecting, idle, busy, down;
    atomic_int queued;
    atomic_ulong queries, failures;
};

struct db_pool_options {
    const char *conninfo;       /* libpq conninfo or URI */
    int connections;            /* connections this pool keeps */
    int queue_max;              /* waiting queries beyond which submit fails */
    int statement_timeout_ms;   /* set on every connection */
};

struct db_pool *db_pool_create(h2o_loop_t *loop, const struct db_pool_options *opts);
void db_pool_destroy(struct db_pool *pool);

/* Runs q->sql with q->params (text format). The callback runs later, on the
 * loop, with the result; or with NULL when no connection is up or the queue
 * is full. q must stay valid until then or until db_query_cancel. */
void db_pool_submit(struct db_pool *pool, struct db_query *q);

/* The owner of q went away (the client closed the connection): q is removed
 * from the queue, or, when it was sent already, PostgreSQL is asked to
 * cancel it (PQcancel) and its result is thrown away; the callback never runs. */
void db_query_cancel(struct db_query *q);

const struct db_pool_stats *db_pool_stats(const struct db_pool *pool);

#endif
