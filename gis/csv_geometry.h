/* Where a CSV (or a spreadsheet read as one) keeps its geometry, for the
 * reader (gis/ogr_reader.c): GDAL's CSV driver finds it only in the columns
 * its open options name, and keeps those columns as text unless told not to.
 *
 *   coordinate columns: x/y, lon/lat, long/lat, lng/lat, longitude/latitude,
 *     easting/northing, east/north (any case), or the two columns --x/--y
 *     name; a WKT column: WKT, geometry, geom, the_geom, wkt_geom.
 *   The columns used for the geometry are not kept as attributes.
 *
 * A CSV carries no CRS. When none is given, coordinates that all lie within
 * longitude/latitude ranges are read as EPSG:4326, and the summary says it
 * was assumed; anything else must be given with --srs. */
#ifndef POLIS_CSV_GEOMETRY_H
#define POLIS_CSV_GEOMETRY_H

#include <gdal.h>
#include <stddef.h>

/* GDAL's CSV open options for a reader; x_column/y_column: the columns
 * --x/--y named, or NULL for the usual names. Names longer than the room
 * here are refused by the caller (CSV_COLUMN_MAX). */
#define CSV_COLUMN_MAX 200
struct csv_open_options {
    char x[CSV_COLUMN_MAX + 32], y[CSV_COLUMN_MAX + 32];
    const char *list[5]; /* for GDALOpenEx, NULL-terminated */
};
void csv_geometry_open_options(struct csv_open_options *o, const char *x_column,
                               const char *y_column);

/* 1 when every feature's coordinates of layer lie within -180..180 and
 * -90..90 (and there is at least one), i.e. the CRS may be taken as
 * EPSG:4326; 0 otherwise; -1 when no feature has coordinates. The extent it saw goes to extent_text for a
 * message ("x from .. to .., y from .. to .."). */
int csv_geometry_looks_geographic(OGRLayerH layer, char *extent_text, size_t len);

#endif
