/* Vector tiles over HTTP: GET /tiles/{layers}/{z}/{x}/{y}.mvt (one layer or
 * a composite "a,b"), TileJSON at /tiles/{layers}.json and the catalogue at
 * /tiles. PostGIS builds the tile; this file validates the URL, serves from
 * the process's cache (tiles/tile_cache.c), coalesces concurrent misses of
 * one tile on this worker into one query, and speaks HTTP caching: ETag,
 * If-None-Match, Cache-Control, gzip or identity.
 *
 * Staff-only layers (layer_catalogue.visibility 'staff'): served to staff
 * and admins only, with Cache-Control: private and Vary: Cookie,
 * Authorization, so that no shared cache keeps them; to anyone else a
 * staff-only layer, alone or in a composite, is 404 with the same body and
 * headers as a layer that does not exist. The process's own cache may hold
 * their tiles: it is read only after that check. */
#include "api/tiles.h"
#include "http/conditional.h"
#include "http/identity.h"

#include "api/api.h"
#include "http/respond.h"
#include "tiles/registry.h"
#include "tiles/tile_gzip.h"
#include "tiles/tile_math.h"
#include "tiles/tilejson_sql.h"
#include "tiles/vector_layers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CT_MVT "application/vnd.mapbox-vector-tile"
/* what a staff-only layer's answer depends on: the coding and who asks */
#define VARY_PRIVATE "accept-encoding, cookie, authorization"

struct tiles_worker {
    struct tiles_state *st;
    struct db_pool *db;
    h2o_linklist_t builds; /* struct tile_build, in flight */
};

/* One query building one tile, owned by the worker (not by a request: the
 * first client may leave, the others still want the tile). */
struct tile_build {
    h2o_linklist_t link;
    struct tiles_worker *tw;
    struct tile_key key;
    int cacheable;     /* the cache was usable when the build started */
    char *owned_sql;   /* composite SQL; NULL when a layer's own SQL is used */
    struct tile_registry *reg; /* holds the layers (and their SQL) the build uses */
    char z[8], x[16], y[16];
    const char *params[3]; /* z, x, y for q */
    struct db_query q;
    h2o_linklist_t waiters; /* struct tile_waiter */
    struct timespec started;
};

/* A request waiting for a build; lives in the request's pool, and unlinks
 * itself when the request goes away first. */
struct tile_waiter {
    h2o_linklist_t link;
    h2o_req_t *req;
    int max_age;
    int private_; /* a staff-only layer is in it: Cache-Control private */
};

struct tiles_worker *tiles_worker_create(struct tiles_state *st, struct db_pool *db)
{
    struct tiles_worker *tw = calloc(1, sizeof *tw);
    if (!tw)
        return NULL;
    tw->st = st;
    tw->db = db;
    h2o_linklist_init_anchor(&tw->builds);
    return tw;
}

static void build_free(struct tile_build *b)
{
    if (h2o_linklist_is_linked(&b->link))
        h2o_linklist_unlink(&b->link);
    free(b->owned_sql);
    if (b->reg)
        tile_registry_unref(b->reg);
    free(b);
}

void tiles_worker_destroy(struct tiles_worker *tw)
{
    if (!tw)
        return;
    while (!h2o_linklist_is_empty(&tw->builds)) {
        struct tile_build *b = H2O_STRUCT_FROM_MEMBER(struct tile_build, link, tw->builds.next);
        while (!h2o_linklist_is_empty(&b->waiters))
            h2o_linklist_unlink(b->waiters.next);
        build_free(b);
    }
    free(tw);
}

/* ---- HTTP caching and content coding ---- */

/* If-None-Match lists our tag, in either coding's form. */
static int etag_matches(h2o_req_t *req, uint64_t hash)
{
    char plain[24], gzipped[32];
    snprintf(plain, sizeof plain, "\"%016llx\"", (unsigned long long)hash);
    snprintf(gzipped, sizeof gzipped, "\"%016llx-gzip\"", (unsigned long long)hash);
    return request_etag_listed(req, plain) || request_etag_listed(req, gzipped);
}

