/* Tile arithmetic for the XYZ scheme (Web Mercator, EPSG:3857, y grows
 * southwards, the scheme of ST_TileEnvelope, MapLibre and OSM): parsing and
 * validating z/x/y from URL segments, the bounds of a tile, and which tile
 * holds a point. Pure functions, no I/O. */
#ifndef POLIS_TILE_MATH_H
#define POLIS_TILE_MATH_H

#include <stddef.h>

#define TILE_MAX_ZOOM 22
#define TILE_WEB_MERCATOR_HALF 20037508.342789244 /* metres from 0 to the edge */
#define TILE_MAX_LAT 85.0511287798066             /* latitude at y = 0 */

struct tile_id {
    int z;
    long x, y;
};

/* Which part of a tile URL was wrong, for the 400 answer. */
struct tile_parse_error {
    const char *part;     /* "z", "x", "y" or "extension"; NULL when all is well */
    const char *expected; /* what would have been valid */
};

/* Parses the path segments z, x and "y.ext" (ext must equal extension, e.g.
 * "mvt"). Numbers are plain base-10 digits (no sign, spaces or leading '+'),
 * z in 0..TILE_MAX_ZOOM, x and y in 0..2^z-1. Returns 0, or -1 and fills err
 * (expected points into a buffer of size exp_len, which the caller owns). */
int tile_parse(const char *z, const char *x, const char *y_ext, const char *extension,
               struct tile_id *out, struct tile_parse_error *err, char *exp_buf,
               size_t exp_len);

/* 1 when z/x/y is a tile of the scheme. */
int tile_valid(const struct tile_id *t);

/* Bounds in Web Mercator metres: minx, miny, maxx, maxy. */
void tile_bounds_3857(const struct tile_id *t, double out[4]);

/* Bounds in degrees: minlon, minlat, maxlon, maxlat. */
void tile_bounds_lonlat(const struct tile_id *t, double out[4]);

/* The tile at zoom z that holds lon/lat (clamped to the mercator range).
 * Returns -1 for a z outside 0..TILE_MAX_ZOOM or a non-finite coordinate. */
int tile_for_lonlat(int z, double lon, double lat, struct tile_id *out);

/* Web Mercator metres per tile pixel at zoom z for a tile of extent units. */
double tile_unit_metres(int z, int extent);

#endif
