/* One catalogued layer written out with GDAL (`polis export NAME FILE`, and
 * GET /api/v1/layers/{name}/download on an offload thread), rows streamed from
 * a server-side cursor (a layer never has to fit in memory), optionally cut by
 * a bbox and a CQL2 filter,
 * geometries transformed by PostGIS (PROJ) to the output CRS, text written as
 * UTF-8 (a Shapefile gets ENCODING=UTF-8 and a .cpg saying so). CSV has X and Y
 * columns for a point layer, a WKT column otherwise; DXF keeps geometries only
 * (the format has no attribute table). */
#ifndef POLIS_LAYER_EXPORT_H
#define POLIS_LAYER_EXPORT_H

#include <libpq-fe.h>
#include <stdatomic.h>
#include <stdio.h>

struct layer_export_options {
    const char *name;    /* layer in layer_catalogue */
    const char *path;    /* output file */
    const char *format;  /* GDAL driver: GPKG, "ESRI Shapefile" (a path ending in .shp.zip
                            is written as one zip), GeoJSON, CSV, KML, FlatGeobuf, DXF;
                            NULL: from the file's extension */
    int epsg;            /* output CRS; 0: 4326 */
    int has_bbox;
    double bbox[4];      /* xmin, ymin, xmax, ymax in bbox_srid (lon/lat order for 4326) */
    int bbox_srid;       /* CRS of bbox; 0: 4326 */
    /* An extra condition on the rows (a translated CQL2 filter, gis/cql2.h) over the
     * layer as alias t, with its parameters numbered from
     * LAYER_EXPORT_FIRST_PARAM(has_bbox); NULL: none. */
    const char *where;
    const char *const *where_params;
    int where_nparams;
    atomic_int *stop;    /* when not NULL and set (from another thread): stop between
                            batches and fail with "stopped" */
    int overwrite;       /* replace an existing output file */
    int progress_every;  /* 0: 10000 */
    FILE *log;
};

/* The first $n of o->where: the bbox takes $1..$4 when there is one. */
#define LAYER_EXPORT_FIRST_PARAM(has_bbox) ((has_bbox) ? 5 : 1)

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
