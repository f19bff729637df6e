/* The in-memory tile cache: one per process, shared by every worker thread
 * (one mutex; a lookup is a hash probe and a list splice, so the lock is held
 * for well under a microsecond). Bounded by bytes; the least recently used
 * tile goes first. Tiles are stored gzip-compressed as refcounted blobs, so
 * a reader keeps its tile while another thread evicts it.
 *
 * A key holds the layer's version: when a write bumps the version, the old
 * entries can never be hit again; tile_cache_drop_layer frees them early. */
#ifndef POLIS_TILE_CACHE_H
#define POLIS_TILE_CACHE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define TILE_KEY_LAYERS 512 /* TILE_COMPOSITE_MAX names of up to 63 bytes, commas */

struct tile_key {
    char layers[TILE_KEY_LAYERS]; /* "boundaries" or "a,b" (registry names) */
    int z;
    long x, y;
    uint64_t version;             /* the layer's version (sum of versions of a composite) */
};

/* A tile as stored: gzip bytes (or the MVT itself when gzip would not make
 * it smaller: tiny tiles), and what an ETag and a decompression need. */
struct tile_blob {
    atomic_int refs;
    size_t len;            /* bytes in data (0 for an empty tile) */
    int gzipped;           /* data is gzip; 0: data is the MVT itself (gzip did not shrink it) */
    size_t raw_len;        /* bytes of the MVT once decompressed */
    uint64_t hash;         /* FNV-1a of the MVT bytes: the ETag */
    char *truncated;       /* the layers a feature limit cut ("layer kept of total, ..."),
                            * malloc'd, set before the blob is shared; NULL: none */
    const unsigned char *plain; /* the MVT itself, raw_len bytes after the gzip bytes in
                                 * data, once a client without gzip asked (tile_blob_with_plain);
                                 * NULL: not kept. Counted in the entry's cost. */
    unsigned char data[];
};

struct tile_cache_stats {
    unsigned long hits, misses, evictions, insertions;
    size_t bytes, entries, max_bytes;
};

struct tile_cache;

/* max_bytes 0 gives a cache that stores nothing (every lookup misses). */
struct tile_cache *tile_cache_create(size_t max_bytes);
void tile_cache_destroy(struct tile_cache *c);

/* The tile under key, with a reference the caller releases; NULL on a miss. */
struct tile_blob *tile_cache_get(struct tile_cache *c, const struct tile_key *key);

/* Stores blob under key (the cache takes its own reference), replacing an
 * entry with the same key, evicting from the LRU end until it fits. A blob
 * larger than the whole cache is not stored. */
void tile_cache_put(struct tile_cache *c, const struct tile_key *key, struct tile_blob *blob);

/* Frees every entry whose key lists layer (alone or in a composite). */
void tile_cache_drop_layer(struct tile_cache *c, const char *layer);

void tile_cache_get_stats(struct tile_cache *c, struct tile_cache_stats *out);

/* What an entry costs against the byte bound (blob and bookkeeping). */
size_t tile_cache_entry_cost(const struct tile_blob *blob);

/* A blob with room for len bytes, one reference held by the caller. */
struct tile_blob *tile_blob_new(size_t len);
struct tile_blob *tile_blob_ref(struct tile_blob *b);
void tile_blob_release(struct tile_blob *b);

#endif
