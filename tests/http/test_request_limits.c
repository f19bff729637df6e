/* What a client sees of the request limits, spoken to over a raw socket so
 * that the test controls every byte and its timing:
 *  - an upload that keeps trickling (64 KB/s) for twice
 *    POLIS_REQUEST_TIMEOUT_MS is accepted: the timeout is a silence limit,
 *    not a deadline; a client that stops in the middle of its body is cut;
 *  - a Content-Length over the route's limit is answered 413 (problem+json
 *    naming the limit) as soon as the head is in, without the body being
 *    sent, also with "Expect: 100-continue" and on a kept-alive connection;
 *    a chunked body as soon as its chunks pass the limit;
 *  - "Upgrade: h2c" is ignored (the answer is HTTP/1.1) and HTTP/2 without
 *    TLS is refused, unless POLIS_HTTP2_CLEARTEXT=1;
 *  - POLIS_MAX_CONNECTIONS=N: while N connections are open the next one is
 *    closed without an answer; once one closes, new ones are served. */
#include "h_accounts.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int connect_to(const struct h_server *s)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        h_fatal("cannot connect to 127.0.0.1:%d: %s", s->port, strerror(errno));
    return fd;
}

static int send_all(int fd, const void *p, size_t len)
{
    const char *c = p;
    while (len) {
        ssize_t n = send(fd, c, len, MSG_NOSIGNAL);
        if (n <= 0)
            return -1;
        c += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads one response (head, and the body by its Content-Length) within
 * deadline_ms into out (NUL-terminated). Returns its length; 0 when the
 * server closed the connection before answering, -1 on timeout. */
static long read_response(int fd, char *out, size_t cap, int deadline_ms)
{
    size_t len = 0;
    long long until = h_now_ms() + deadline_ms;
    out[0] = '\0';
    while (len + 1 < cap) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        long long left = until - h_now_ms();
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            return -1;
        ssize_t n = recv(fd, out + len, cap - 1 - len, 0);
        if (n <= 0)
            return (long)len;
        len += (size_t)n;
        out[len] = '\0';
        char *blank = strstr(out, "\r\n\r\n");
        if (!blank)
            continue;
        if (!strncmp(out, "HTTP/1.1 100", 12)) /* an interim answer: the real one follows */
            return (long)len;
        char *cl = strcasestr(out, "\r\ncontent-length:");
        size_t body = cl && cl < blank ? strtoul(cl + 17, NULL, 10) : 0;
        if (len >= (size_t)(blank + 4 - out) + body)
            return (long)len;
    }
    return (long)len;
}

/* 1 when the server closes fd (EOF or reset) within deadline_ms, without
 * sending an answer; what it sent, if anything, goes to out. */
static int closed_without_answer(int fd, int deadline_ms, char *out, size_t cap)
{
    long n = read_response(fd, out, cap, deadline_ms);
    return n == 0;
}

static const char *body_of(const char *response)
{
    const char *b = strstr(response, "\r\n\r\n");
    return b ? b + 4 : "";
}

/* ---- slow and stalled uploads ---- */

#define TRICKLE_BYTES (256 * 1024) /* four seconds at 64 KB/s */

/* A multipart upload of a GeoJSON padded to about TRICKLE_BYTES. */
static char *upload_body(const char *layer, size_t *len)
{
    size_t cap = TRICKLE_BYTES + 4096;
    char *b = malloc(cap);
    int n = snprintf(b, cap,
                     "--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n%s\r\n"
                     "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
                     "filename=\"slow.geojson\"\r\nContent-Type: application/geo+json\r\n\r\n"
                     "{\"type\":\"FeatureCollection\",\"features\":[",
                     layer);
    size_t used = (size_t)n;
    for (int i = 0; used < TRICKLE_BYTES; i++)
        used += (size_t)snprintf(b + used, cap - used,
                                 "%s{\"type\":\"Feature\",\"properties\":{\"n\":%d,\"note\":"
                                 "\"a point sent slowly over a poor line\"},\"geometry\":"
                                 "{\"type\":\"Point\",\"coordinates\":[23.5%04d,41.0%04d]}}",
                                 i ? "," : "", i, i % 10000, i % 10000);
    used += (size_t)snprintf(b + used, cap - used, "]}\r\n--XyZ--\r\n");
    *len = used;
    return b;
}

static int send_upload_head(const struct h_server *s, const struct ha_user *u, size_t len)
{
    int fd = connect_to(s);
    char head[1024];
    int n = snprintf(head, sizeof head,
                     "POST /api/v1/layers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Cookie: polis_session=%s\r\nX-CSRF-Token: %s\r\n"
                     "Content-Type: multipart/form-data; boundary=XyZ\r\n"
                     "Content-Length: %zu\r\n\r\n",
                     u->cookie, u->csrf, len);
    send_all(fd, head, (size_t)n);
    return fd;
}

static void slow_and_stalled_uploads(const struct h_server *s, PGconn *db)
{
    struct ha_user staff;
    if (ha_new_user(s, db, "trickle-staff", &staff))
        return;
    ha_set_role(db, &staff, "staff", "cleaning");
    char layer[64], response[8192];
    snprintf(layer, sizeof layer, "trickle_%d", (int)getpid());
    size_t len;
    char *body = upload_body(layer, &len);

    /* 64 KB/s in 8 KB pieces: ~4 s of body with POLIS_REQUEST_TIMEOUT_MS=2000 */
    int fd = send_upload_head(s, &staff, len);
    long long started = h_now_ms();
    int sent_ok = 1;
    for (size_t off = 0; off < len && sent_ok; off += 8192) {
        size_t piece = len - off < 8192 ? len - off : 8192;
        sent_ok = send_all(fd, body + off, piece) == 0;
        h_sleep_ms(125); /* the client's pace, not a wait for the server */
    }
    long long took = h_now_ms() - started;
    long n = read_response(fd, response, sizeof response, 30000);
    CHECK(sent_ok, "the slow upload: the server closed the connection while the client was "
          "still sending");
    CHECK(took > 3000, "the slow upload should take longer than POLIS_REQUEST_TIMEOUT_MS "
          "(2000 ms); it took %lld ms", took);
    CHECK(n > 0 && !strncmp(response, "HTTP/1.1 202", 12),
          "an upload trickled at 64 KB/s for %lld ms (POLIS_REQUEST_TIMEOUT_MS=2000): expected "
          "202, found %s", took, n > 0 ? response : n == 0 ? "the connection closed" : "no answer");
    close(fd);

    /* half the body, then silence: cut without an answer */
    fd = send_upload_head(s, &staff, len);
    send_all(fd, body, len / 2);
    CHECK(closed_without_answer(fd, 20000, response, sizeof response),
          "a client silent in the middle of its body: expected the connection closed without "
          "an answer, found %s", *response ? response : "it still open after 20 s");
    close(fd);
    free(body);
}

/* ---- 413 before the body ---- */

static void too_large_before_body(const struct h_server *s)
{
    char response[8192];
    /* a JSON route (POLIS_MAX_BODY_KB=1024 by default): 5 MB announced, nothing sent */
    int fd = connect_to(s);
    const char *head = "POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Content-Type: application/json\r\nContent-Length: 5242880\r\n\r\n";
    send_all(fd, head, strlen(head));
    long n = read_response(fd, response, sizeof response, 15000);
    CHECK(n > 0 && !strncmp(response, "HTTP/1.1 413", 12),
          "Content-Length 5 MB on POST /api/v1/reports, body not sent: expected 413 at once, "
          "found %s", n > 0 ? response : n == 0 ? "the connection closed" : "no answer in 15 s");
    CHECK(strcasestr(response, "content-type: application/problem+json") != NULL,
          "the early 413 is a problem+json: %s", response);
    CHECK(strstr(body_of(response), "POLIS_MAX_BODY_KB=1024") &&
              strstr(body_of(response), "5242880"),
          "the early 413 names the limit and the size found: %s", body_of(response));
    close(fd);

    /* an upload route (POLIS_UPLOAD_MAX_MB=50), with Expect: 100-continue:
     * the answer is the 413, never "100 Continue" */
    fd = connect_to(s);
    head = "POST /api/v1/layers HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
           "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 62914560\r\n\r\n";
    send_all(fd, head, strlen(head));
    n = read_response(fd, response, sizeof response, 15000);
    CHECK(n > 0 && !strncmp(response, "HTTP/1.1 413", 12) &&
              strstr(body_of(response), "POLIS_UPLOAD_MAX_MB=50"),
          "Content-Length 60 MB on POST /api/v1/layers with Expect: 100-continue: expected "
          "413 naming POLIS_UPLOAD_MAX_MB=50, found %s",
          n > 0 ? response : n == 0 ? "the connection closed" : "no answer in 15 s");
    close(fd);

    /* a client that does not wait and sends its body at once still reads
     * the 413 (the rest of its body is read and dropped, not reset) */
    fd = connect_to(s);
    head = "POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           "Content-Type: application/json\r\nContent-Length: 5242880\r\n\r\n";
    size_t eager_len = 512 * 1024;
    char *eager = malloc(eager_len);
    memset(eager, ' ', eager_len);
    send_all(fd, head, strlen(head));
    send_all(fd, eager, eager_len);
    free(eager);
    n = read_response(fd, response, sizeof response, 15000);
    CHECK(n > 0 && !strncmp(response, "HTTP/1.1 413", 12),
          "5 MB announced to a JSON route, 512 KB sent without waiting: expected the 413, "
          "found %s", n > 0 ? response : n == 0 ? "the connection closed" : "no answer in 15 s");
    close(fd);

    /* a chunked body (no Content-Length) is cut as its chunks pass the
     * limit: 1.5 MB of 64 KB chunks to a JSON route, the last chunk never sent */
    fd = connect_to(s);
    head = "POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    send_all(fd, head, strlen(head));
    char *chunk = malloc(65536 + 16);
    int clen = snprintf(chunk, 16, "10000\r\n"), sent_ok;
    memset(chunk + clen, ' ', 65536);
    memcpy(chunk + clen + 65536, "\r\n", 2);
    sent_ok = 1;
    for (int i = 0; i < 24 && sent_ok; i++)
        sent_ok = send_all(fd, chunk, (size_t)clen + 65536 + 2) == 0;
    free(chunk);
    n = read_response(fd, response, sizeof response, 15000);
    CHECK(n > 0 && !strncmp(response, "HTTP/1.1 413", 12) &&
              strstr(body_of(response), "POLIS_MAX_BODY_KB=1024") &&
              strstr(body_of(response), "more than"),
          "a chunked body passing 1 MB to a JSON route, not finished: expected a 413 naming "
          "POLIS_MAX_BODY_KB=1024, found %s",
          n > 0 ? response : n == 0 ? "the connection closed" : "no answer in 15 s");
    close(fd);

    /* the same after "100 Continue" (h2o reads such a body its own way) */
    fd = connect_to(s);
    head = "POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
           "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    send_all(fd, head, strlen(head));
    n = read_response(fd, response, sizeof response, 15000);
    CHECK(n > 0 && !strncmp(response, "HTTP/1.1 100", 12),
          "a chunked body with Expect: 100-continue: expected 100 Continue first, found %s",
          n > 0 ? response : "nothing");
    chunk = malloc(65536 + 16);
    clen = snprintf(chunk, 16, "10000\r\n");
    memset(chunk + clen, ' ', 65536);
    memcpy(chunk + clen + 65536, "\r\n", 2);
    for (int i = 0; i < 24; i++)
        send_all(fd, chunk, (size_t)clen + 65536 + 2);
    free(chunk);
    n = read_response(fd, response, sizeof response, 15000);
    CHECK(n > 0 && !strncmp(response, "HTTP/1.1 413", 12),
          "1.5 MB of chunks after 100 Continue to a JSON route, not finished: expected 413, "
          "found %s", n > 0 ? response : n == 0 ? "the connection closed" : "no answer in 15 s");
    close(fd);

    /* the same on a connection that has served a request already */
    fd = connect_to(s);
    head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    send_all(fd, head, strlen(head));
    n = read_response(fd, response, sizeof response, 15000);
    CHECK(n > 0 && !strncmp(response, "HTTP/1.1 200", 12), "GET /healthz: %s", response);
    head = "POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           "Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n";
    send_all(fd, head, strlen(head));
    n = read_response(fd, response, sizeof response, 15000);
    CHECK(n > 0 && !strncmp(response, "HTTP/1.1 413", 12),
          "a second request on a kept-alive connection announcing 2 MB to a JSON route: "
          "expected 413 before its body, found %s",
          n > 0 ? response : n == 0 ? "the connection closed" : "no answer in 15 s");
    close(fd);

    /* within the limit the body is read as usual (here: 422, not 413) */
    struct h_resp r;
    h_post(s, "/api/v1/reports", "application/json", "{\"padding\":\"x\"}", &r);
    CHECK(r.status != 413 && r.status < 500, "a small JSON body: expected no 413, found %ld",
          r.status);
    h_resp_free(&r);
}

/* ---- HTTP/2 without TLS ---- */

static void h2c_refused(const struct h_server *s)
{
    char response[8192];
    int fd = connect_to(s);
    const char *head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                       "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";
    send_all(fd, head, strlen(head));
    long n = read_response(fd, response, sizeof response, 15000);
    CHECK(n > 0 && !strncmp(response, "HTTP/1.1 200", 12),
          "GET with Upgrade: h2c: expected an HTTP/1.1 200 (the upgrade ignored), found %s",
          n > 0 ? response : "nothing");
    close(fd);

    char url[128];
    snprintf(url, sizeof url, "%s/healthz", s->base);
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 15L);
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    CURLcode rc = curl_easy_perform(c);
    long status = 0, version = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(c, CURLINFO_HTTP_VERSION, &version);
    curl_easy_cleanup(c);
    CHECK(rc != CURLE_OK || version != CURL_HTTP_VERSION_2_0,
          "HTTP/2 with prior knowledge over plain TCP: expected no HTTP/2 answer, found %ld "
          "over HTTP/2", status);
}

