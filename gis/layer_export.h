/* `polis export NAME FILE`: one catalogued layer written out with GDAL, rows
 * streamed from a server-side cursor (a layer never has to fit in memory),
 * geometries transformed by PostGIS (PROJ) to the output CRS, text written as
 * UTF-8 (a Shapefile gets ENCODING=UTF-8 and a .cpg saying so). */
#ifndef POLIS_LAYER_EXPORT_H
#define POLIS_LAYER_EXPORT_H

#include <libpq-fe.h>
#include <stdio.h>

struct layer_export_options {
    const char *name;    /* layer in layer_catalogue */
    const char *path;    /* output file */
    const char *format;  /* GDAL driver: GPKG, "ESRI Shapefile", GeoJSON, CSV, KML,
                            FlatGeobuf; NULL: from the file's extension */
    int epsg;            /* output CRS; 0: 4326 */
    int has_bbox;
    double bbox[4];      /* minlon, minlat, maxlon, maxlat */
    int overwrite;       /* replace an existing output file */
    int progress_every;  /* 0: 10000 */
    FILE *log;
};

struct layer_export_summary {
    long long written;
    char format[32];
    double seconds;
};

/* Returns 0, or -1 with err naming the layer, the file and the feature. */
int layer_export(PGconn *db, const struct layer_export_options *o, struct layer_export_summary *s,
                 char *err, size_t errlen);

/* The GDAL driver for a format name or, when format is NULL, for the
 * extension of path; NULL when it is not one export supports. */
const char *layer_export_driver(const char *format, const char *path);

#endif
