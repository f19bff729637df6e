/* The bad-input campaign: one request built from its defect and sent, with
 * libcurl or on a raw socket (campaign.h). */
#include "campaign.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ------------------------------------------------------------ building one request */

/* Fills in the route's path: real ids where that cannot make a valid
 * request of an action, bad ones otherwise (always in K_PATH). */
static void build_path(struct request *q, const struct world *w, const struct route *r,
                       enum kind k)
{
    int nparams = 0;
    for (const char *p = r->pattern; (p = strchr(p, '{')); p++)
        nparams++;
    int bad_one = k == K_PATH && nparams ? (int)pick((size_t)nparams) : -1;
    int collection = (int)pick(NCOLLECTIONS);
    int idx = 0;
    for (const char *p = r->pattern; *p;) {
        if (*p != '{') {
            sb_addn(&q->target, p++, 1);
            continue;
        }
        const char *real = real_param(w, r, idx, collection);
        if (idx == bad_one || !real || is_bodiless_action(r) || (k == K_PATH && pick(3) == 0))
            bad_segment(&q->target);
        else
            sb_add(&q->target, real);
        p = strchr(p, '}') + 1;
        idx++;
    }
}

/* The caller's credentials; on a bodiless action without a path id a
 * signed-in caller sends a wrong CSRF token or an unknown key (see
 * bodiless_actions). */
static void add_identity(struct request *q, const struct world *w, const struct route *r,
                         int who, int wrong)
{
    if (who == WHO_KEY) {
        add_header(q, "Authorization: Bearer %s%s", w->key, wrong ? "unknown" : "");
    } else if (who != WHO_ANON) {
        add_header(q, "Cookie: polis_session=%s", w->u[who].cookie);
        if (!is_read(r))
            add_header(q, "X-CSRF-Token: %s%s", w->u[who].csrf, wrong ? "wrong" : "");
    }
}

void build_request(struct request *q, const struct world *w, const struct route *r,
                          int who, enum kind k)
{
    memset(q, 0, sizeof *q);
    q->method = r->method;
    int has_path_params = strchr(r->pattern, '{') != NULL;
    if (k == K_PATH && !has_path_params)
        k = K_Q_WRONG_TYPE; /* nothing to break in the path: break the query instead */
    build_path(q, w, r, k);
    int wrong = is_bodiless_action(r) && !has_path_params;
    if (k == K_H_AUTH) {
        /* a signed-in caller keeps the session: the broken Authorization wins */
        if (who != WHO_ANON && who != WHO_KEY)
            add_identity(q, w, r, who, wrong);
        header_auth(q, w);
    } else if (k == K_H_COOKIE) {
        /* the broken cookies replace the session (some keep it beside them) */
        if (who == WHO_KEY)
            add_identity(q, w, r, who, wrong);
        header_cookie(q, w, who);
        if (who != WHO_ANON && who != WHO_KEY && !is_read(r))
            add_header(q, "X-CSRF-Token: %s%s", w->u[who].csrf, wrong ? "wrong" : "");
    } else {
        add_identity(q, w, r, who, wrong);
    }

    switch (k) {
    case K_Q_REPEAT: case K_Q_MANY: case K_Q_UNKNOWN: case K_Q_WRONG_TYPE: case K_Q_NUMBERS:
    case K_Q_BBOX: case K_Q_EMPTY: case K_Q_UTF8: case K_Q_NUL: case K_Q_HUGE: case K_Q_BROKEN:
        build_query(q, k);
        break;
    case K_B_WRONG_TYPES: body_wrong_types(q); break;
    case K_B_ONE_WRONG:
        if (template_of(r))
            body_one_wrong(q, template_of(r));
        else
            body_wrong_types(q);
        break;
    case K_B_NOT_OBJECT: body_not_object(q); break;
    case K_B_TRUNCATED: body_truncated(q); break;
    case K_B_OVERSIZED: body_oversized(q, r); break;
    case K_B_DEEP: body_deep(q); break;
    case K_B_BYTES: body_bytes(q); break;
    case K_B_CONTENT_TYPE: body_content_type(q); break;
    case K_B_MULTIPART: body_multipart(q); break;
    case K_H_CONDITIONAL: header_conditional(q); break;
    case K_RAW: {
        struct sb hb = {0};
        sb_add(&hb, ""); /* a string even when there are no headers */
        for (int i = 0; i < q->nheaders; i++)
            sb_printf(&hb, "%s\r\n", q->headers[i]);
        build_raw(q, hb.p);
        free(hb.p);
        break;
    }
    default: break;
    }
}