static void send_status_only(h2o_req_t *req, int status, const char *reason)
{
    req->res.status = status;
    req->res.reason = reason;
    h2o_send_inline(req, "", 0); /* h2o sends no length or body for 204 and 304 */
}

/* Answers one request with a tile: 304, 204 (empty tile), gzip bytes, or
 * the MVT bytes (raw when the caller has them, else the blob's plain copy,
 * else inflated from blob: only when keeping a copy ran out of memory).
 * x-cache says hit, miss (built for this request) or off (cache not in use:
 * disabled, or invalidation is down), for operators and CDN logs. */
static void respond_tile(h2o_req_t *req, const struct tile_blob *blob, const unsigned char *raw,
                         int max_age, int private_, const char *x_cache)
{
    int gzip = blob->gzipped && request_accepts_gzip(req);
    char value[64];
    snprintf(value, sizeof value, "%s, max-age=%d", private_ ? "private" : "public", max_age);
    respond_header(req, "cache-control", value);
    snprintf(value, sizeof value, "\"%016llx%s\"", (unsigned long long)blob->hash,
             gzip ? "-gzip" : "");
    respond_header(req, "etag", value);
    respond_header(req, "vary", private_ ? VARY_PRIVATE : "accept-encoding");
    respond_header(req, "x-cache", x_cache);
    respond_header(req, "access-control-allow-origin", "*");
    if (blob->truncated) {
        respond_header(req, "polis-tile-truncated", blob->truncated);
        respond_header(req, "access-control-expose-headers", "polis-tile-truncated");
    }
    if (etag_matches(req, blob->hash)) {
        send_status_only(req, 304, "Not Modified");
        return;
    }
    if (blob->raw_len == 0) {
        send_status_only(req, 204, "No Content");
        return;
    }
    if (gzip) {
        respond_header(req, "content-encoding", "gzip");
        respond_bytes(req, 200, CT_MVT, (const char *)blob->data, blob->len);
        return;
    }
    if (!raw && blob->plain)
        raw = blob->plain;
    if (raw || !blob->gzipped) {
        respond_bytes(req, 200, CT_MVT, raw ? (const char *)raw : (const char *)blob->data,
                      blob->raw_len);
        return;
    }
    unsigned char *out = malloc(blob->raw_len);
    if (!out || tile_gunzip(blob, out)) {
        free(out);
        fprintf(stderr, "polis: a cached tile did not inflate to %zu bytes\n", blob->raw_len);
        respond_problem(req, 500, "about:blank", "Internal Server Error", NULL,
                        "the tile could not be decompressed; the error was logged");
        return;
    }
    respond_bytes(req, 200, CT_MVT, (const char *)out, blob->raw_len);
    free(out);
}

/* ---- builds ---- */

static int key_equal(const struct tile_key *a, const struct tile_key *b)
{
    return a->z == b->z && a->x == b->x && a->y == b->y && a->version == b->version &&
           !strcmp(a->layers, b->layers);
}

