/* The web pages: GET / (the citizen map), GET /assets/{file} (web/) and
 * GET /vendor/maplibre-gl/{version}/{file} (MapLibre's dist/ as npm
 * installed it). Served by polis itself, so the pages need no other host.
 *
 * Caching: the vendor URL names MapLibre's version, so those files are
 * immutable for a year; index.html and /assets/ are revalidated (no-cache
 * plus ETag: a 304 costs a round trip, never stale code after an update).
 * index.html is a template: {{maplibre}} becomes the vendor URL prefix. */
#include "server/api.h"
#include "server/api_web.h"
#include "server/respond.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef POLIS_SOURCE_DIR
#define POLIS_SOURCE_DIR "."
#endif

#define INDEX_MAX_BYTES (256u << 10)
#define GZIP_CACHE_BYTES (32u << 20)

/* The version in dist/../package.json, when it is a plain version string. */
static void read_maplibre_version(struct web_state *web)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/../package.json", web->maplibre.path);
    json_t *pkg = json_load_file(path, 0, NULL);
    const char *v = json_string_value(json_object_get(pkg, "version"));
    if (v && strlen(v) < sizeof web->maplibre_version && static_name_ok(v))
        snprintf(web->maplibre_version, sizeof web->maplibre_version, "%s", v);
    json_decref(pkg);
}

struct web_state *web_open(const struct polis_config *cfg, char *err, size_t errlen)
{
    struct web_state *web = calloc(1, sizeof *web);
    if (!web || !(web->gz = static_gzip_cache_create(GZIP_CACHE_BYTES))) {
        free(web);
        snprintf(err, errlen, "web: out of memory");
        return NULL;
    }
    char why[PATH_MAX + 128];
    if (static_dir_open(&web->site, cfg->web_dir, why, sizeof why)) {
        if (cfg->web_dir_explicit) {
            snprintf(err, errlen, "POLIS_WEB_DIR: %s", why);
            web_close(web);
            return NULL;
        }
        fprintf(stderr, "polis: warning: no web pages (%s); set POLIS_WEB_DIR\n", why);
    }
    if (static_dir_open(&web->maplibre, cfg->maplibre_dir, why, sizeof why) == 0)
        read_maplibre_version(web);
    else if (cfg->maplibre_dir_explicit) {
        snprintf(err, errlen, "POLIS_MAPLIBRE_DIR: %s", why);
        web_close(web);
        return NULL;
    }
    if (web->site.fd >= 0 && !web->maplibre_version[0])
        fprintf(stderr,
                "polis: warning: MapLibre not found in %s; the map page needs it: run "
                "`npm ci` in %s (scripts/run does)\n",
                cfg->maplibre_dir, POLIS_SOURCE_DIR);
    return web;
}

void web_close(struct web_state *web)
{
    if (!web)
        return;
    static_dir_close(&web->site);
    static_dir_close(&web->maplibre);
    static_gzip_cache_destroy(web->gz);
    free(web);
}

/* Replaces every {{maplibre}} of page with prefix, into pool. */
static h2o_iovec_t fill_template(h2o_mem_pool_t *pool, h2o_iovec_t page, const char *prefix)
{
    static const char mark[] = "{{maplibre}}";
    size_t marklen = sizeof mark - 1, plen = strlen(prefix), count = 0;
    for (const char *p = page.base; (p = strstr(p, mark)); p += marklen)
        count++;
    h2o_iovec_t out;
    out.len = page.len + count * plen - count * marklen;
    out.base = h2o_mem_alloc_pool(pool, out.len + 1);
    char *o = out.base;
    const char *p = page.base, *hit;
    while ((hit = strstr(p, mark))) {
        memcpy(o, p, (size_t)(hit - p));
        o += hit - p;
        memcpy(o, prefix, plen);
        o += plen;
        p = hit + marklen;
    }
    memcpy(o, p, (size_t)(page.base + page.len - p));
    out.base[out.len] = '\0';
    return out;
}

void api_web_index(struct exchange *ex)
{
    struct web_state *web = ex->app->web;
    h2o_iovec_t page;
    if (static_read(&ex->req->pool, &web->site, "index.html", INDEX_MAX_BYTES, &page)) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "this server has no web pages (POLIS_WEB_DIR); the API is at /api/v1");
        return;
    }
    const char *prefix =
        exchange_printf(ex, "/vendor/maplibre-gl/%s",
                        web->maplibre_version[0] ? web->maplibre_version : "missing");
    /* The page may load code, styles, tiles and data from this server only:
     * a browser then refuses any other host, whatever a script asks. */
    respond_header(ex->req, "content-security-policy",
                   "default-src 'self'; script-src 'self'; style-src 'self'; "
                   "img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; "
                   "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                   "frame-ancestors 'none'");
    respond_header(ex->req, "referrer-policy", "same-origin");
    static_send_bytes(ex->req, "text/html; charset=utf-8",
                      fill_template(&ex->req->pool, page, prefix), STATIC_REVALIDATE);
}

/* h2o decodes %00 into the path: the C string of a segment would then end
 * early ("app.js%00.png" reading as "app.js"), so such paths name nothing. */
static int path_has_nul(struct exchange *ex)
{
    if (!memchr(ex->req->path_normalized.base, 0, ex->req->path_normalized.len))
        return 0;
    respond_problem(ex->req, 404, "about:blank", "Not Found", NULL, "there is no file at this path");
    return 1;
}

void api_web_asset(struct exchange *ex)
{
    struct web_state *web = ex->app->web;
    const char *name = ex->path_params[0];
    if (path_has_nul(ex))
        return;
    /* index.html has its own route (it is a template) */
    if (!strcmp(name, "index.html")) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "there is no file at this path; the page is at /");
        return;
    }
    static_send(ex->req, &web->site, name, STATIC_REVALIDATE, web->gz);
}

void api_web_vendor(struct exchange *ex)
{
    struct web_state *web = ex->app->web;
    if (path_has_nul(ex))
        return;
    if (!web->maplibre_version[0] || strcmp(ex->path_params[0], web->maplibre_version)) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "this server has MapLibre %s, not %s",
                        web->maplibre_version[0] ? web->maplibre_version : "(none)",
                        ex->path_params[0]);
        return;
    }
    static_send(ex->req, &web->maplibre, ex->path_params[1], STATIC_IMMUTABLE, web->gz);
}
