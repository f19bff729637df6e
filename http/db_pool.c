#include "http/db_pool.h"

#include "http/pg_socket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum conn_state { CONN_DOWN, CONN_CONNECTING, CONN_IDLE, CONN_BUSY };

#define DB_MAX_PREPARED 64

struct db_conn {
    struct db_pool *pool;
    enum conn_state state;
    PGconn *pg;
    h2o_socket_t *sock;     /* a dup() of PQsocket(pg) registered on the loop */
    int watched_fd;         /* PQsocket(pg) when sock was created */
    struct db_query *query; /* in flight; NULL when its owner cancelled */
    PGresult *result;       /* first result of the query in flight */
    h2o_timeout_entry_t timer; /* reconnect delay, or connect deadline */
    /* statements prepared on this connection, by the address of their text
     * (only compile-time constants are prepared, so an address is an identity) */
    const char *prepared[DB_MAX_PREPARED];
    int nprepared;
    const char *preparing; /* being prepared now; the query runs when it is done */
};

struct db_pool {
    h2o_loop_t *loop;
    struct db_pool_options opts;
    char statement_timeout[64];
    struct db_conn *conns;
    h2o_linklist_t queue;
    h2o_timeout_t retry_timeout;   /* wait before reconnecting */
    h2o_timeout_t connect_timeout; /* give up on a connect attempt */
    int reported_down;             /* log "lost"/"restored" once per outage */
    struct db_pool_stats stats;
};

static void conn_start(struct db_conn *c);
static void conn_on_readable(h2o_socket_t *sock, const char *err);
static void pool_dispatch(struct db_pool *pool);
static void conn_send(struct db_conn *c, struct db_query *q);

static atomic_int *state_counter(struct db_pool *pool, enum conn_state s)
{
    switch (s) {
    case CONN_CONNECTING: return &pool->stats.connecting;
    case CONN_IDLE: return &pool->stats.idle;
    case CONN_BUSY: return &pool->stats.busy;
    default: return &pool->stats.down;
    }
}

static void set_state(struct db_conn *c, enum conn_state s)
{
    atomic_fetch_sub(state_counter(c->pool, c->state), 1);
    atomic_fetch_add(state_counter(c->pool, s), 1);
    c->state = s;
}

/* Up, or coming up: worth queueing for. Only when every connection is down
 * do queries fail at once (the database is unreachable). */
static int pool_has_live_conn(struct db_pool *pool)
{
    for (int i = 0; i < pool->opts.connections; i++)
        if (pool->conns[i].state != CONN_DOWN)
            return 1;
    return 0;
}

static void fail_query(struct db_pool *pool, struct db_query *q)
{
    atomic_fetch_add(&pool->stats.failures, 1);
    q->_conn = NULL;
    q->cb(q, NULL);
}

/* With no connection up, waiting queries would only time out: fail them now. */
static void fail_queue(struct db_pool *pool)
{
    while (!h2o_linklist_is_empty(&pool->queue)) {
        struct db_query *q = H2O_STRUCT_FROM_MEMBER(struct db_query, _queued, pool->queue.next);
        h2o_linklist_unlink(&q->_queued);
        atomic_fetch_sub(&pool->stats.queued, 1);
        fail_query(pool, q);
    }
}

/* The connection failed or was lost: report the query in flight as failed,
 * drop the connection and try again after a delay. */
static void conn_broken(struct db_conn *c, const char *why_text)
{
    struct db_pool *pool = c->pool;
    char why[256]; /* why_text may point into c->pg, which is freed below */
    snprintf(why, sizeof why, "%s", why_text ? why_text : "");
    why[strcspn(why, "\n")] = '\0'; /* libpq adds hint lines; the first says it */
    struct db_query *q = c->query;
    c->query = NULL;
    if (c->result) {
        PQclear(c->result);
        c->result = NULL;
    }
    pg_socket_close(&c->sock);
    if (c->pg) {
        PQfinish(c->pg);
        c->pg = NULL;
    }
    if (h2o_timeout_is_linked(&c->timer))
        h2o_timeout_unlink(&c->timer);
    set_state(c, CONN_DOWN);
    h2o_timeout_link(pool->loop, &pool->retry_timeout, &c->timer);
    if (!pool_has_live_conn(pool) && !pool->reported_down) {
        pool->reported_down = 1;
        fprintf(stderr, "polis: database unavailable: %s\n", *why ? why : "connection lost");
    }
    if (q)
        fail_query(pool, q);
    if (!pool_has_live_conn(pool))
        fail_queue(pool);
}

static void conn_connect_step(struct db_conn *c, PostgresPollingStatusType polling);

static void conn_on_connect_io(h2o_socket_t *sock, const char *err)
{
    struct db_conn *c = sock->data;
    if (!c)
        return;
    h2o_socket_read_stop(sock);
    conn_connect_step(c, PQconnectPoll(c->pg));
}

