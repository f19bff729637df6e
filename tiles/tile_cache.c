#include "tiles/tile_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    struct tile_key key;
    uint64_t hash;
    struct tile_blob *blob;
    struct entry *chain;             /* next in the hash bucket */
    struct entry *newer, *older;     /* LRU list */
};

struct tile_cache {
    pthread_mutex_t lock;
    size_t max_bytes, bytes, entries;
    struct entry **buckets;
    size_t nbuckets;                 /* a power of two */
    struct entry *newest, *oldest;
    unsigned long hits, misses, evictions, insertions;
};

/* ---- blobs ---- */

struct tile_blob *tile_blob_new(size_t len)
{
    struct tile_blob *b = malloc(sizeof *b + len);
    if (!b)
        return NULL;
    atomic_init(&b->refs, 1);
    b->len = len;
    b->gzipped = 0;
    b->raw_len = 0;
    b->hash = 0;
    b->truncated = NULL;
    b->plain = NULL;
    return b;
}

struct tile_blob *tile_blob_ref(struct tile_blob *b)
{
    atomic_fetch_add(&b->refs, 1);
    return b;
}

void tile_blob_release(struct tile_blob *b)
{
    if (b && atomic_fetch_sub(&b->refs, 1) == 1) {
        free(b->truncated);
        free(b);
    }
}

size_t tile_cache_entry_cost(const struct tile_blob *blob)
{
    return sizeof(struct tile_blob) + blob->len + (blob->plain ? blob->raw_len : 0) +
           sizeof(struct entry) + (blob->truncated ? strlen(blob->truncated) + 1 : 0);
}

/* ---- keys ---- */

static uint64_t key_hash(const struct tile_key *k)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = k->layers; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    uint64_t parts[4] = {(uint64_t)k->z, (uint64_t)k->x, (uint64_t)k->y, k->version};
    for (int i = 0; i < 4; i++)
        h = (h ^ parts[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static int key_equal(const struct tile_key *a, const struct tile_key *b)
{
    return a->z == b->z && a->x == b->x && a->y == b->y && a->version == b->version &&
           strcmp(a->layers, b->layers) == 0;
}

/* ---- the table and the LRU list (lock held) ---- */

static void lru_unlink(struct tile_cache *c, struct entry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        c->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        c->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void lru_push_newest(struct tile_cache *c, struct entry *e)
{
    e->older = c->newest;
    e->newer = NULL;
    if (c->newest)
        c->newest->newer = e;
    c->newest = e;
    if (!c->oldest)
        c->oldest = e;
}

static struct entry **bucket_slot(struct tile_cache *c, const struct tile_key *k, uint64_t h)
{
    struct entry **slot = &c->buckets[h & (c->nbuckets - 1)];
    while (*slot && !((*slot)->hash == h && key_equal(&(*slot)->key, k)))
        slot = &(*slot)->chain;
    return slot;
}

static void entry_remove(struct tile_cache *c, struct entry *e)
{
    struct entry **slot = bucket_slot(c, &e->key, e->hash);
    *slot = e->chain;
    lru_unlink(c, e);
    c->bytes -= tile_cache_entry_cost(e->blob);
    c->entries--;
    tile_blob_release(e->blob);
    free(e);
}

/* Doubles the bucket array once entries outnumber buckets, so chains stay
 * short; a failed allocation just keeps the old (longer) chains. */
static void maybe_grow(struct tile_cache *c)
{
    if (c->entries < c->nbuckets)
        return;
    size_t n = c->nbuckets * 2;
    struct entry **nb = calloc(n, sizeof *nb);
    if (!nb)
        return;
    for (size_t i = 0; i < c->nbuckets; i++) {
        struct entry *e = c->buckets[i];
        while (e) {
            struct entry *next = e->chain;
            e->chain = nb[e->hash & (n - 1)];
            nb[e->hash & (n - 1)] = e;
            e = next;
        }
    }
    free(c->buckets);
    c->buckets = nb;
    c->nbuckets = n;
}

/* ---- API ---- */

struct tile_cache *tile_cache_create(size_t max_bytes)
{
    struct tile_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->nbuckets = 256;
    c->buckets = calloc(c->nbuckets, sizeof *c->buckets);
    if (!c->buckets) {
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->lock, NULL);
    c->max_bytes = max_bytes;
    return c;
}

void tile_cache_destroy(struct tile_cache *c)
{
    if (!c)
        return;
    while (c->oldest)
        entry_remove(c, c->oldest);
    free(c->buckets);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

struct tile_blob *tile_cache_get(struct tile_cache *c, const struct tile_key *key)
{
    uint64_t h = key_hash(key);
    struct tile_blob *b = NULL;
    pthread_mutex_lock(&c->lock);
    struct entry *e = *bucket_slot(c, key, h);
    if (e) {
        lru_unlink(c, e);
        lru_push_newest(c, e);
        b = tile_blob_ref(e->blob);
        c->hits++;
    } else {
        c->misses++;
    }
    pthread_mutex_unlock(&c->lock);
    return b;
}

void tile_cache_put(struct tile_cache *c, const struct tile_key *key, struct tile_blob *blob)
{
    size_t cost = tile_cache_entry_cost(blob);
    if (cost > c->max_bytes)
        return;
    struct entry *e = calloc(1, sizeof *e);
    if (!e)
        return;
    e->key = *key;
    e->hash = key_hash(key);
    e->blob = tile_blob_ref(blob);
    pthread_mutex_lock(&c->lock);
    struct entry *old = *bucket_slot(c, key, e->hash);
    if (old)
        entry_remove(c, old);
    while (c->oldest && c->bytes + cost > c->max_bytes) {
        entry_remove(c, c->oldest);
        c->evictions++;
    }
    struct entry **slot = &c->buckets[e->hash & (c->nbuckets - 1)];
    e->chain = *slot;
    *slot = e;
    lru_push_newest(c, e);
    c->bytes += cost;
    c->entries++;
    c->insertions++;
    maybe_grow(c);
    pthread_mutex_unlock(&c->lock);
}

/* 1 when the comma-separated list names layer. */
static int lists_layer(const char *list, const char *layer)
{
    size_t n = strlen(layer);
    for (const char *p = list; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (strncmp(p, layer, n) == 0 && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
}

void tile_cache_drop_layer(struct tile_cache *c, const char *layer)
{
    pthread_mutex_lock(&c->lock);
    struct entry *e = c->oldest;
    while (e) {
        struct entry *next = e->newer;
        if (lists_layer(e->key.layers, layer))
            entry_remove(c, e);
        e = next;
    }
    pthread_mutex_unlock(&c->lock);
}

void tile_cache_get_stats(struct tile_cache *c, struct tile_cache_stats *out)
{
    pthread_mutex_lock(&c->lock);
    out->hits = c->hits;
    out->misses = c->misses;
    out->evictions = c->evictions;
    out->insertions = c->insertions;
    out->bytes = c->bytes;
    out->entries = c->entries;
    out->max_bytes = c->max_bytes;
    pthread_mutex_unlock(&c->lock);
}
