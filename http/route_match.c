/* Which route a request's path selects, and the body limit that route
 * sets (read by the router, and by the connection guard before the body
 * arrives). */
#include "http/route_match.h"

#include <stdio.h>
#include <string.h>

/* Matches path against pattern segment by segment; {x} takes one segment. */
int route_match(const char *pattern, const char *path, size_t pathlen,
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

void route_body_limit(const struct polis_ctx *app, const struct route *r,
                             struct body_limit *out)
{
    int upload = r->body == BODY_UPLOAD;
    out->bytes = upload ? app->cfg.upload_max_bytes : app->cfg.max_body_bytes;
    out->variable = upload ? "POLIS_UPLOAD_MAX_MB" : "POLIS_MAX_BODY_KB";
    out->value = upload ? out->bytes / (1024 * 1024) : out->bytes / 1024;
}

void route_body_limit_of(const struct polis_ctx *app, h2o_iovec_t method, h2o_iovec_t path,
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

void route_too_large_detail(char *buf, size_t size, size_t found, int at_least,
                             const struct body_limit *lim)
{
    snprintf(buf, size, "the body has %s%zu bytes; at most %zu bytes (%s=%zu) are accepted here",
             at_least ? "more than " : "", found, lim->bytes, lim->variable, lim->value);
}