static void waiter_dispose(void *p)
{
    struct tile_waiter *w = p;
    if (h2o_linklist_is_linked(&w->link))
        h2o_linklist_unlink(&w->link);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The tile is built (or failed): cache it, answer every request still
 * waiting, free the build. A waiter is unlinked before its answer, because
 * answering may free its request (and run waiter_dispose) at once. */
static void build_done(struct db_query *q, PGresult *res)
{
    struct tile_build *b = q->data;
    struct tiles_state *st = b->tw->st;
    const unsigned char *raw = NULL;
    size_t raw_len = 0;
    struct tile_blob *blob = NULL;
    int ok = res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
    if (ok) {
        if (!PQgetisnull(res, 0, TILE_MVT_DATA)) {
            raw = (const unsigned char *)PQgetvalue(res, 0, TILE_MVT_DATA);
            raw_len = (size_t)PQgetlength(res, 0, TILE_MVT_DATA);
        }
        if (ok)
            blob = tile_gzip_blob(raw ? raw : (const unsigned char *)"", raw_len);
        if (blob && !PQgetisnull(res, 0, TILE_MVT_TRUNCATED) &&
            !(blob->truncated = strdup(PQgetvalue(res, 0, TILE_MVT_TRUNCATED)))) {
            tile_blob_release(blob);
            blob = NULL;
        }
    }
    tiles_observe_build(st, seconds_since(&b->started), !blob);
    if (blob && b->cacheable && tiles_cache_usable(st))
        tile_cache_put(st->cache, &b->key, blob);
    while (!h2o_linklist_is_empty(&b->waiters)) {
        struct tile_waiter *w = H2O_STRUCT_FROM_MEMBER(struct tile_waiter, link, b->waiters.next);
        h2o_linklist_unlink(&w->link);
        if (blob)
            respond_tile(w->req, blob, raw, w->max_age, w->private_,
                         b->cacheable ? "miss" : "off");
        else if (!respond_db_failure(w->req, res))
            respond_problem(w->req, 500, "about:blank", "Internal Server Error", NULL,
                            "the tile could not be built; the error was logged");
    }
    tile_blob_release(blob);
    build_free(b);
}

static void wait_for(struct tile_build *b, h2o_req_t *req, int max_age, int private_)
{
    struct tile_waiter *w = h2o_mem_alloc_shared(&req->pool, sizeof *w, waiter_dispose);
    memset(w, 0, sizeof *w);
    w->req = req;
    w->max_age = max_age;
    w->private_ = private_;
    h2o_linklist_insert(&b->waiters, &w->link);
}

/* ---- GET /tiles/{layers}/{z}/{x}/{y}.mvt ---- */

static int reject_query(struct exchange *ex)
{
    static const char *const allowed[] = {NULL};
    params_allow_only(&ex->query, allowed);
    if (!params_failed(&ex->query))
        return 0;
    respond_problem(ex->req, 400, "/problems/invalid-parameter", "Invalid query parameter",
                    params_take_errors(&ex->query), "this resource takes no query parameters");
    return 1;
}


/* Resolves the {layers} segment; answers 404/400 itself and returns 0 then.
 * *private_ tells whether a staff-only layer is among them. */
static int resolve_layers(struct exchange *ex, const struct tile_registry *reg, const char *spec,
                          int *layers, int *private_)
{
    const char *bad = NULL;
    size_t bad_len = 0;
    /* a staff-only layer is not theirs to know of unless staff: as unknown */
    int n = tile_registry_list(reg, spec, layers, TILE_COMPOSITE_MAX,
                               identity_acts_as_staff(&ex->who), &bad, &bad_len);
    *private_ = 0;
    for (int i = 0; i < n; i++)
        *private_ |= reg->staff_only[layers[i]];
    if (n == 0) {
        /* the same answer, body and headers, for an unknown and a staff-only
         * layer; it varies with who asks (a staff member gets the layer), so
         * no shared cache may give one caller's 404 to another */
        respond_header(ex->req, "vary", "cookie, authorization");
        respond_problem(ex->req, 404, "/problems/unknown-layer", "Unknown tile layer", NULL,
                        "there is no tile layer \"%.*s\"; the layers are listed at /tiles%s",
                        (int)(bad_len > 100 ? 100 : bad_len), bad,
                        reg->catalogue_loaded ? "" : " (the layer catalogue is not loaded yet)");
    } else if (n < 0) {
        char expected[128];
        snprintf(expected, sizeof expected,
                 "a layer name, or up to %d different layer names separated by commas",
                 TILE_COMPOSITE_MAX);
        params_error(&ex->query, "layer", expected, spec);
        respond_problem(ex->req, 400, "/problems/invalid-path", "Invalid tile path",
                        params_take_errors(&ex->query), "the layer part of the path is invalid");
        n = 0;
    }
    return n;
}

void api_tiles_get(struct exchange *ex)
{
    struct tiles_worker *tw = ex->worker->tiles;
    struct tiles_state *st = tw->st;
    if (reject_query(ex))
        return;
    int layers[TILE_COMPOSITE_MAX], private_;
    struct tile_registry *reg = tiles_registry(st);
    int n = resolve_layers(ex, reg, ex->path_params[0], layers, &private_);
    if (!n) {
        tile_registry_unref(reg);
        return;
    }
    struct tile_id t;
    struct tile_parse_error perr;
    char expected[128];
    if (tile_parse(ex->path_params[1], ex->path_params[2], ex->path_params[3], "mvt", &t, &perr,
                   expected, sizeof expected)) {
        const char *found = !strcmp(perr.part, "z") ? ex->path_params[1]
                            : !strcmp(perr.part, "x") ? ex->path_params[2]
                                                      : ex->path_params[3];
        params_error(&ex->query, perr.part, perr.expected, found);
        respond_problem(ex->req, 400, "/problems/invalid-path", "Invalid tile path",
                        params_take_errors(&ex->query), "the tile's %s is invalid: expected %s",
                        perr.part, perr.expected);
        tile_registry_unref(reg);
        return;
    }

    /* the layers that have tiles at this zoom, and the shortest lifetime */
    int active[TILE_COMPOSITE_MAX], nactive = 0, max_age = 86400;
    struct tile_key key = {.z = t.z, .x = t.x, .y = t.y};
    size_t klen = 0;
    for (int i = 0; i < n; i++) {
        const struct tile_layer *l = reg->layers[layers[i]];
        if (t.z >= l->minzoom && t.z <= l->maxzoom)
            active[nactive++] = layers[i];
        if (l->max_age < max_age)
            max_age = l->max_age;
        klen += (size_t)snprintf(key.layers + klen, sizeof key.layers - klen, "%s%s",
                                 i ? "," : "", l->name);
    }
    if (!nactive) {
        /* outside every layer's zooms: an empty tile, not built at all */
        char value[64];
        snprintf(value, sizeof value, "public, max-age=%d", max_age);
        respond_header(ex->req, "cache-control", value);
        respond_header(ex->req, "access-control-allow-origin", "*");
        send_status_only(ex->req, 204, "No Content");
        tile_registry_unref(reg);
        return;
    }
    key.version = tiles_version_of(st, reg, layers, n);

    int cacheable = tiles_cache_usable(st);
    if (cacheable) {
        struct tile_blob *blob = tile_cache_get(st->cache, &key);
        if (blob && blob->gzipped && !blob->plain && !request_accepts_gzip(ex->req)) {
            /* a client without gzip: from now on the cache keeps the tile's
             * bytes beside the gzip ones, so such hits are not inflated each
             * time (a few such clients: QGIS, GDAL, wrk, curl) */
            struct tile_blob *both = tile_blob_with_plain(blob);
            if (both) {
                tile_cache_put(st->cache, &key, both);
                atomic_fetch_add(&st->plain_copies, 1);
                tile_blob_release(blob);
                blob = both;
            }
        }
        if (blob) {
            respond_tile(ex->req, blob, NULL, max_age, private_, "hit");
            tile_blob_release(blob);
            tile_registry_unref(reg);
            return;
        }
    }
    for (h2o_linklist_t *p = tw->builds.next; p != &tw->builds; p = p->next) {
        struct tile_build *b = H2O_STRUCT_FROM_MEMBER(struct tile_build, link, p);
        if (key_equal(&b->key, &key)) {
            atomic_fetch_add(&st->coalesced, 1);
            wait_for(b, ex->req, max_age, private_);
            tile_registry_unref(reg);
            return;
        }
    }

    struct tile_build *b = calloc(1, sizeof *b);
    if (b && !(nactive == 1 && n == 1)) {
        const struct tile_layer *ls[TILE_COMPOSITE_MAX];
        for (int i = 0; i < nactive; i++)
            ls[i] = reg->layers[active[i]];
        b->owned_sql = tile_composite_sql(ls, nactive);
    }
    if (!b) {
        respond_problem(ex->req, 503, "about:blank", "Service Unavailable", NULL,
                        "out of memory; try again shortly");
        tile_registry_unref(reg);
        return;
    }
    b->reg = reg;
    b->tw = tw;
    b->key = key;
    b->cacheable = cacheable;
    h2o_linklist_init_anchor(&b->waiters);
    clock_gettime(CLOCK_MONOTONIC, &b->started);
    snprintf(b->z, sizeof b->z, "%d", t.z);
    snprintf(b->x, sizeof b->x, "%ld", t.x);
    snprintf(b->y, sizeof b->y, "%ld", t.y);
    b->q.sql = b->owned_sql ? b->owned_sql : reg->mvt_sql[active[0]];
    b->params[0] = b->z;
    b->params[1] = b->x;
    b->params[2] = b->y;
    b->q.nparams = 3;
    b->q.params = b->params;
    b->q.binary_result = 1; /* MVT bytes as they are, not hex-escaped */
    b->q.cb = build_done;
    b->q.data = b;
    h2o_linklist_insert(&tw->builds, &b->link);
    wait_for(b, ex->req, max_age, private_);
    db_pool_submit(tw->db, &b->q); /* may call build_done at once (no database) */
}

/* ---- TileJSON: GET /tiles/{layers}.json ---- */

/* What the answer needs of the layers, taken from the registry before the
 * bounds query runs (the registry may change meanwhile). */
struct tilejson_req {
    const char *spec;
    const char *description;
    json_t *vector_layers;
    int minzoom, maxzoom;
    double center[3];
    int private_; /* a staff-only layer is among them */
};

static void tilejson_dispose(void *p)
{
    struct tilejson_req *tr = p;
    json_decref(tr->vector_layers);
}

static void tilejson_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    const struct tilejson_req *tr = ex->handler_data;
    double b[4] = {-180, -TILE_MAX_LAT, 180, TILE_MAX_LAT};
    if (PQntuples(res) == 1 && !PQgetisnull(res, 0, TILEJSON_XMIN)) {
        b[0] = atof(PQgetvalue(res, 0, TILEJSON_XMIN));
        b[1] = atof(PQgetvalue(res, 0, TILEJSON_YMIN));
        b[2] = atof(PQgetvalue(res, 0, TILEJSON_XMAX));
        b[3] = atof(PQgetvalue(res, 0, TILEJSON_YMAX));
    }
    double c[3] = {tr->center[0], tr->center[1], tr->center[2]};
    if (isnan(c[0]) && PQntuples(res) == 1 && !PQgetisnull(res, 0, TILEJSON_MUNICIPALITY_LON)) {
        c[0] = atof(PQgetvalue(res, 0, TILEJSON_MUNICIPALITY_LON));
        c[1] = atof(PQgetvalue(res, 0, TILEJSON_MUNICIPALITY_LAT));
    }
    /* outside the layers' extent (or no centre at all): the extent's middle */
    if (isnan(c[0]) || c[0] < b[0] || c[0] > b[2] || c[1] < b[1] || c[1] > b[3]) {
        c[0] = (b[0] + b[2]) / 2;
        c[1] = (b[1] + b[3]) / 2;
    }
    const char *tiles_url =
        exchange_url(ex, exchange_printf(ex, "/tiles/%s/{z}/{x}/{y}.mvt", tr->spec));
    json_t *tj = json_pack(
        "{s:s,s:s,s:s,s:s,s:[s],s:i,s:i,s:[f,f,f,f],s:[f,f,i],s:O}", "tilejson", "3.0.0", "name",
        tr->spec, "description", tr->description, "scheme", "xyz", "tiles", tiles_url, "minzoom",
        tr->minzoom, "maxzoom", tr->maxzoom, "bounds", b[0], b[1], b[2], b[3], "center", c[0],
        c[1], (int)c[2], "vector_layers", tr->vector_layers);
    respond_header(ex->req, "access-control-allow-origin", "*");
    respond_header(ex->req, "cache-control",
                   tr->private_ ? "private, max-age=60" : "public, max-age=60");
    if (tr->private_)
        respond_header(ex->req, "vary", "cookie, authorization");
    /* 9 significant digits: bounds to about a metre, not 23.549600000000002 */
    char *text = json_dumps(tj, JSON_COMPACT | JSON_REAL_PRECISION(9));
    json_decref(tj);
    if (!text) {
        respond_problem(ex->req, 500, "about:blank", "Internal Server Error", NULL, "out of memory");
        return;
    }
    respond_bytes(ex->req, 200, CT_JSON, text, strlen(text));
    free(text);
}

