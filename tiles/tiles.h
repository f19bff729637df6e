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

#include <h2o.h>
#include <stdatomic.h>
#include <stdint.h>

#define TILES_MAX_LAYERS 32
#define TILES_BUILD_BUCKETS 10

struct layer_listener;

struct tiles_state {
    struct tile_cache *cache;               /* NULL when POLIS_TILE_CACHE_MB=0 */
    char *mvt_sql[TILES_MAX_LAYERS];        /* per registry layer */
    atomic_ulong version[TILES_MAX_LAYERS]; /* local, only grows */
    long long db_version[TILES_MAX_LAYERS]; /* last layer_versions value seen, -1 unknown */
    atomic_int listening;                   /* versions are current: the cache may be used */
    struct layer_listener *listener;
    const char *conninfo;
    /* metrics */
    atomic_ulong build_hist[TILES_BUILD_BUCKETS + 1];
    atomic_ulong build_sum_us, builds, build_failures, coalesced, invalidations;
};

extern const double tiles_build_bounds[TILES_BUILD_BUCKETS];

/* Reads POLIS_TILE_CACHE_MB (default 64, 0 disables the cache) and builds
 * the layers' SQL. NULL with the reason in err on a bad setting. */
struct tiles_state *tiles_create(const char *conninfo, char *err, size_t errlen);

/* Starts the LISTEN connection on loop (call once per process). */
int tiles_start_listener(struct tiles_state *t, h2o_loop_t *loop);

void tiles_destroy(struct tiles_state *t);

/* 1 when the cache may be used now. */
int tiles_cache_usable(struct tiles_state *t);

/* The version a tile of these layers is cached under: the sum of their
 * local versions (each only grows, so the sum changes with any of them). */
uint64_t tiles_version_of(struct tiles_state *t, const int *layers, int n);

/* Records one tile build (seconds, and whether it failed). */
void tiles_observe_build(struct tiles_state *t, double seconds, int failed);

/* The tile metrics in Prometheus text format, malloc'd (caller frees). */
void tiles_metrics_text(struct tiles_state *t, char **buf, size_t *len);

/* Test hook and NOTIFY handler: layer changed, bump it and drop its tiles. */
void tiles_layer_changed(struct tiles_state *t, const char *layer);

#endif
