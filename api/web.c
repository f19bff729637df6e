/* The web pages: GET / (the citizen map), GET /assets/v/{hash}/{file} and
 * GET /assets/{file} (web/), GET /vendor/maplibre-gl/{version}/{file}
 * (MapLibre's dist/ as npm installed it). Served by polis itself, so the
 * pages need no other host.
 *
 * Caching: a page that changes must never run old code, and a repeat visit
 * should cost one request. So index.html is revalidated (no-cache + ETag)
 * and names everything else by version: MapLibre's URL carries its version,
 * and the page's own files are served from a snapshot taken at start under
 * /assets/v/{hash}/, the hash covering every file of POLIS_WEB_DIR; both
 * are immutable for a year. One hash for the whole directory (not one per
 * file) keeps app.js' relative imports ('./i18n.js') under the same prefix
 * without rewriting them. A hash that is not the current one is a 404, not
 * a redirect: the page asking for it runs the previous version, and
 * answering with the current files would mix old and new modules (or put
 * new bytes in a cache under the old URL); reloading the page fixes it.
 * /assets/{file} still serves the file as it is on disk now, revalidated,
 * for links made before hashed URLs.
 *
 * index.html is a template: {{maplibre}} becomes the vendor URL prefix and
 * {{assets}} the hashed prefix of the page's own files. */
#include "api/api.h"
#include "api/web.h"
#include "http/respond.h"

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
    /* not opened yet: web_close must not close descriptor 0 */
    web->site.fd = web->maplibre.fd = web->glyphs.fd = -1;
    char why[PATH_MAX + 128];
    if (static_dir_open(&web->site, cfg->web_dir, why, sizeof why)) {
        if (cfg->web_dir_explicit) {
            snprintf(err, errlen, "POLIS_WEB_DIR: %s", why);
            web_close(web);
            return NULL;
        }
        fprintf(stderr, "polis: warning: no web pages (%s); set POLIS_WEB_DIR\n", why);
    }
    if (web->site.fd >= 0 && !(web->pages = static_snapshot_take(&web->site, why, sizeof why))) {
        snprintf(err, errlen, "POLIS_WEB_DIR: %s", why);
        web_close(web);
        return NULL;
    }
    if (static_dir_open(&web->maplibre, cfg->maplibre_dir, why, sizeof why) == 0)
        read_maplibre_version(web);
    else if (cfg->maplibre_dir_explicit) {
        snprintf(err, errlen, "POLIS_MAPLIBRE_DIR: %s", why);
        web_close(web);
        return NULL;
    }
    if (static_dir_open(&web->glyphs, cfg->glyphs_dir, why, sizeof why)) {
        if (cfg->glyphs_dir_explicit) {
            snprintf(err, errlen, "POLIS_GLYPHS_DIR: %s", why);
            web_close(web);
            return NULL;
        }
        fprintf(stderr, "polis: warning: no label glyphs for the basemap (%s); build the "
                "target glyphs or set POLIS_GLYPHS_DIR\n", why);
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
    static_dir_close(&web->glyphs);
    static_snapshot_free(web->pages);
    static_gzip_cache_destroy(web->gz);
    free(web);
}

/* Replaces every mark of page with prefix, into pool. */
static h2o_iovec_t fill_template(h2o_mem_pool_t *pool, h2o_iovec_t page, const char *mark,
                                 const char *prefix)
{
    size_t marklen = strlen(mark), plen = strlen(prefix), count = 0;
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
    const struct static_snapshot_file *index = static_snapshot_find(web->pages, "index.html");
    if (!index || index->body.len > INDEX_MAX_BYTES) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "this server has no web pages (POLIS_WEB_DIR); the API is at /api/v1");
        return;
    }
    const char *maplibre =
        exchange_printf(ex, "/vendor/maplibre-gl/%s",
                        web->maplibre_version[0] ? web->maplibre_version : "missing");
    h2o_iovec_t page = fill_template(&ex->req->pool, index->body, "{{maplibre}}", maplibre);
    page = fill_template(&ex->req->pool, page, "{{assets}}",
                         exchange_printf(ex, "/assets/v/%s", web->pages->hash));
    /* The basemap: polis's own style, or the one POLIS_BASEMAP_STYLE_URL
     * names (the page reads it from data-basemap-style). */
    const struct polis_config *cfg = &ex->app->cfg;
    page = fill_template(&ex->req->pool, page, "{{basemap_style}}",
                         *cfg->basemap_style_url ? cfg->basemap_style_url
                                                 : "/styles/basemap.json");
    /* The page may load code, styles, tiles and data from this server only:
     * a browser then refuses any other host, whatever a script asks. An
     * external basemap style's host is let in for what MapLibre fetches
     * (the style, its tiles, glyphs and sprite: connect-src, img-src). */
    const char *other = *cfg->basemap_style_origin
                            ? exchange_printf(ex, " %s", cfg->basemap_style_origin)
                            : "";
    respond_header(ex->req, "content-security-policy",
                   exchange_printf(ex,
                                   "default-src 'self'; script-src 'self'; style-src 'self'; "
                                   "img-src 'self' data: blob:%s; worker-src 'self' blob:; "
                                   "connect-src 'self'%s; font-src 'self'; object-src 'none'; "
                                   "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
                                   other, other));
    respond_header(ex->req, "referrer-policy", "same-origin");
    static_send_bytes(ex->req, "text/html; charset=utf-8", page, STATIC_REVALIDATE);
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

void api_web_versioned(struct exchange *ex)
{
    struct web_state *web = ex->app->web;
    const char *hash = ex->path_params[0], *name = ex->path_params[1];
    if (path_has_nul(ex))
        return;
    if (!web->pages || strcmp(hash, web->pages->hash)) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "this server's page files are version %s, not %s: reload the page",
                        web->pages ? web->pages->hash : "(none)", hash);
        return;
    }
    const struct static_snapshot_file *f = static_snapshot_find(web->pages, name);
    if (!f || !strcmp(name, "index.html")) { /* the template only at / */
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "there is no file at this path");
        return;
    }
    static_send_memory(ex->req, f->name, f->body, STATIC_IMMUTABLE, web->gz);
}
