#include "http/exchange.h"

#include "gis/translit.h"
#include "http/access_log.h"
#include "http/change_wake_send.h"
#include "http/route_match.h"
#include "http/conn_guard.h"
#include "http/identity.h"
#include "http/request_limits.h"
#include "http/respond.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static int method_is(h2o_req_t *req, const char *m)
{
    return h2o_memis(req->method.base, req->method.len, m, strlen(m)) ||
           (!strcmp(m, "GET") && h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD")));
}

/* Matches path to route r (its {x} segments into out when pool is given). A
 * route marked SLASH_OPTIONAL also takes its path with one trailing slash,
 * which is left out before matching: "/ogc/collections/x/" is
 * "/ogc/collections/x", and a pattern's {x} never matches an empty segment. */
static int route_takes(const struct route *r, const char *path, size_t len, h2o_mem_pool_t *pool,
                       const char **out)
{
    if (route_match(r->pattern, path, len, pool, out))
        return 1;
    return r->slash == SLASH_OPTIONAL && len > 1 && path[len - 1] == '/' &&
           route_match(r->pattern, path, len - 1, pool, out);
}

/* When h2o frees the request's pool: the query still running is cancelled,
 * the limits it held released, metrics and the access-log line written. */
static void exchange_dispose(void *p)
{
    struct exchange *ex = p;
    if (ex->db_pending)
        db_query_cancel(&ex->db); /* PostgreSQL stops it: nobody waits for it */
    exchange_stop_waiting(ex);
    request_limits_release(ex);
    conn_guard_request_done(ex->req);
    if (ex->offload)
        ex->offload->cancelled = 1;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double seconds =
        (double)(now.tv_sec - ex->started.tv_sec) + (now.tv_nsec - ex->started.tv_nsec) / 1e9;
    metrics_observe(&ex->app->metrics, ex->route < 0 ? METRICS_MAX_ROUTES - 1 : ex->route,
                    ex->req->res.status, seconds, ex->req->bytes_sent);
    if (ex->app->cfg.access_log)
        access_log_write(ex, seconds);
    if (!method_is(ex->req, "GET") && ex->req->res.status >= 200 && ex->req->res.status < 300)
        notify_wake(ex->worker); /* a write committed: wake the listeners */
    json_decref(ex->query.errors);
    ex->worker->in_flight--;
}

/* A new exchange for req in its pool, disposed with it. */
static struct exchange *exchange_create(h2o_req_t *req, struct polis_worker *w)
{
    struct exchange *ex = h2o_mem_alloc_shared(&req->pool, sizeof *ex, exchange_dispose);
    memset(ex, 0, sizeof *ex);
    ex->req = req;
    ex->worker = w;
    ex->app = w->app;
    ex->route = -1;
    clock_gettime(CLOCK_MONOTONIC, &ex->started);
    w->in_flight++;
    return ex;
}

int router_on_req(h2o_handler_t *self, h2o_req_t *req)
{
    struct polis_worker *w = worker_of(req);
    struct exchange *ex = exchange_create(req, w);

    const char *path = req->path_normalized.base;
    size_t pathlen = req->path_normalized.len;
    int path_known = 0;
    char allow[128] = "";
    for (int i = 0; i < polis_route_count; i++) {
        const struct route *r = &polis_routes[i];
        if (!route_takes(r, path, pathlen, NULL, NULL))
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
        /* a body over the limit was refused while it arrived, from its
         * Content-Length or as its chunks came (http/conn_guard.c); this
         * catches what got past that (HTTP/2, a pipelined request) */
        struct body_limit lim;
        route_body_limit(ex->app, r, &lim);
        if (req->entity.base && req->entity.len > lim.bytes) {
            char detail[512];
            route_too_large_detail(detail, sizeof detail, req->entity.len, 0, &lim);
            respond_problem(req, 413, "/problems/too-large", "Content Too Large", NULL, "%s",
                            detail);
            return 0;
        }
        /* the path comes percent-decoded: in a path parameter a %00 would cut
         * it short ("1%00x" read as 1) and bytes that are not UTF-8 would
         * reach PostgreSQL (the rest of a matched path is the route's ASCII) */
        if (memchr(path, '\0', pathlen) ||
            !utf8_valid(h2o_strdup(&req->pool, path, pathlen).base)) {
            respond_problem(req, 400, "/problems/invalid-path", "Invalid path", NULL,
                            "the path must be UTF-8 text without NUL bytes (%%00) once "
                            "percent-decoded");
            return 0;
        }
        route_takes(r, path, pathlen, &req->pool, ex->path_params);
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
