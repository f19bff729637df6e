#include "http/conditional.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *header_value(h2o_req_t *req, const h2o_token_t *token, size_t *len)
{
    ssize_t i = h2o_find_header(&req->headers, token, -1);
    if (i < 0)
        return NULL;
    *len = req->headers.entries[i].value.len;
    return req->headers.entries[i].value.base;
}

int accept_encoding_gzip(const char *v, size_t len)
{
    int gzip = -1, star = -1;
    const char *end = v + len, *p = v;
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *item_end = comma ? comma : end;
        while (p < item_end && (*p == ' ' || *p == '\t'))
            p++;
        const char *name = p;
        while (p < item_end && *p != ';' && *p != ' ' && *p != '\t')
            p++;
        size_t nlen = (size_t)(p - name);
        int q_positive = 1;
        const char *q = p;
        while (q + 1 < item_end && !((q[0] == 'q' || q[0] == 'Q') && q[1] == '='))
            q++;
        if (q + 1 < item_end) {
            char num[16] = "";
            size_t n = (size_t)(item_end - (q + 2));
            memcpy(num, q + 2, n < sizeof num - 1 ? n : sizeof num - 1);
            q_positive = strtod(num, NULL) > 0;
        }
        if ((nlen == 4 && !strncasecmp(name, "gzip", 4)) ||
            (nlen == 6 && !strncasecmp(name, "x-gzip", 6)))
            gzip = q_positive;
        else if (nlen == 1 && *name == '*')
            star = q_positive;
        p = comma ? comma + 1 : end;
    }
    return gzip >= 0 ? gzip : star > 0;
}

int request_accepts_gzip(h2o_req_t *req)
{
    size_t len;
    const char *v = header_value(req, H2O_TOKEN_ACCEPT_ENCODING, &len);
    return v && accept_encoding_gzip(v, len);
}

int etag_list_matches(const char *v, size_t len, const char *etag)
{
    size_t tl = strlen(etag);
    const char *end = v + len, *p = v;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
            p++;
        if (p < end && *p == '*')
            return 1;
        if (end - p >= 2 && p[0] == 'W' && p[1] == '/')
            p += 2;
        const char *stop = memchr(p, ',', (size_t)(end - p));
        if (!stop)
            stop = end;
        const char *e = stop;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if ((size_t)(e - p) == tl && !memcmp(p, etag, tl))
            return 1;
        p = stop;
    }
    return 0;
}

int request_etag_listed(h2o_req_t *req, const char *etag)
{
    size_t len;
    const char *v = header_value(req, H2O_TOKEN_IF_NONE_MATCH, &len);
    return v && etag_list_matches(v, len, etag);
}
