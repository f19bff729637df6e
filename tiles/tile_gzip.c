#include "tiles/tile_gzip.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

uint64_t tile_hash(const unsigned char *p, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

/* windowBits 15 + 16 asks zlib for the gzip wrapper (Content-Encoding: gzip
 * is gzip, not zlib). Level 1: a tile is built on a cache miss while a
 * client waits, and on these tiles level 1 takes about a quarter of the time
 * of zlib's default (6) for about 6% more bytes (scripts/bench tiles). The
 * stream goes to a scratch buffer first so the blob is exactly as large as
 * the bytes the cache accounts for. A tile gzip does not shrink (a few dozen
 * bytes) is kept as it is. */
struct tile_blob *tile_gzip_blob(const unsigned char *mvt, size_t len)
{
    if (len == 0) {
        struct tile_blob *b = tile_blob_new(0);
        if (b)
            b->hash = tile_hash(mvt, 0);
        return b;
    }
    z_stream zs = {0};
    if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t bound = deflateBound(&zs, (uLong)len);
    unsigned char *tmp = malloc(bound);
    if (!tmp) {
        deflateEnd(&zs);
        return NULL;
    }
    zs.next_in = (Bytef *)mvt;
    zs.avail_in = (uInt)len;
    zs.next_out = tmp;
    zs.avail_out = (uInt)bound;
    int rc = deflate(&zs, Z_FINISH);
    size_t out = zs.total_out;
    deflateEnd(&zs);
    int shrank = rc == Z_STREAM_END && out < len;
    struct tile_blob *b = tile_blob_new(shrank ? out : len);
    if (b) {
        memcpy(b->data, shrank ? tmp : mvt, shrank ? out : len);
        b->gzipped = shrank;
        b->raw_len = len;
        b->hash = tile_hash(mvt, len);
    }
    free(tmp);
    return b;
}

struct tile_blob *tile_blob_with_plain(const struct tile_blob *b)
{
    if (!b->gzipped || b->plain)
        return NULL;
    struct tile_blob *n = tile_blob_new(b->len + b->raw_len);
    if (!n)
        return NULL;
    n->len = b->len;
    n->gzipped = 1;
    n->raw_len = b->raw_len;
    n->hash = b->hash;
    memcpy(n->data, b->data, b->len);
    if (tile_gunzip(b, n->data + b->len) ||
        (b->truncated && !(n->truncated = strdup(b->truncated)))) {
        tile_blob_release(n);
        return NULL;
    }
    n->plain = n->data + b->len;
    return n;
}

int tile_gunzip(const struct tile_blob *b, unsigned char *out)
{
    if (!b->gzipped) {
        if (b->len != b->raw_len)
            return -1;
        memcpy(out, b->data, b->len);
        return 0;
    }
    z_stream zs = {0};
    if (inflateInit2(&zs, 15 + 16) != Z_OK)
        return -1;
    zs.next_in = (Bytef *)b->data;
    zs.avail_in = (uInt)b->len;
    zs.next_out = out;
    zs.avail_out = (uInt)b->raw_len;
    int rc = inflate(&zs, Z_FINISH);
    size_t got = zs.total_out;
    inflateEnd(&zs);
    return rc == Z_STREAM_END && got == b->raw_len ? 0 : -1;
}
