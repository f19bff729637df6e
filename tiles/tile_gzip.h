/* gzip for tiles: the cache stores tiles compressed (most clients accept
 * gzip, and a compressed tile is a fraction of the memory); a client that
 * does not accept gzip gets the bytes inflated again. zlib, no I/O. */
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

/* FNV-1a 64 of the bytes: a tile's ETag. */
uint64_t tile_hash(const unsigned char *p, size_t len);

#endif
