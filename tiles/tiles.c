#include "common/textbuf.h"
#include "tiles/tiles.h"

#include "tiles/registry.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double tiles_build_bounds[TILES_BUILD_BUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,  0.1,    0.25,  0.5,  1};

/* The slot of name (created when create is set and there is room), or -1.
 * Called with t->lock held. */
static int slot_locked(struct tiles_state *t, const char *name, int create)
{
    for (int i = 0; i < t->nslots; i++)
        if (!strcmp(t->slots[i].name, name))
            return i;
    if (!create || t->nslots == TILES_MAX_SLOTS || strlen(name) >= sizeof t->slots[0].name)
        return -1;
    struct tile_slot *s = &t->slots[t->nslots];
    snprintf(s->name, sizeof s->name, "%s", name);
    atomic_init(&s->version, 1);
    s->db_version = -1;
    return t->nslots++;
}

struct tile_registry *tiles_registry(struct tiles_state *t)
{
    pthread_mutex_lock(&t->lock);
    struct tile_registry *r = t->registry;
    tile_registry_ref(r);
    pthread_mutex_unlock(&t->lock);
    return r;
}

void tiles_install_registry(struct tiles_state *t, struct tile_registry *r)
{
    pthread_mutex_lock(&t->lock);
    for (int i = 0; i < r->count; i++)
        r->slot[i] = slot_locked(t, r->layers[i]->name, 1);
    struct tile_registry *old = t->registry;
    t->registry = r;
    pthread_mutex_unlock(&t->lock);
    if (old)
        tile_registry_unref(old);
}

struct tiles_state *tiles_create(long cache_mb, char *err, size_t errlen)
{
    long mb = cache_mb;
    struct tiles_state *t = calloc(1, sizeof *t);
    struct tile_registry *r = t ? tile_registry_create(NULL, NULL) : NULL;
    if (!r) {
        snprintf(err, errlen, "tiles: out of memory");
        free(t);
        return NULL;
    }
    pthread_mutex_init(&t->lock, NULL);
    if (mb > 0 && !(t->cache = tile_cache_create((size_t)mb * 1024 * 1024))) {
        snprintf(err, errlen, "tiles: out of memory");
        tile_registry_unref(r);
        free(t);
        return NULL;
    }
    tiles_install_registry(t, r);
    return t;
}

void tiles_layer_changed(struct tiles_state *t, const char *layer)
{
    pthread_mutex_lock(&t->lock);
    int i = slot_locked(t, layer, 0);
    pthread_mutex_unlock(&t->lock);
    if (i < 0)
        return; /* never served here: nothing of it is cached */
    atomic_fetch_add(&t->slots[i].version, 1);
    atomic_fetch_add(&t->invalidations, 1);
    if (t->cache)
        tile_cache_drop_layer(t->cache, t->slots[i].name);
}

void tiles_on_layer_change(void *data, const char *layer)
{
    tiles_layer_changed(data, layer);
}

static void log_stderr(const char *msg)
{
    fprintf(stderr, "polis: %s\n", msg);
}

/* Back after an outage (or the first time, or the catalogue changed): the
 * catalogue's public layers become the registry; a layer whose stored
 * version moved, or that has no row, may have changed unannounced: bump
 * it. Then the cache may be used again. */
void tiles_on_versions(void *data, const PGresult *res, const PGresult *catalogue)
{
    struct tiles_state *t = data;
    struct tile_registry *reg = tile_registry_create(catalogue, log_stderr);
    if (reg)
        tiles_install_registry(t, reg);
    else
        fprintf(stderr, "polis: tiles: out of memory reloading the layer catalogue\n");
    pthread_mutex_lock(&t->lock);
    int n = t->nslots;
    pthread_mutex_unlock(&t->lock);
    char seen[TILES_MAX_SLOTS] = {0};
    for (int r = 0; r < PQntuples(res); r++) {
        const char *name = PQgetvalue(res, r, TILE_VERSIONS_LAYER);
        int i = -1;
        for (int k = 0; k < n && i < 0; k++)
            if (!strcmp(t->slots[k].name, name))
                i = k;
        if (i < 0)
            continue;
        seen[i] = 1;
        long long v = atoll(PQgetvalue(res, r, TILE_VERSIONS_VERSION));
        if (t->slots[i].db_version != v) {
            if (t->slots[i].db_version != -1)
                tiles_layer_changed(t, t->slots[i].name);
            t->slots[i].db_version = v;
        }
    }
    for (int i = 0; i < n; i++)
        if (!seen[i]) {
            tiles_layer_changed(t, t->slots[i].name);
            t->slots[i].db_version = -1;
        }
    atomic_store(&t->listening, 1);
}

void tiles_on_listener_down(void *data)
{
    struct tiles_state *t = data;
    atomic_store(&t->listening, 0);
}

