/* Reading a vector source of an accepted format, one feature at a time, with the
 * geometry already in EPSG:4326 (lon/lat). This is the shared front half of
 * every importer (boundaries now, `polis import FILE` later):
 *
 *   refuse what is not a local file (/vsicurl/ and the other /vsi paths but
 *      /vsimem/, connection strings such as PG: or WFS:, URLs)
 *   -> refuse a zip or gzip container that inflates past the limit
 *      (gis/archive_guard.h: counted on the bytes really inflated)
 *   -> open path (a .zip is read through /vsizip/, finding the layer file in it)
 *      with the accepted GDAL drivers only (OGR_READER_ACCEPTED); a file of
 *      another format (a VRT, a WFS description, ...) is named and refused
 *      without being opened; GDAL never fetches what a file references
 *      (its HTTP requests are refused, GML schemas and xlinks not resolved)
 *   -> pick the layer (by name, or the only/first one)
 *   -> text encoding: as the source declares it (.cpg), or an override
 *   -> CRS: the layer's, or an override; refuse when neither is known
 *   -> features one by one, geometry transformed with PROJ.
 *
 * Every error message names the file, the layer and (for features) the
 * feature's index and FID. */
#ifndef POLIS_OGR_READER_H
#define POLIS_OGR_READER_H

#include <ogr_api.h>
#include <stddef.h>

struct ogr_reader_options {
    const char *layer;    /* NULL: the only layer, or the first of several */
    const char *encoding; /* NULL: as declared; else CP1253, ISO-8859-7 or UTF-8 (Shapefile only) */
    const char *srs;      /* NULL: the layer's CRS; else e.g. "EPSG:2100" (wins over the file's) */
    /* a CSV's coordinate columns (both or neither; gis/csv_geometry.h):
     * NULL: found by their usual names */
    const char *x_column, *y_column;
    /* open the source only to list its layers (ogr_reader_layer_count and
     * ogr_reader_layer_name_at); no layer is chosen, nothing else may be read */
    int layers_only;
    /* a zip container (.zip, .kmz, .xlsx, .ods, or any file that is a zip)
     * or gzip file that inflates to more than this many bytes is refused
     * before GDAL reads it (a zip bomb); 0: 2 GiB */
    long long max_unzipped_bytes;
};

typedef struct ogr_reader ogr_reader;

/* The formats an import accepts, for messages. */
#define OGR_READER_ACCEPTED                                                                  \
    "GeoJSON, GeoJSONSeq, GeoPackage, Shapefile (zipped with its .shx, .dbf and .prj), KML, " \
    "KMZ, CSV, GML, DXF, FlatGeobuf, MapInfo, GPX, ODS or XLSX"

/* 1 when the file at path (label: its name for messages) is of a format an
 * import refuses (identified by GDAL, never opened), with err saying what
 * it is and what is accepted; 0 when it is accepted or of no known format
 * (opening it then says so). */
int ogr_source_refused(const char *path, const char *label, char *err, size_t errlen);
/* The same for len bytes in memory that a client uploaded as file_name.
 * Zip and gzip containers answer 0: what they hold is checked when the
 * import opens them. */
int ogr_buffer_refused(const char *file_name, const void *data, size_t len, char *err,
                       size_t errlen);

/* Opens path and prepares the layer. Returns NULL with the reason in err. */
ogr_reader *ogr_reader_open(const char *path, const struct ogr_reader_options *opts, char *err,
                            size_t errlen);
void ogr_reader_close(ogr_reader *r);

const char *ogr_reader_path(const ogr_reader *r);       /* as given by the caller */
const char *ogr_reader_layer_name(const ogr_reader *r);
const char *ogr_reader_driver(const ogr_reader *r);     /* GDAL short name, e.g. "ESRI Shapefile" */
/* "file.zip:layer": the file's base name and the layer, for a `source` column */
const char *ogr_reader_source_label(const ogr_reader *r);
int ogr_reader_layer_count(const ogr_reader *r);        /* layers in the source */
const char *ogr_reader_layer_name_at(const ogr_reader *r, int i); /* 0 <= i < layer count */
/* The layer's fields and geometry type (owned by the reader). */
OGRFeatureDefnH ogr_reader_defn(const ogr_reader *r);
long long ogr_reader_feature_count(const ogr_reader *r); /* -1 when the driver cannot tell cheaply */
/* The CRS the features were read in, e.g. "EPSG:2100" or the CRS's name. */
const char *ogr_reader_srs_label(const ogr_reader *r);

/* Index of a field by name, or -1 (err then lists the fields there are). */
int ogr_reader_field_index(const ogr_reader *r, const char *name, char *err, size_t errlen);

/* Reads the next feature. Returns 1 with *out set (the caller frees it with
 * OGR_F_Destroy; its geometry, if any, is in EPSG:4326 lon/lat), 0 at the
 * end, or -1 when this feature is unusable (its geometry cannot be
 * transformed): *out is NULL, err names file, layer and feature, and the
 * next call goes on with the following feature. */
int ogr_reader_next(ogr_reader *r, OGRFeatureH *out, char *err, size_t errlen);

/* 0-based position of the feature last returned (or rejected) by
 * ogr_reader_next, in reading order; the FID may differ. */
long long ogr_reader_index(const ogr_reader *r);

/* A field's text, checked to be UTF-8. Returns 1 with *out pointing into the
 * feature (valid until it is destroyed), 0 when the field is unset or NULL
 * (*out = NULL), or -1 when the bytes are not UTF-8 (a wrong or undeclared
 * encoding), with err naming file, layer, feature and field. */
int ogr_reader_string(const ogr_reader *r, OGRFeatureH f, int field, const char **out, char *err,
                      size_t errlen);

/* Writes "size:mtime" of the file at path (a local path or any GDAL /vsi
 * path) into out: enough to tell "the same file again" without reading it.
 * Returns 0, or -1 with the reason in err. */
int ogr_source_fingerprint(const char *path, char *out, size_t outlen, char *err, size_t errlen);

#endif
