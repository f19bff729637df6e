/* Coordinate transformation to the storage CRS (EPSG:4326, lon/lat order)
 * with PROJ directly. A transformer belongs to one thread (it owns its own
 * PJ_CONTEXT), so importers on different threads never share state. */
#ifndef POLIS_CRS_H
#define POLIS_CRS_H

#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stddef.h>

typedef struct crs_transformer crs_transformer;

/* From a user string PROJ understands ("EPSG:2100", WKT, a PROJ string) to
 * EPSG:4326 lon/lat. Returns NULL with the reason in err. */
crs_transformer *crs_transformer_from_string(const char *src, char *err, size_t errlen);

/* From an OGR spatial reference (a layer's SRS). The source axis order is
 * the GIS order GDAL gives vector data (x = easting/longitude). Returns NULL
 * with the reason in err. */
crs_transformer *crs_transformer_from_ogr(OGRSpatialReferenceH srs, char *err, size_t errlen);

void crs_transformer_free(crs_transformer *t);

/* 1 when the source already is lon/lat WGS 84, so transforming is a no-op. */
int crs_transformer_is_identity(const crs_transformer *t);

/* Transforms one point in place. Returns 0, or -1 when PROJ cannot (the
 * point is outside the CRS's domain), with the reason in err. */
int crs_transform_point(crs_transformer *t, double *x, double *y, char *err, size_t errlen);

/* Transforms every vertex of a geometry in place, walking collections,
 * polygons' rings and curves. Z values are transformed along when present.
 * Returns 0, or -1 with the reason in err (the geometry is then partly
 * transformed and should be dropped). */
int crs_transform_geometry(crs_transformer *t, OGRGeometryH g, char *err, size_t errlen);

#endif