void api_tiles_tilejson(struct exchange *ex)
{
    if (reject_query(ex))
        return;
    const char *seg = ex->path_params[0];
    size_t len = strlen(seg);
    if (len <= 5 || strcmp(seg + len - 5, ".json") != 0) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "there is no resource at this path; a layer's TileJSON is at "
                        "/tiles/{layer}.json and its tiles at /tiles/{layer}/{z}/{x}/{y}.mvt");
        return;
    }
    struct tilejson_req *tr = h2o_mem_alloc_shared(&ex->req->pool, sizeof *tr, tilejson_dispose);
    memset(tr, 0, sizeof *tr);
    tr->spec = h2o_strdup(&ex->req->pool, seg, len - 5).base;
    struct tile_registry *reg = tiles_registry(ex->worker->tiles->st);
    int layers[TILE_COMPOSITE_MAX];
    int n = resolve_layers(ex, reg, tr->spec, layers, &tr->private_);
    if (!n) {
        tile_registry_unref(reg);
        return;
    }
    const struct tile_layer *ls[TILE_COMPOSITE_MAX];
    tr->vector_layers = json_array();
    tr->minzoom = TILE_MAX_ZOOM;
    tr->maxzoom = 0;
    for (int i = 0; i < n; i++) {
        const struct tile_layer *l = ls[i] = reg->layers[layers[i]];
        tr->minzoom = l->minzoom < tr->minzoom ? l->minzoom : tr->minzoom;
        tr->maxzoom = l->maxzoom > tr->maxzoom ? l->maxzoom : tr->maxzoom;
        tile_vector_layers_append(tr->vector_layers, l);
    }
    tr->description = exchange_strdup(ex, n == 1 ? ls[0]->description : "composite of tile layers");
    memcpy(tr->center, ls[0]->center, sizeof tr->center);
    ex->handler_data = tr;
    char *sql = tile_tilejson_sql(ls, n);
    tile_registry_unref(reg);
    const char *pooled = exchange_strdup(ex, sql);
    free(sql);
    const char *args[] = {ex->app->cfg.municipality};
    exchange_query(ex, pooled, 1, args, tilejson_done);
}