void tiles_destroy(struct tiles_state *t)
{
    if (!t)
        return;
    tile_cache_destroy(t->cache);
    tile_registry_unref(t->registry);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

int tiles_cache_usable(struct tiles_state *t)
{
    return t->cache && atomic_load(&t->listening);
}

uint64_t tiles_version_of(struct tiles_state *t, const struct tile_registry *r, const int *layers,
                          int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        if (r->slot[layers[i]] >= 0)
            v += atomic_load(&t->slots[r->slot[layers[i]]].version);
    return v;
}

void tiles_observe_build(struct tiles_state *t, double seconds, int failed)
{
    int b = 0;
    while (b < TILES_BUILD_BUCKETS && seconds > tiles_build_bounds[b])
        b++;
    atomic_fetch_add(&t->build_hist[b], 1);
    atomic_fetch_add(&t->build_sum_us, (unsigned long)(seconds * 1e6));
    atomic_fetch_add(&t->builds, 1);
    if (failed)
        atomic_fetch_add(&t->build_failures, 1);
}

void tiles_metrics_text(struct tiles_state *t, char **buf, size_t *len)
{
    struct textbuf x = {0};
    struct tile_cache_stats s = {0};
    if (t->cache)
        tile_cache_get_stats(t->cache, &s);
    textbuf_printf(&x,
                "# HELP polis_tile_cache_hits_total Tiles served from the cache.\n"
                "# TYPE polis_tile_cache_hits_total counter\n"
                "polis_tile_cache_hits_total %lu\n"
                "# HELP polis_tile_cache_misses_total Tile lookups that missed the cache.\n"
                "# TYPE polis_tile_cache_misses_total counter\n"
                "polis_tile_cache_misses_total %lu\n"
                "# HELP polis_tile_cache_evictions_total Tiles evicted to stay within the bound.\n"
                "# TYPE polis_tile_cache_evictions_total counter\n"
                "polis_tile_cache_evictions_total %lu\n"
                "# HELP polis_tile_cache_bytes Bytes held by the tile cache.\n"
                "# TYPE polis_tile_cache_bytes gauge\n"
                "polis_tile_cache_bytes %zu\n"
                "# HELP polis_tile_cache_max_bytes The tile cache's bound (POLIS_TILE_CACHE_MB).\n"
                "# TYPE polis_tile_cache_max_bytes gauge\n"
                "polis_tile_cache_max_bytes %zu\n"
                "# HELP polis_tile_cache_entries Tiles held by the tile cache.\n"
                "# TYPE polis_tile_cache_entries gauge\n"
                "polis_tile_cache_entries %zu\n"
                "# HELP polis_tile_cache_usable 1 while layer invalidation (LISTEN) is up.\n"
                "# TYPE polis_tile_cache_usable gauge\n"
                "polis_tile_cache_usable %d\n"
                "# HELP polis_tile_invalidations_total Layer version bumps seen.\n"
                "# TYPE polis_tile_invalidations_total counter\n"
                "polis_tile_invalidations_total %lu\n"
                "# HELP polis_tile_coalesced_total Tile requests that waited for a build "
                "already running.\n"
                "# TYPE polis_tile_coalesced_total counter\n"
                "polis_tile_coalesced_total %lu\n"
                "# HELP polis_tile_build_failures_total Tile builds the database failed.\n"
                "# TYPE polis_tile_build_failures_total counter\n"
                "polis_tile_build_failures_total %lu\n"
                "# HELP polis_tile_plain_copies_total Cached tiles that kept their "
                "uncompressed bytes beside the gzip ones (asked by a client without gzip).\n"
                "# TYPE polis_tile_plain_copies_total counter\n"
                "polis_tile_plain_copies_total %lu\n"
                "# HELP polis_tile_build_seconds Time to build a tile in PostGIS and compress it.\n"
                "# TYPE polis_tile_build_seconds histogram\n",
                s.hits, s.misses, s.evictions, s.bytes, s.max_bytes, s.entries,
                tiles_cache_usable(t), atomic_load(&t->invalidations),
                atomic_load(&t->coalesced), atomic_load(&t->build_failures),
                atomic_load(&t->plain_copies));
    unsigned long cumulative = 0;
    for (int b = 0; b <= TILES_BUILD_BUCKETS; b++) {
        cumulative += atomic_load(&t->build_hist[b]);
        if (b < TILES_BUILD_BUCKETS)
            textbuf_printf(&x, "polis_tile_build_seconds_bucket{le=\"%g\"} %lu\n",
                        tiles_build_bounds[b], cumulative);
        else
            textbuf_printf(&x, "polis_tile_build_seconds_bucket{le=\"+Inf\"} %lu\n", cumulative);
    }
    textbuf_printf(&x, "polis_tile_build_seconds_sum %.6f\npolis_tile_build_seconds_count %lu\n",
                atomic_load(&t->build_sum_us) / 1e6, atomic_load(&t->builds));
    *buf = x.buf;
    *len = x.len;
}
