#include "http/conn_guard.h"

#include "http/exchange.h"
#include "http/route_match.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#define HEAD_MAX 8192 /* h2o's H2O_MAX_REQLEN: a longer head is h2o's 400 */
#define LINGER_MS 2000 /* how long the rest of a refused body is read and dropped */

struct guard {
    h2o_linklist_t link;        /* in the worker's guards */
    h2o_linklist_t rewrap_link; /* in the worker's guards_rewrap */
    struct polis_worker *w;
    h2o_socket_t *sock;
    h2o_socket_cb h2o_read;     /* h2o's HTTP/1 read callback, which the wrapper calls */
    size_t input_seen;          /* sock->input->size at the last tick: while h2o reads a
                                 * request it only grows (h2o 2.2.5's bytes_read is the
                                 * size of the last read, not a total) */
    uint64_t quiet_since;       /* loop time of the last byte (or of reading again) */
    int was_reading;
    h2o_iovec_t answer;         /* our own 413, once it is being written */
    uint64_t linger_since;      /* when it was written; 0 before */
    int in_h2o, closed;         /* inside h2o's read callback; closed meanwhile */
};

/* ---- the early body limit ---- */

/* The value of header name (lower case, with its colon) in a request head,
 * without leading blanks, up to the end of its line; NULL when absent. */
static const char *head_value(const char *head, size_t len, const char *name, size_t *vlen)
{
    size_t nlen = strlen(name);
    const char *p = memchr(head, '\n', len), *end = head + len;
    while (p && p + 1 < end) {
        p++;
        size_t rest = (size_t)(end - p);
        if (rest > nlen && !strncasecmp(p, name, nlen)) {
            const char *v = p + nlen;
            while (v < end && (*v == ' ' || *v == '\t'))
                v++;
            const char *eol = memchr(v, '\r', (size_t)(end - v));
            *vlen = (size_t)((eol ? eol : end) - v);
            return v;
        }
        p = memchr(p, '\n', rest);
    }
    return NULL;
}

/* The Content-Length of a request head, or SIZE_MAX when it has none or
 * one that is not a plain number (h2o answers those itself). */
static size_t head_content_length(const char *head, size_t len)
{
    size_t vlen, n = 0, digits = 0;
    const char *v = head_value(head, len, "content-length:", &vlen);
    for (; v && digits < vlen && v[digits] >= '0' && v[digits] <= '9' && digits < 19; digits++)
        n = n * 10 + (size_t)(v[digits] - '0');
    while (v && digits < vlen && (v[digits] == ' ' || v[digits] == '\t'))
        digits++;
    return v && digits && digits == vlen ? n : SIZE_MAX;
}

/* 1 when the head announces a chunked body. */
static int head_chunked(const char *head, size_t len)
{
    size_t vlen;
    const char *te = head_value(head, len, "transfer-encoding:", &vlen);
    return te && vlen >= 7 && !strncasecmp(te + vlen - 7, "chunked", 7);
}

/* After our 413: what the client still sends is read and dropped until it
 * closes (or LINGER_MS pass, see on_tick), so that closing with unread
 * bytes does not reset the connection before the client has read the 413. */
static void linger_read(h2o_socket_t *sock, const char *err)
{
    struct guard *g = sock->on_close.data;
    if (err) {
        /* h2o's callback with an error closes its connection and the socket */
        g->h2o_read(sock, err);
        return;
    }
    h2o_buffer_consume(&sock->input, sock->input->size);
}

static void answer_written(h2o_socket_t *sock, const char *err)
{
    struct guard *g = sock->on_close.data;
    if (err) {
        g->h2o_read(sock, err);
        return;
    }
    shutdown(h2o_socket_get_fd(sock), SHUT_WR);
    g->linger_since = h2o_now(g->w->loop);
    h2o_socket_read_start(sock, linger_read);
}

/* Writes a 413 problem for a body of length bytes (at least, for a chunked
 * one still arriving) over lim; the connection closes once it is sent. */
