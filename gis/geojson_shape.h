/* Shape checks of the GeoJSON geometries clients send (RFC 7946, lon/lat),
 * before PostGIS sees them: the type, positions of two or three finite
 * numbers with lon in [-180, 180] and lat in [-90, 90], closed rings of at
 * least 4 positions, and size limits. Whether a polygon is valid (no
 * self-intersection) is PostGIS's ST_IsValid, in the statement that
 * stores it. No HTTP: a handler turns the answer into a field error. */
#ifndef POLIS_GEOJSON_SHAPE_H
#define POLIS_GEOJSON_SHAPE_H

#include <jansson.h>

#define GEOJSON_POINT 1u
#define GEOJSON_POLYGON 2u
#define GEOJSON_MULTIPOLYGON 4u

#define GEOJSON_MAX_RINGS 20        /* per polygon */
#define GEOJSON_MAX_POSITIONS 2000  /* in the whole geometry */

/* NULL when g is a geometry of one of the allowed types (GEOJSON_* bits)
 * within the limits; otherwise what was expected, e.g. "closed rings (the
 * last position equal to the first)". A static string. */
const char *geojson_shape_problem(const json_t *g, unsigned allowed);

#endif