/* ---- POLIS_MAX_CONNECTIONS ---- */

/* A connection the server has accepted and counted: it answered a request
 * on it (and keeps it open). Retries while the server still counts
 * connections closed a moment ago. */
static int open_counted(const struct h_server *s)
{
    long long until = h_now_ms() + 20000;
    char response[4096];
    while (h_now_ms() < until) {
        int fd = connect_to(s);
        const char *head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        send_all(fd, head, strlen(head));
        if (read_response(fd, response, sizeof response, 5000) > 0 &&
            !strncmp(response, "HTTP/1.1 200", 12))
            return fd;
        close(fd);
        h_sleep_ms(50);
    }
    return -1;
}

static void connection_cap(const struct h_server *s)
{
    int open[3];
    for (int i = 0; i < 3; i++) {
        open[i] = open_counted(s);
        CHECK(open[i] >= 0, "POLIS_MAX_CONNECTIONS=3: connection %d of 3 is served", i + 1);
        if (open[i] < 0)
            return;
    }
    char response[4096];
    int extra = connect_to(s);
    const char *head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    send_all(extra, head, strlen(head));
    CHECK(closed_without_answer(extra, 15000, response, sizeof response),
          "POLIS_MAX_CONNECTIONS=3 with 3 open: expected a 4th connection closed without an "
          "answer, found %s", *response ? response : "no close within 15 s");
    close(extra);
    /* the open ones are still served */
    send_all(open[0], head, strlen(head));
    long n = read_response(open[0], response, sizeof response, 15000);
    CHECK(n > 0 && !strncmp(response, "HTTP/1.1 200", 12),
          "an open connection is still served at the cap: %s", response);
    /* one closes: a new one is served again */
    close(open[0]);
    int again = open_counted(s);
    CHECK(again >= 0, "POLIS_MAX_CONNECTIONS=3: after one of 3 closed, a new connection is "
          "served");
    if (again >= 0)
        close(again);
    close(open[1]);
    close(open[2]);
}

int main(void)
{
    h_init("test_request_limits", 240);
    const char *url = h_shared_dburl();
    PGconn *db = h_pg_connect(url);
    struct h_server s, capped;
    static const char *const env[] = {"POLIS_REQUEST_TIMEOUT_MS=2000", NULL};
    if (h_server_start(&s, url, env) != 0)
        return h_finish();
    slow_and_stalled_uploads(&s, db);
    too_large_before_body(&s);
    h2c_refused(&s);
    CHECK(h_server_alive(&s), "the server is still running (wait status %d)", s.exit_status);

    static const char *const env_capped[] = {"POLIS_MAX_CONNECTIONS=3", NULL};
    if (h_server_start(&capped, url, env_capped) != 0)
        return h_finish();
    connection_cap(&capped);
    PQfinish(db);
    return h_finish();
}