static void answer_too_large(struct guard *g, size_t length, int at_least,
                             const struct body_limit *lim)
{
    char detail[512];
    route_too_large_detail(detail, sizeof detail, length, at_least, lim);
    json_t *p = json_pack("{s:s,s:s,s:i,s:s}", "type", "/problems/too-large", "title",
                          "Content Too Large", "status", 413, "detail", detail);
    char *body = p ? json_dumps(p, JSON_COMPACT) : NULL;
    json_decref(p);
    size_t blen = body ? strlen(body) : 0;
    size_t cap = blen + 256;
    char *text = malloc(cap);
    if (!text) {
        free(body);
        g->h2o_read(g->sock, "out of memory");
        return;
    }
    int n = snprintf(text, cap,
                     "HTTP/1.1 413 Content Too Large\r\nContent-Type: application/problem+json\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                     blen, body ? body : "");
    free(body);
    g->answer = h2o_iovec_init(text, (size_t)n);
    h2o_socket_read_stop(g->sock);
    h2o_socket_write(g->sock, &g->answer, 1, answer_written);
}

/* Checks the request whose head is at the start of the input (h2o keeps
 * the current request's head there until it is answered); 1 when it
 * answered 413. Before h2o handles a read (decoded 0), a Content-Length is
 * checked; after it (decoded 1), the bytes of a chunked body, which h2o
 * decodes in place right after the head as they arrive. */
static int over_body_limit(struct guard *g, int decoded)
{
    h2o_buffer_t *in = g->sock->input;
    size_t len = in->size < HEAD_MAX ? in->size : HEAD_MAX;
    const char *head = in->bytes;
    size_t blank = h2o_strstr(head, len, H2O_STRLIT("\r\n\r\n"));
    if (blank == SIZE_MAX)
        return 0; /* the head is not complete yet */
    size_t head_len = blank + 4;
    const char *line_end = memchr(head, '\r', head_len);
    const char *sp1 = memchr(head, ' ', (size_t)(line_end - head));
    const char *target = sp1 ? sp1 + 1 : NULL;
    const char *sp2 = target ? memchr(target, ' ', (size_t)(line_end - target)) : NULL;
    if (!sp2)
        return 0; /* not a request line: h2o answers 400 */
    size_t length = decoded ? SIZE_MAX : head_content_length(head, head_len);
    if (decoded && head_chunked(head, head_len))
        length = in->size - head_len;
    if (length == SIZE_MAX)
        return 0;
    /* the path as the router will see it (h2o normalises "..", "//", %xx) */
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    size_t query_at, *norm_indexes = NULL;
    h2o_iovec_t path =
        h2o_url_normalize_path(&pool, target, (size_t)(sp2 - target), &query_at, &norm_indexes);
    struct body_limit lim;
    route_body_limit_of(g->w->app, h2o_iovec_init(head, (size_t)(sp1 - head)), path, &lim);
    h2o_mem_clear_pool(&pool);
    if (length <= lim.bytes)
        return 0;
    answer_too_large(g, length, decoded, &lim);
    return 1;
}

static void free_guard(struct guard *g)
{
    free(g->answer.base);
    free(g);
}

static void guarded_read(h2o_socket_t *sock, const char *err)
{
    struct guard *g = sock->on_close.data;
    if (err) {
        g->h2o_read(sock, err);
        return;
    }
    if (over_body_limit(g, 0))
        return;
    g->in_h2o = 1; /* h2o may close the connection: g stays until we are back */
    g->h2o_read(sock, NULL);
    g->in_h2o = 0;
    if (g->closed) {
        free_guard(g);
        return;
    }
    /* still reading this request with this wrapper: its body is incomplete */
    if (sock->_cb.read == guarded_read)
        over_body_limit(g, 1);
}

/* h2o has set its own read callback for the next request: wrap it again. */
static void rewrap(struct guard *g)
{
    if (g->h2o_read && g->sock->_cb.read == g->h2o_read && !g->answer.base)
        g->sock->_cb.read = guarded_read;
}

static void on_rewrap_soon(h2o_timeout_entry_t *entry)
{
    struct polis_worker *w = H2O_STRUCT_FROM_MEMBER(struct polis_worker, guard_soon_entry, entry);
    while (!h2o_linklist_is_empty(&w->guards_rewrap)) {
        struct guard *g =
            H2O_STRUCT_FROM_MEMBER(struct guard, rewrap_link, w->guards_rewrap.next);
        h2o_linklist_unlink(&g->rewrap_link);
        rewrap(g);
    }
}

void conn_guard_request_done(h2o_req_t *req)
{
    if (req->version >= 0x200 || !req->conn->callbacks->get_socket)
        return;
    h2o_socket_t *sock = req->conn->callbacks->get_socket(req->conn);
    struct guard *g = sock ? sock->on_close.data : NULL;
    if (!g || h2o_linklist_is_linked(&g->rewrap_link))
        return;
    /* h2o starts reading the next request after this returns: wrap its
     * callback then, before the loop reads again */
    h2o_linklist_insert(&g->w->guards_rewrap, &g->rewrap_link);
    if (!h2o_timeout_is_linked(&g->w->guard_soon_entry))
        h2o_timeout_link(g->w->loop, &g->w->guard_soon, &g->w->guard_soon_entry);
}

/* ---- silence while reading, and the connection count ---- */

/* Requests waiting on the database whose client has gone: the query is
 * cancelled (PQcancel) rather than left to run to the statement timeout. */
static void reap_gone_clients(struct polis_worker *w)
{
    h2o_linklist_t *node = w->waiting_db.next;
    while (node != &w->waiting_db) {
        struct exchange *ex = H2O_STRUCT_FROM_MEMBER(struct exchange, waiting_db, node);
        node = node->next;
        if (!conn_guard_client_gone(ex->req))
            continue;
        db_query_cancel(&ex->db);
        exchange_stop_waiting(ex);
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

static void on_tick(h2o_timeout_entry_t *entry)
{
    struct polis_worker *w = H2O_STRUCT_FROM_MEMBER(struct polis_worker, guard_tick_entry, entry);
    uint64_t now = h2o_now(w->loop), limit = (uint64_t)w->app->cfg.request_timeout_ms;
    h2o_linklist_t *node = w->guards.next;
    while (node != &w->guards) {
        struct guard *g = H2O_STRUCT_FROM_MEMBER(struct guard, link, node);
        node = node->next; /* g may be freed below */
        /* HTTP/1 only: an HTTP/2 connection stays silent while its
         * streams wait for us, and h2o times it out when idle */
        int http1 = g->sock->_cb.read == guarded_read || g->sock->_cb.read == g->h2o_read;
        int reading = http1 && h2o_socket_is_reading(g->sock) && !g->answer.base;
        if (g->sock->input->size != g->input_seen || (reading && !g->was_reading)) {
            g->input_seen = g->sock->input->size;
            g->quiet_since = now;
        }
        g->was_reading = reading;
        /* h2o also sets its callback anew after "100 Continue": wrap it,
         * and count what a chunked body brought meanwhile */
        rewrap(g);
        if (reading && g->sock->_cb.read == guarded_read && over_body_limit(g, 1))
            continue;
        if (reading && now - g->quiet_since >= limit)
            g->sock->_cb.read(g->sock, "no byte within POLIS_REQUEST_TIMEOUT_MS"); /* closes */
        else if (g->linger_since && now - g->linger_since >= LINGER_MS)
            g->h2o_read(g->sock, "413 sent"); /* closes */
    }
    reap_gone_clients(w);
    h2o_timeout_link(w->loop, &w->guard_tick, &w->guard_tick_entry);
}

static void on_guarded_close(void *data)
{
    struct guard *g = data;
    atomic_fetch_sub(&g->w->app->open_connections, 1);
    h2o_linklist_unlink(&g->link);
    if (h2o_linklist_is_linked(&g->rewrap_link))
        h2o_linklist_unlink(&g->rewrap_link);
    if (g->in_h2o)
        g->closed = 1; /* guarded_read frees it when h2o returns */
    else
        free_guard(g);
}

void conn_guard_init(struct polis_worker *w)
{
    h2o_linklist_init_anchor(&w->guards);
    h2o_linklist_init_anchor(&w->guards_rewrap);
    h2o_linklist_init_anchor(&w->waiting_db);
    /* every quarter of the silence limit, at most every 250 ms (clients
     * gone while their query runs are found this often): a stalled client
     * is cut at most that much after the limit */
    int tick = w->app->cfg.request_timeout_ms / 4;
    h2o_timeout_init(w->loop, &w->guard_tick, (uint64_t)(tick < 250 ? tick : 250));
    h2o_timeout_init(w->loop, &w->guard_soon, 0);
    w->guard_tick_entry.cb = on_tick;
    w->guard_soon_entry.cb = on_rewrap_soon;
    h2o_timeout_link(w->loop, &w->guard_tick, &w->guard_tick_entry);
}

void conn_guard_accept(struct polis_worker *w, h2o_socket_t *sock)
{
    struct polis_ctx *app = w->app;
    struct guard *g = calloc(1, sizeof *g);
    if (!g || atomic_fetch_add(&app->open_connections, 1) >= app->cfg.max_connections) {
        if (g)
            atomic_fetch_sub(&app->open_connections, 1);
        free(g);
        h2o_socket_close(sock);
        return;
    }
    g->w = w;
    g->sock = sock;
    g->quiet_since = h2o_now(w->loop);
    h2o_linklist_insert(&w->guards, &g->link);
    sock->on_close.cb = on_guarded_close;
    sock->on_close.data = g;
    h2o_accept(&w->accept_ctx, sock);
    /* a plain socket is HTTP/1 from here (h2o_http1_accept ran): wrap its
     * read callback; an upgrade to HTTP/2 replaces it for good */
    g->h2o_read = sock->_cb.read;
    sock->_cb.read = guarded_read;
}

int conn_guard_client_gone(h2o_req_t *req)
{
    if (req->version >= 0x200 || !req->conn->callbacks->get_socket)
        return 0;
    h2o_socket_t *sock = req->conn->callbacks->get_socket(req->conn);
    if (!sock)
        return 0;
    char byte;
    ssize_t n = recv(h2o_socket_get_fd(sock), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}