/* Drives libpq's connect state machine from the loop. */
static void conn_connect_step(struct db_conn *c, PostgresPollingStatusType polling)
{
    switch (pg_socket_connect_step(c->pool->loop, c->pg, &c->sock, &c->watched_fd, c, polling,
                                   conn_on_connect_io)) {
    case PGRES_POLLING_FAILED:
        conn_broken(c, PQerrorMessage(c->pg));
        break;
    case PGRES_POLLING_OK: {
        struct db_pool *pool = c->pool;
        h2o_timeout_unlink(&c->timer);
        PQsetnonblocking(c->pg, 1);
        set_state(c, CONN_IDLE);
        if (pool->reported_down) {
            pool->reported_down = 0;
            fprintf(stderr, "polis: database connection restored\n");
        }
        /* stays on for the life of the connection: results, and EOF when the
         * server goes away while we are idle */
        h2o_socket_read_start(c->sock, conn_on_readable);
        pool_dispatch(pool);
        break;
    }
    default:
        break;
    }
}

static void conn_on_timer(h2o_timeout_entry_t *entry)
{
    struct db_conn *c = H2O_STRUCT_FROM_MEMBER(struct db_conn, timer, entry);
    if (c->state == CONN_CONNECTING)
        conn_broken(c, "timed out connecting to the database");
    else if (c->state == CONN_DOWN)
        conn_start(c);
}

static void conn_start(struct db_conn *c)
{
    struct db_pool *pool = c->pool;
    c->nprepared = 0; /* a new session knows no prepared statements */
    c->preparing = NULL;
    const char *keys[] = {"dbname", "application_name", "options", NULL};
    const char *vals[] = {pool->opts.conninfo, "polis", pool->statement_timeout, NULL};
    c->pg = PQconnectStartParams(keys, vals, 1);
    set_state(c, CONN_CONNECTING);
    h2o_timeout_link(pool->loop, &pool->connect_timeout, &c->timer);
    if (!c->pg || PQstatus(c->pg) == CONNECTION_BAD) {
        conn_broken(c, c->pg ? PQerrorMessage(c->pg) : "out of memory");
        return;
    }
    conn_connect_step(c, PGRES_POLLING_WRITING);
}

static void conn_finish_query(struct db_conn *c)
{
    struct db_pool *pool = c->pool;
    struct db_query *q = c->query;
    PGresult *res = c->result;
    c->query = NULL;
    c->result = NULL;
    if (PQstatus(c->pg) == CONNECTION_BAD) {
        /* the server went away mid-query: that is "unavailable", not a
         * query error the caller should show as such */
        if (res)
            PQclear(res);
        c->query = q;
        conn_broken(c, PQerrorMessage(c->pg));
        return;
    }
    if (c->preparing) {
        const char *sql = c->preparing;
        c->preparing = NULL;
        if (res && PQresultStatus(res) == PGRES_COMMAND_OK) {
            c->prepared[c->nprepared++] = sql;
            PQclear(res);
            if (q) {
                conn_send(c, q); /* now by name */
                return;
            }
            res = NULL; /* its request went away: just go idle */
        }
        /* a failed prepare answers the query like any failed query */
    }
    set_state(c, CONN_IDLE);
    if (q) {
        q->_conn = NULL;
        q->cb(q, res);
    }
    if (res)
        PQclear(res);
    pool_dispatch(pool);
}

static void conn_on_readable(h2o_socket_t *sock, const char *err)
{
    struct db_conn *c = sock->data;
    if (!c)
        return;
    if (!PQconsumeInput(c->pg)) {
        conn_broken(c, PQerrorMessage(c->pg));
        return;
    }
    if (c->state != CONN_BUSY)
        return;
    while (!PQisBusy(c->pg)) {
        PGresult *r = PQgetResult(c->pg);
        if (!r) {
            conn_finish_query(c);
            return;
        }
        if (!c->result)
            c->result = r;
        else
            PQclear(r);
    }
}

static void conn_on_writable(h2o_socket_t *sock, const char *err)
{
    struct db_conn *c = sock->data;
    if (!c)
        return;
    int r = PQflush(c->pg);
    if (r < 0)
        conn_broken(c, PQerrorMessage(c->pg));
    else if (r == 1)
        h2o_socket_notify_write(sock, conn_on_writable);
}

static int prepared_index(const struct db_conn *c, const char *sql)
{
    for (int i = 0; i < c->nprepared; i++)
        if (c->prepared[i] == sql)
            return i;
    return -1;
}

/* Sends q: by name when its statement is prepared on this connection; on
 * its first use here, prepares it first (conn_finish_query then sends it by
 * name), which saves PostgreSQL parsing and planning it on every call. */