/* ------------------------------------------------------------ sending */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct sb *b = ud;
    /* keep the start only: enough to show and to look for leaks */
    if (b->len < 65536)
        sb_addn(b, p, size * n < 65536 - b->len ? size * n : 65536 - b->len);
    return size * n;
}

/* A Server-Sent Events stream (GET /api/v1/me/stream) never ends: its
 * status and first bytes are the whole answer. */
static size_t on_body_or_stream(char *p, size_t size, size_t n, void *ud)
{
    struct answer *a = ud;
    char *ctype = NULL;
    curl_easy_getinfo(a->curl, CURLINFO_CONTENT_TYPE, &ctype);
    size_t kept = on_body(p, size, n, &a->body);
    a->stream = ctype && !strncmp(ctype, "text/event-stream", 17);
    return a->stream ? 0 : kept;
}

/* One request on a kept-alive libcurl handle (reconnects when the server
 * closed the connection after an error). */
void send_curl(CURL *c, const struct h_server *s, struct request *q, struct answer *a)
{
    curl_easy_reset(c);
    struct sb url = {0};
    sb_printf(&url, "%s%s", s->base, q->target.p);
    struct curl_slist *hdrs = curl_slist_append(NULL, "Expect:");
    for (int i = 0; i < q->nheaders; i++)
        hdrs = curl_slist_append(hdrs, q->headers[i]);
    int has_ct = 0;
    for (int i = 0; i < q->nheaders; i++)
        has_ct |= !strncasecmp(q->headers[i], "Content-Type:", 13);
    if (q->has_body && !has_ct) /* libcurl would add a form Content-Type: send none */
        hdrs = curl_slist_append(hdrs, "Content-Type:");
    curl_easy_setopt(c, CURLOPT_URL, url.p);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L); /* send "..", "%2e%2e" as they are */
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q->method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    a->curl = c;
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body_or_stream);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
    if (q->has_body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->body.len);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, q->body.p ? q->body.p : "");
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && a->stream)) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
    } else {
        snprintf(a->error, sizeof a->error, "%s", curl_easy_strerror(rc));
    }
    curl_slist_free_all(hdrs);
    free(url.p);
}

/* Sends q->raw on a new connection and reads the answer's status line
 * (the server closes: every raw request is the connection's last). */
void send_raw(const struct h_server *s, const struct request *q, struct answer *a)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        snprintf(a->error, sizeof a->error, "connect: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return;
    }
    size_t off = 0;
    while (off < q->raw.len) {
        ssize_t n = send(fd, q->raw.p + off, q->raw.len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the server may close early on a broken request: read what it said */
        off += (size_t)n;
    }
    if (q->shut_write)
        shutdown(fd, SHUT_WR);
    /* a generous deadline: the answer is an event we wait for, not a timing */
    long long deadline = h_now_ms() + 30000;
    char buf[4096];
    struct sb in = {0};
    for (;;) {
        long long left = deadline - h_now_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0) {
            snprintf(a->error, sizeof a->error, "no answer within 30 s");
            break;
        }
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        if (in.len < 65536)
            sb_addn(&in, buf, (size_t)n);
    }
    close(fd);
    int major, minor, status;
    if (in.p && sscanf(in.p, "HTTP/%d.%d %d", &major, &minor, &status) == 3) {
        a->status = status;
        const char *body = strstr(in.p, "\r\n\r\n");
        if (body)
            sb_add(&a->body, body + 4);
    } else if (!a->error[0]) {
        snprintf(a->error, sizeof a->error, "connection closed without an answer");
    }
    free(in.p);
}
