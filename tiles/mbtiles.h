/* An MBTiles 1.3 file of vector tiles (SQLite): the metadata table (name,
 * format pbf, bounds, center, minzoom, maxzoom, json with vector_layers)
 * and the tiles table, rows in the TMS scheme (tile_row counted from the
 * south: 2^z - 1 - y) holding the MVT gzip-compressed, as the
 * specification asks and GDAL, MapLibre tools and tile servers expect.
 * Written by `polis tiles seed --out`. */
#ifndef POLIS_MBTILES_H
#define POLIS_MBTILES_H

#include <stddef.h>

struct mbtiles;

/* Creates path (replacing a file there) with the schema, in one open
 * transaction. NULL with err set. */
struct mbtiles *mbtiles_create(const char *path, char *err, size_t errlen);

/* One metadata row. 0, or -1 with err set. */
int mbtiles_metadata(struct mbtiles *m, const char *name, const char *value, char *err,
                     size_t errlen);

/* Stores the MVT of XYZ tile z/x/y (gzipped here). 0, or -1 with err set. */
int mbtiles_put(struct mbtiles *m, int z, long x, long y, const unsigned char *mvt, size_t len,
                size_t *stored_len, char *err, size_t errlen);

/* Commits and closes (commit 0: discards the file's contents). 0, or -1. */
int mbtiles_close(struct mbtiles *m, int commit, char *err, size_t errlen);

/* gzip of p (a complete gzip stream), malloc'd, length in *out_len; NULL
 * when out of memory. */
unsigned char *mbtiles_gzip(const unsigned char *p, size_t len, size_t *out_len);

#endif