static void conn_send(struct db_conn *c, struct db_query *q)
{
    if (c->state != CONN_BUSY) {
        set_state(c, CONN_BUSY);
        atomic_fetch_add(&c->pool->stats.queries, 1);
    }
    c->query = q;
    q->_conn = c;
    int format = q->binary_result ? 1 : 0, sent;
    int idx = q->prepare ? prepared_index(c, q->sql) : -1;
    char name[16];
    if (idx >= 0) {
        snprintf(name, sizeof name, "polis%d", idx);
        sent = PQsendQueryPrepared(c->pg, name, q->nparams, q->params, NULL, NULL, format);
    } else if (q->prepare && c->nprepared < DB_MAX_PREPARED) {
        snprintf(name, sizeof name, "polis%d", c->nprepared);
        c->preparing = q->sql;
        sent = PQsendPrepare(c->pg, name, q->sql, q->nparams, NULL);
    } else {
        sent = PQsendQueryParams(c->pg, q->sql, q->nparams, NULL, q->params, NULL, NULL, format);
    }
    if (!sent) {
        conn_broken(c, PQerrorMessage(c->pg));
        return;
    }
    int r = PQflush(c->pg);
    if (r < 0)
        conn_broken(c, PQerrorMessage(c->pg));
    else if (r == 1)
        h2o_socket_notify_write(c->sock, conn_on_writable);
}

static struct db_conn *pool_idle_conn(struct db_pool *pool)
{
    for (int i = 0; i < pool->opts.connections; i++)
        if (pool->conns[i].state == CONN_IDLE)
            return &pool->conns[i];
    return NULL;
}

static void pool_dispatch(struct db_pool *pool)
{
    struct db_conn *c;
    while (!h2o_linklist_is_empty(&pool->queue) && (c = pool_idle_conn(pool))) {
        struct db_query *q = H2O_STRUCT_FROM_MEMBER(struct db_query, _queued, pool->queue.next);
        h2o_linklist_unlink(&q->_queued);
        atomic_fetch_sub(&pool->stats.queued, 1);
        conn_send(c, q);
    }
}

void db_pool_submit(struct db_pool *pool, struct db_query *q)
{
    memset(&q->_queued, 0, sizeof q->_queued);
    q->_pool = pool;
    q->_conn = NULL;
    if (q->nparams < 0 || q->nparams > DB_MAX_PARAMS || (q->nparams > 0 && !q->params)) {
        fail_query(pool, q); /* a caller's bug; PostgreSQL would refuse it anyway */
        return;
    }
    struct db_conn *c = pool_idle_conn(pool);
    if (c) {
        conn_send(c, q);
        return;
    }
    if (!pool_has_live_conn(pool) || atomic_load(&pool->stats.queued) >= pool->opts.queue_max) {
        fail_query(pool, q);
        return;
    }
    h2o_linklist_insert(&pool->queue, &q->_queued);
    atomic_fetch_add(&pool->stats.queued, 1);
}

void db_query_cancel(struct db_query *q)
{
    if (h2o_linklist_is_linked(&q->_queued)) {
        h2o_linklist_unlink(&q->_queued);
        atomic_fetch_sub(&q->_pool->stats.queued, 1);
    }
    if (q->_conn) {
        struct db_conn *c = q->_conn;
        c->query = NULL; /* its result (an error, now) is read and dropped */
        q->_conn = NULL;
        /* Ask PostgreSQL to stop the query rather than let it run to the
         * statement timeout. The connection stays busy until that result is
         * read, so the cancel cannot hit a later query. PQcancel blocks for
         * one round trip to the server (libpq 15 has no asynchronous cancel);
         * the pool's servers are local or near. */
        PGcancel *cancel = c->pg ? PQgetCancel(c->pg) : NULL;
        char err[256];
        if (cancel && !PQcancel(cancel, err, sizeof err))
            fprintf(stderr, "polis: could not cancel a query nobody waits for: %s\n", err);
        if (cancel)
            PQfreeCancel(cancel);
    }
}

struct db_pool *db_pool_create(h2o_loop_t *loop, const struct db_pool_options *opts)
{
    struct db_pool *pool = calloc(1, sizeof *pool);
    if (!pool)
        return NULL;
    pool->loop = loop;
    pool->opts = *opts;
    snprintf(pool->statement_timeout, sizeof pool->statement_timeout,
             "-c statement_timeout=%d", opts->statement_timeout_ms);
    h2o_linklist_init_anchor(&pool->queue);
    h2o_timeout_init(loop, &pool->retry_timeout, 500);
    h2o_timeout_init(loop, &pool->connect_timeout, 5000);
    pool->conns = calloc((size_t)opts->connections, sizeof *pool->conns);
    if (!pool->conns) {
        free(pool);
        return NULL;
    }
    atomic_store(&pool->stats.down, opts->connections);
    for (int i = 0; i < opts->connections; i++) {
        struct db_conn *c = &pool->conns[i];
        c->pool = pool;
        c->state = CONN_DOWN;
        c->timer.cb = conn_on_timer;
        conn_start(c);
    }
    return pool;
}

void db_pool_destroy(struct db_pool *pool)
{
    if (!pool)
        return;
    fail_queue(pool);
    for (int i = 0; i < pool->opts.connections; i++) {
        struct db_conn *c = &pool->conns[i];
        if (h2o_timeout_is_linked(&c->timer))
            h2o_timeout_unlink(&c->timer);
        pg_socket_close(&c->sock);
        if (c->result)
            PQclear(c->result);
        if (c->pg)
            PQfinish(c->pg);
    }
    free(pool->conns);
    free(pool);
}

const struct db_pool_stats *db_pool_stats(const struct db_pool *pool)
{
    return &pool->stats;
}
