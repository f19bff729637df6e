/* What handlers do with one request's state (see exchange.h): run its
 * database query, offload work, allocate in the request's pool. The router
 * creates and disposes exchanges (http/router.c). */
#include "http/exchange.h"
#include "http/respond.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void exchange_stop_waiting(struct exchange *ex)
{
    ex->db_pending = 0;
    if (h2o_linklist_is_linked(&ex->waiting_db))
        h2o_linklist_unlink(&ex->waiting_db);
}

static void on_db_result(struct db_query *q, PGresult *res)
{
    struct exchange *ex = q->data;
    exchange_stop_waiting(ex);
    ex->on_result(ex, res);
}

static void submit(struct exchange *ex, const char *sql, int nparams, const char *const *params,
                   exchange_result_cb cb, int prepare)
{
    memset(&ex->db, 0, sizeof ex->db);
    ex->db.prepare = prepare;
    ex->db.sql = sql;
    ex->db.nparams = nparams;
    /* callers pass arrays on their stack, gone once they return; the query
     * may wait in the pool's queue (or be re-sent after a reconnect), so
     * the pointers are copied into the request pool (the values already
     * live there or are static) */
    const char **copy = NULL;
    if (nparams > 0) {
        copy = h2o_mem_alloc_pool(&ex->req->pool, sizeof *copy * (size_t)nparams);
        memcpy(copy, params, sizeof *copy * (size_t)nparams);
    }
    ex->db.params = copy;
    ex->db.cb = on_db_result;
    ex->db.data = ex;
    ex->on_result = cb;
    ex->db_pending = 1;
    h2o_linklist_insert(&ex->worker->waiting_db, &ex->waiting_db);
    db_pool_submit(ex->worker->db, &ex->db);
}

void exchange_query(struct exchange *ex, const char *sql, int nparams, const char *const *params,
                    exchange_result_cb cb)
{
    submit(ex, sql, nparams, params, cb, 0);
}

void exchange_query_prepared(struct exchange *ex, const char *sql, int nparams,
                           const char *const *params, exchange_result_cb cb)
{
    submit(ex, sql, nparams, params, cb, 1);
}

int exchange_offload(struct exchange *ex, struct offload_job *job)
{
    if (offload_submit(ex->app->offload, &ex->worker->offload_done, job)) {
        respond_problem(ex->req, 503, "/problems/busy", "Service Unavailable", NULL,
                        "the server is busy; try again shortly");
        return -1;
    }
    ex->offload = job;
    return 0;
}

const char *exchange_strdup(struct exchange *ex, const char *s)
{
    return h2o_strdup(&ex->req->pool, s, strlen(s)).base;
}

const char *exchange_printf(struct exchange *ex, const char *fmt, ...)
{
    /* most results are short: format once into the stack, copy once */
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        n = 0;
        small[0] = '\0';
    }
    char *buf = h2o_mem_alloc_pool(&ex->req->pool, (size_t)n + 1);
    if ((size_t)n < sizeof small) {
        memcpy(buf, small, (size_t)n + 1);
        return buf;
    }
    va_start(ap, fmt);
    vsnprintf(buf, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return buf;
}

const char *exchange_url(struct exchange *ex, const char *path_and_query)
{
    h2o_req_t *req = ex->req;
    return exchange_printf(ex, "%s://%.*s%s", req->scheme->name.base, (int)req->authority.len,
                           req->authority.base, path_and_query);
}
