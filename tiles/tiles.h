/* The tile service's process-wide state (one per polis process, shared by
 * the worker threads, hung off struct polis_ctx): the layers' generated SQL,
 * the tile cache, each layer's version as this process knows it, the LISTEN
 * connection that keeps those versions current, and the tile metrics.
 *
 * Versions: a local counter per layer, bumped on every NOTIFY of that layer
 * and on a reconnect that finds layer_versions changed. A cache key holds
 * the counter, so a bump makes the old tiles unreachable at once. While the
 * LISTEN connection is down nothing is read from or written to the cache:
 * a write could go unnoticed. */
#ifndef POLIS_TILES_H
#define POLIS_TILES_H

#include "tiles/layers.h"
#include "tiles/tile_cache.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#define TILES_MAX_SLOTS 1024 /* layer names ever served by one process */
#define TILES_BUILD_BUCKETS 10

struct tile_registry;

/* One layer name's version, kept across registries (a layer may leave the
 * catalogue and come back). */
struct tile_slot {
    char name[64];
    atomic_ulong version;  /* local, only grows */
    long long db_version;  /* last layer_versions value seen, -1 unknown (listener thread) */
};

struct tiles_state {
    struct tile_cache *cache;               /* NULL when POLIS_TILE_CACHE_MB=0 */
    pthread_mutex_t lock;                   /* registry and nslots */
    struct tile_registry *registry;         /* the layers served now (tiles/registry.h) */
    struct tile_slot slots[TILES_MAX_SLOTS];
    int nslots;
    atomic_int listening;                   /* versions are current: the cache may be used */
    /* metrics */
    atomic_ulong build_hist[TILES_BUILD_BUCKETS + 1];
    atomic_ulong build_sum_us, builds, build_failures, coalesced, invalidations;
    atomic_ulong plain_copies; /* cached tiles given their uncompressed bytes too */
};

extern const double tiles_build_bounds[TILES_BUILD_BUCKETS];

/* The tile state with a cache of cache_mb megabytes (POLIS_TILE_CACHE_MB;
 * 0: no cache). NULL with the reason in err when out of memory. */
struct tiles_state *tiles_create(long cache_mb, char *err, size_t errlen);

/* What the process's LISTEN connection (http/layer_listener.h) reports,
 * applied to t (passed as data): a layer changed; listening again (or the
 * catalogue changed) with the stored versions and the catalogue; the
 * connection is down, so the cache must not be trusted until it is back. */
void tiles_on_layer_change(void *t, const char *layer);
void tiles_on_versions(void *t, const PGresult *versions, const PGresult *catalogue);
/* The columns of versions, the rows of layer_versions. catalogue is the
 * rows of TILE_CATALOGUE_SQL (tiles/registry.h). */
enum tile_versions_col {
    TILE_VERSIONS_LAYER,
    TILE_VERSIONS_VERSION,
};
void tiles_on_listener_down(void *t);

void tiles_destroy(struct tiles_state *t);

/* 1 when the cache may be used now. */
int tiles_cache_usable(struct tiles_state *t);

/* The version a tile of these layers is cached under: the sum of their
 * local versions (each only grows, so the sum changes with any of them). */
uint64_t tiles_version_of(struct tiles_state *t, const struct tile_registry *r, const int *layers,
                          int n);

/* The registry of the layers served now, with a reference the caller drops
 * with tile_registry_unref. */
struct tile_registry *tiles_registry(struct tiles_state *t);

/* Makes r (the caller's reference) the registry served from now on. */
void tiles_install_registry(struct tiles_state *t, struct tile_registry *r);

/* Records one tile build (seconds, and whether it failed). */
void tiles_observe_build(struct tiles_state *t, double seconds, int failed);

/* The tile metrics in Prometheus text format, malloc'd (caller frees). */
void tiles_metrics_text(struct tiles_state *t, char **buf, size_t *len);

/* Test hook and NOTIFY handler: layer changed, bump it and drop its tiles. */
void tiles_layer_changed(struct tiles_state *t, const char *layer);

#endif
