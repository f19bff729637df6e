/* The test harness's HTTP client (harness.h, "HTTP"): one request on a
 * fresh libcurl connection per call, the response parsed the way a client
 * would, and the checks of an RFC 9457 problem. */
#include "harness.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

size_t h_body_append(char *data, size_t size, size_t n, void *body)
{
    struct h_body *b = body;
    size_t add = size * n;
    if (b->len + add + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 16384;
        while (cap < b->len + add + 1)
            cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q)
            return 0;
        b->p = q, b->cap = cap;
    }
    memcpy(b->p + b->len, data, add);
    b->len += add;
    b->p[b->len] = '\0';
    return add;
}

/* Adds the body of q (raw bytes or multipart parts) to c and hdrs; returns
 * the mime handle to free after the request (NULL when none). */
static curl_mime *set_body(CURL *c, const struct h_req *q, struct curl_slist **hdrs)
{
    if (q->parts) {
        curl_mime *mime = curl_mime_init(c);
        for (int i = 0; i < q->nparts; i++) {
            const struct h_part *pt = &q->parts[i];
            curl_mimepart *mp = curl_mime_addpart(mime);
            curl_mime_name(mp, pt->name);
            if (pt->file_path) {
                curl_mime_filedata(mp, pt->file_path);
                if (pt->file_name)
                    curl_mime_filename(mp, pt->file_name);
            } else if (pt->data) {
                curl_mime_data(mp, pt->data, pt->len);
                curl_mime_filename(mp, pt->file_name);
            } else {
                curl_mime_data(mp, pt->value, CURL_ZERO_TERMINATED);
            }
        }
        curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
        return mime;
    }
    if (q->body || q->data) {
        char ct[200];
        snprintf(ct, sizeof ct, "Content-Type: %s", q->content_type);
        *hdrs = curl_slist_append(*hdrs, ct);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, q->body ? q->body : q->data);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)(q->body ? strlen(q->body) : q->data_len));
    }
    return NULL;
}

/* One request on a fresh connection (no reuse between requests, so each
 * test request is what a new client would get). Thread-safe. */
static int perform(const char *url, const struct h_req *q, struct h_resp *r)
{
    memset(r, 0, sizeof *r);
    struct h_body b = {0}, h = {0};
    struct curl_slist *hdrs = NULL;
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, h_body_append);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, h_body_append);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
    const char *method = q->method                             ? q->method
                         : q->body || q->data || q->parts ? "POST"
                                                          : "GET";
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    for (int i = 0; q->headers && q->headers[i]; i++)
        hdrs = curl_slist_append(hdrs, q->headers[i]);
    curl_mime *mime = set_body(c, q, &hdrs);
    if (hdrs)
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    if (q->accept_gzip || q->inflate) /* curl sends Accept-Encoding: gzip itself */
        curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(c, CURLOPT_HTTP_CONTENT_DECODING, (long)q->inflate);
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
        char *ctype = NULL;
        curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ctype);
        size_t i = 0;
        for (; ctype && ctype[i] && ctype[i] != ';' && !isspace((unsigned char)ctype[i]) &&
               i + 1 < sizeof r->media_type;
             i++)
            r->media_type[i] = (char)tolower((unsigned char)ctype[i]);
        r->media_type[i] = '\0';
    } else {
        snprintf(r->error, sizeof r->error, "%s", curl_easy_strerror(rc));
    }
    curl_mime_free(mime);
    curl_easy_cleanup(c);
    curl_slist_free_all(hdrs);
    r->body = b.p ? b.p : strdup("");
    r->len = b.len;
    r->headers = h.p ? h.p : strdup("");
    size_t mt = strlen(r->media_type);
    if (mt >= 4 && strcmp(r->media_type + mt - 4, "json") == 0)
        r->json = json_loadb(r->body, r->len, 0, NULL);
    return rc == CURLE_OK ? 0 : -1;
}

int h_send(const struct h_server *s, const struct h_req *q, struct h_resp *r)
{
    char url[4096];
    snprintf(url, sizeof url, "%s%s", s->base, q->path);
    return perform(url, q, r);
}

int h_get_url(const char *url, struct h_resp *r)
{
    const struct h_req q = {0};
    return perform(url, &q, r);
}

int h_get(const struct h_server *s, const char *path, struct h_resp *r)
{
    const struct h_req q = {.path = path};
    return h_send(s, &q, r);
}

int h_post(const struct h_server *s, const char *path, const char *content_type,
           const char *body, struct h_resp *r)
{
    const struct h_req q = {.method = "POST", .path = path, .content_type = content_type,
                            .body = body};
    return h_send(s, &q, r);
}

int h_request(const struct h_server *s, const char *method, const char *path,
              const char *const *headers, const char *json_body, struct h_resp *r)
{
    const struct h_req q = {.method = method, .path = path, .headers = headers,
                            .content_type = "application/json", .body = json_body};
    return h_send(s, &q, r);
}

char *h_resp_header(const struct h_resp *r, const char *name)
{
    size_t nlen = strlen(name);
    for (const char *line = r->headers; line && *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        if (len > nlen && line[nlen] == ':' && strncasecmp(line, name, nlen) == 0) {
            const char *v = line + nlen + 1;
            while (*v == ' ')
                v++;
            size_t vlen = (size_t)(line + len - v);
            while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == ' '))
                vlen--;
            return strndup(v, vlen);
        }
        line = eol ? eol + 1 : line + len;
    }
    return NULL;
}

void h_resp_free(struct h_resp *r)
{
    free(r->body);
    free(r->headers);
    if (r->json)
        json_decref(r->json);
    memset(r, 0, sizeof *r);
}

void h_check_problem_at(const char *file, int line, const char *what,
                        const struct h_resp *r, long status, const char *param)
{
    h_check(r->status == status, file, line, "%s: expected status %ld, found %ld%s%s (body %.200s)",
            what, status, r->status, r->error[0] ? ": " : "", r->error, r->body);
    h_check(strcmp(r->media_type, "application/problem+json") == 0, file, line,
            "%s: expected Content-Type application/problem+json, found \"%s\"", what,
            r->media_type);
    json_t *j = r->json;
    h_check(json_is_object(j), file, line, "%s: expected a JSON object body, found \"%.200s\"",
            what, r->body);
    if (!json_is_object(j))
        return;
    static const char *members[] = {"type", "title", "detail"};
    for (int i = 0; i < 3; i++)
        h_check(json_is_string(json_object_get(j, members[i])), file, line,
                "%s: expected a string member \"%s\" in %.300s", what, members[i], r->body);
    json_t *st = json_object_get(j, "status");
    h_check(json_is_integer(st) && json_integer_value(st) == status, file, line,
            "%s: expected \"status\": %ld in the body, found %.300s", what, status, r->body);
    if (!param)
        return;
    json_t *errs = json_object_get(j, "errors"), *e;
    size_t i;
    int named = 0;
    json_array_foreach(errs, i, e) {
        const char *name = json_string_value(json_object_get(e, "name"));
        if (name && strcmp(name, param) == 0)
            named = 1;
    }
    h_check(named, file, line, "%s: expected errors[] naming \"%s\", found %.400s", what, param,
            r->body);
}

int h_connection_refused(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int rc = connect(fd, (struct sockaddr *)&a, sizeof a);
    int refused = rc < 0 && errno == ECONNREFUSED;
    close(fd);
    return refused;
}
