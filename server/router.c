#include "server/exchange.h"
#include "server/identity.h"
#include "server/respond.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

/* Matches path against pattern segment by segment; {x} takes one segment. */
static int route_match(const char *pattern, const char *path, size_t pathlen,
                       h2o_mem_pool_t *pool, const char **out)
{
    int nparams = 0;
    const char *p = pattern, *s = path, *end = path + pathlen;
    while (*p && s < end) {
        if (*p == '{') {
            const char *seg_end = memchr(s, '/', (size_t)(end - s));
            if (!seg_end)
                seg_end = end;
            if (seg_end == s || nparams == ROUTE_MAX_PATH_PARAMS)
                return 0;
            if (out)
                out[nparams] = h2o_strdup(pool, s, (size_t)(seg_end - s)).base;
            nparams++;
            s = seg_end;
            p = strchr(p, '}');
            if (!p)
                return 0;
            p++;
        } else if (*p == *s) {
            p++, s++;
        } else {
            return 0;
        }
    }
    return *p == '\0' && s == end;
}

static int method_is(h2o_req_t *req, const char *m)
{
    return h2o_memis(req->method.base, req->method.len, m, strlen(m)) ||
           (!strcmp(m, "GET") && h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD")));
}

static void access_log(struct exchange *ex, double seconds)
{
    h2o_req_t *req = ex->req;
    char line[600];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char ts[32];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* the path without its query: query strings may carry keys or tokens */
    int pathlen = (int)(req->path_normalized.len > 300 ? 300 : req->path_normalized.len);
    int n = snprintf(line, sizeof line, "%s %.*s %.*s %d %zuB %.1fms\n", ts,
                     (int)req->method.len, req->method.base, pathlen, req->path_normalized.base,
                     req->res.status, req->bytes_sent, seconds * 1000);
    if (n > 0)
        (void)!write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static void exchange_dispose(void *p)
{
    struct exchange *ex = p;
    if (ex->db_pending)
        db_query_cancel(&ex->db);
    if (ex->offload)
        ex->offload->cancelled = 1;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double seconds =
        (double)(now.tv_sec - ex->started.tv_sec) + (now.tv_nsec - ex->started.tv_nsec) / 1e9;
    metrics_observe(&ex->app->metrics, ex->route < 0 ? METRICS_MAX_ROUTES - 1 : ex->route,
                    ex->req->res.status, seconds, ex->req->bytes_sent);
    if (ex->app->cfg.access_log)
        access_log(ex, seconds);
    json_decref(ex->query.errors);
    ex->worker->in_flight--;
}

static void on_db_result(struct db_query *q, PGresult *res)
{
    struct exchange *ex = q->data;
    ex->db_pending = 0;
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
    db_pool_submit(ex->worker->db, &ex->db);
}

void exchange_query(struct exchange *ex, const char *sql, int nparams, const char *const *params,
                    exchange_result_cb cb)
{
    submit(ex, sql, nparams, params, cb, 0);
}

void exchange_query_static(struct exchange *ex, const char *sql, int nparams,
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

int router_on_req(h2o_handler_t *self, h2o_req_t *req)
{
    struct polis_worker *w = worker_of(req);
    struct exchange *ex = h2o_mem_alloc_shared(&req->pool, sizeof *ex, exchange_dispose);
    memset(ex, 0, sizeof *ex);
    ex->req = req;
    ex->worker = w;
    ex->app = w->app;
    ex->route = -1;
    clock_gettime(CLOCK_MONOTONIC, &ex->started);
    w->in_flight++;

    const char *path = req->path_normalized.base;
    size_t pathlen = req->path_normalized.len;
    int path_known = 0;
    char allow[128] = "";
    for (int i = 0; i < polis_route_count; i++) {
        const struct route *r = &polis_routes[i];
        if (!route_match(r->pattern, path, pathlen, NULL, NULL))
            continue;
        path_known = 1;
        if (!method_is(req, r->method)) {
            if (!strstr(allow, r->method)) {
                if (*allow)
                    strncat(allow, ", ", sizeof allow - strlen(allow) - 1);
                strncat(allow, r->method, sizeof allow - strlen(allow) - 1);
            }
            continue;
        }
        ex->route = i;
        /* h2o's own limit is above both (server/cmd_serve.c): this one
         * answers in problem+json and names the limit of this route */
        size_t body_max = r->body == BODY_UPLOAD ? ex->app->cfg.upload_max_bytes
                                                 : ex->app->cfg.max_body_bytes;
        if (req->entity.base && req->entity.len > body_max) {
            respond_problem(req, 413, "/problems/too-large", "Content Too Large", NULL,
                            "the body has %zu bytes; at most %zu bytes (%s=%zu) are accepted "
                            "here", req->entity.len, body_max,
                            r->body == BODY_UPLOAD ? "POLIS_UPLOAD_MAX_MB" : "POLIS_MAX_BODY_KB",
                            r->body == BODY_UPLOAD ? body_max / (1024 * 1024) : body_max / 1024);
            return 0;
        }
        route_match(r->pattern, path, pathlen, &req->pool, ex->path_params);
        if (req->query_at != SIZE_MAX)
            params_parse(&ex->query, &req->pool, req->path.base + req->query_at + 1,
                         req->path.len - req->query_at - 1);
        identity_then_run(ex);
        return 0;
    }
    if (path_known) {
        respond_header(req, "allow", allow);
        respond_problem(req, 405, "about:blank", "Method Not Allowed", NULL,
                        "%.*s is not allowed on this resource; allowed: %s", (int)req->method.len,
                        req->method.base, allow);
    } else {
        respond_problem(req, 404, "about:blank", "Not Found", NULL,
                        "there is no resource at this path");
    }
    return 0;
}
