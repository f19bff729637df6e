#include "server/exchange.h"

#include "gis/translit.h"
#include "server/conn_guard.h"
#include "server/identity.h"
#include "server/request_limits.h"
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

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 when the
 * bytes there are not one (stray continuation, overlong form, surrogate,
 * beyond U+10FFFF, truncated). */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (!len || len > n)
        return 0;
    unsigned long cp = len == 1 ? c : c & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const unsigned long min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* Copies at most max bytes of in into out (room for 4 * max + 1) so that a
 * log line can hold no control character (a newline would forge a line, an
 * ESC would drive the terminal) and no invalid UTF-8: those bytes, and the
 * backslash that introduces the escapes, become \xHH. Returns out. */
static char *log_escape(char *out, const char *in, size_t len, size_t max)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)in;
    size_t n = len < max ? len : max, o = 0;
    for (size_t i = 0; i < n;) {
        size_t seq = utf8_sequence(s + i, n - i);
        if (seq && (seq > 1 || (s[i] >= 0x20 && s[i] != 0x7F && s[i] != '\\'))) {
            memcpy(out + o, s + i, seq);
            o += seq, i += seq;
            continue;
        }
        out[o++] = '\\', out[o++] = 'x';
        out[o++] = hex[s[i] >> 4], out[o++] = hex[s[i] & 15];
        i++;
    }
    out[o] = '\0';
    return out;
}

#define LOG_PATH_MAX 300  /* bytes of the path logged */
#define LOG_METHOD_MAX 24

static void access_log(struct exchange *ex, double seconds)
{
    h2o_req_t *req = ex->req;
    char line[64 + 4 * (LOG_METHOD_MAX + LOG_PATH_MAX) + 64];
    char method[4 * LOG_METHOD_MAX + 1], path[4 * LOG_PATH_MAX + 1];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char ts[32];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* the path without its query: query strings may carry keys or tokens */
    int n = snprintf(line, sizeof line, "%s %s %s %d %zuB %.1fms\n", ts,
                     log_escape(method, req->method.base, req->method.len, LOG_METHOD_MAX),
                     log_escape(path, req->path_normalized.base, req->path_normalized.len,
                                LOG_PATH_MAX),
                     req->res.status, req->bytes_sent, seconds * 1000);
    if (n > 0)
        (void)!write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static void stop_waiting(struct exchange *ex)
{
    ex->db_pending = 0;
    if (h2o_linklist_is_linked(&ex->waiting_db))
        h2o_linklist_unlink(&ex->waiting_db);
}

static void exchange_dispose(void *p)
{
    struct exchange *ex = p;
    if (ex->db_pending)
        db_query_cancel(&ex->db); /* PostgreSQL stops it: nobody waits for it */
    stop_waiting(ex);
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
        access_log(ex, seconds);
    json_decref(ex->query.errors);
    ex->worker->in_flight--;
}

static void on_db_result(struct db_query *q, PGresult *res)
{
    struct exchange *ex = q->data;
    stop_waiting(ex);
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

void exchange_reap_gone_clients(struct polis_worker *w)
{
    h2o_linklist_t *node = w->waiting_db.next;
    while (node != &w->waiting_db) {
        struct exchange *ex = H2O_STRUCT_FROM_MEMBER(struct exchange, waiting_db, node);
        node = node->next;
        if (!conn_guard_client_gone(ex->req))
            continue;
        db_query_cancel(&ex->db);
        stop_waiting(ex);
        /* nobody reads the end of it; writing it lets h2o notice and close
         * the connection. A streamed answer (already started) is cut; any
         * other gets 499, nginx's "client closed request", for the access
         * log and the metrics. */
        if (ex->req->_generator) {
            h2o_send(ex->req, NULL, 0, H2O_SEND_STATE_ERROR);
            continue;
        }
        ex->req->res.status = 499;
        ex->req->res.reason = "Client Closed Request";
        ex->req->res.content_length = 0;
        h2o_send_inline(ex->req, NULL, 0);
    }
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

static void route_body_limit(const struct polis_ctx *app, const struct route *r,
                             struct body_limit *out)
{
    int upload = r->body == BODY_UPLOAD;
    out->bytes = upload ? app->cfg.upload_max_bytes : app->cfg.max_body_bytes;
    out->variable = upload ? "POLIS_UPLOAD_MAX_MB" : "POLIS_MAX_BODY_KB";
    out->value = upload ? out->bytes / (1024 * 1024) : out->bytes / 1024;
}

void router_body_limit(const struct polis_ctx *app, h2o_iovec_t method, h2o_iovec_t path,
                       struct body_limit *out)
{
    static const struct route none = {.body = BODY_JSON};
    const struct route *found = &none; /* a 404 or 405 needs no large body either */
    for (int i = 0; i < polis_route_count && found == &none; i++) {
        const struct route *r = &polis_routes[i];
        if (h2o_memis(method.base, method.len, r->method, strlen(r->method)) &&
            route_match(r->pattern, path.base, path.len, NULL, NULL))
            found = r;
    }
    route_body_limit(app, found, out);
}

void router_too_large_detail(char *buf, size_t size, size_t found, int at_least,
                             const struct body_limit *lim)
{
    snprintf(buf, size, "the body has %s%zu bytes; at most %zu bytes (%s=%zu) are accepted here",
             at_least ? "more than " : "", found, lim->bytes, lim->variable, lim->value);
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
        /* a body over the limit was refused while it arrived, from its
         * Content-Length or as its chunks came (server/conn_guard.c); this
         * catches what got past that (HTTP/2, a pipelined request) */
        struct body_limit lim;
        route_body_limit(ex->app, r, &lim);
        if (req->entity.base && req->entity.len > lim.bytes) {
            char detail[512];
            router_too_large_detail(detail, sizeof detail, req->entity.len, 0, &lim);
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
