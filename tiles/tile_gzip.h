/* gzip for tiles: the cache stores tiles compressed (most clients accept
 * gzip, and a compressed tile is a fraction of the memory); the first
 * client that does not accept gzip makes the cache keep the tile's
 * uncompressed bytes too. zlib, no I/O. */
#ifndef POLIS_TILE_GZIP_H
#define POLIS_TILE_GZIP_H

#include "tiles/tile_cache.h"

#include <stddef.h>
#include <stdint.h>

/* A new blob holding mvt gzip-compressed (or as it is, when gzip does not
 * make it smaller), with raw_len and hash set; an empty mvt gives an empty
 * blob. NULL when out of memory. */
struct tile_blob *tile_gzip_blob(const unsigned char *mvt, size_t len);

/* Copies the MVT of b (inflated when gzipped) into out (room for b->raw_len bytes). Returns 0, or -1 when
 * the bytes are not a gzip stream of exactly raw_len bytes. */
int tile_gunzip(const struct tile_blob *b, unsigned char *out);

/* A new blob holding both codings of gzipped b: its gzip bytes and, after
 * them, the MVT inflated (->plain), for a cache that serves clients without
 * gzip from then on without inflating on every hit. NULL when b is not
 * gzipped, already has them, does not inflate, or memory runs out. */
struct tile_blob *tile_blob_with_plain(const struct tile_blob *b);

/* FNV-1a 64 of the bytes: a tile's ETag. */
uint64_t tile_hash(const unsigned char *p, size_t len);

#endif