/* ---- the catalogue: GET /tiles ---- */

void api_tiles_catalog(struct exchange *ex)
{
    if (reject_query(ex))
        return;
    struct tile_registry *reg = tiles_registry(ex->worker->tiles->st);
    json_t *list = json_array();
    for (int i = 0; i < reg->count; i++) {
        const struct tile_layer *l = reg->layers[i];
        if (reg->staff_only[i])
            continue; /* the public catalogue: the same for everyone */
        json_array_append_new(
            list,
            json_pack("{s:s,s:s,s:i,s:i,s:s,s:s}", "id", l->name, "description", l->description,
                      "minzoom", l->minzoom, "maxzoom", l->maxzoom, "tilejson",
                      exchange_url(ex, exchange_printf(ex, "/tiles/%s.json", l->name)), "tiles",
                      exchange_url(ex, exchange_printf(ex, "/tiles/%s/{z}/{x}/{y}.mvt",
                                                       l->name))));
    }
    tile_registry_unref(reg);
    json_t *body = json_pack(
        "{s:o,s:s,s:s}", "layers", list, "composite",
        exchange_url(ex, "/tiles/{layer},{layer}/{z}/{x}/{y}.mvt"), "composite_tilejson",
        exchange_url(ex, "/tiles/{layer},{layer}.json"));
    respond_header(ex->req, "access-control-allow-origin", "*");
    respond_json(ex->req, 200, body);
}
