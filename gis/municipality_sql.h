/* SQL on the served municipality (POLIS_MUNICIPALITY): where it is, read
 * from its boundary (table boundaries, sql/001_core.sql), so that the map
 * and the tiles open on whichever municipality this server serves. */
#ifndef POLIS_MUNICIPALITY_SQL_H
#define POLIS_MUNICIPALITY_SQL_H

/* A subquery text: the centre of the municipality whose code is $1, as
 * columns (lon, lat); no row when it is not loaded. The centre is the
 * centroid, or a point on the surface when the centroid falls outside (a
 * crescent, a coastline), so that it always lies in the municipality. Used
 * by MUNICIPALITY_GET_SQL and the TileJSON (tiles/tilejson_sql.c). */
#define MUNICIPALITY_CENTRE_SQL                                                      \
    "SELECT ST_X(c) AS lon, ST_Y(c) AS lat FROM (SELECT CASE"                        \
    " WHEN ST_Contains(geom, ST_Centroid(geom)) THEN ST_Centroid(geom)"              \
    " ELSE ST_PointOnSurface(geom) END AS c"                                         \
    " FROM boundaries WHERE level = 'municipality' AND code = $1) centre"

/* $1 municipality code. Zero or one row: {code, name_el, name_en, center:
 * [lon, lat], bbox: [minlon, minlat, maxlon, maxlat]} (degrees, 6 decimals). */
extern const char MUNICIPALITY_GET_SQL[];
enum municipality_get_col {
    MUNICIPALITY_GET_JSON, /* json text of the object above */
};

#endif
