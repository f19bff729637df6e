/* GDAL/OGR source reader: open, layer, encoding, CRS, transformed features. */
#include "gis/ogr_reader.h"

#include "gis/archive_guard.h"
#include "gis/crs.h"
#include "gis/csv_geometry.h"
#include "gis/translit.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_http.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <ctype.h>
#include <gdal.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct ogr_reader {
    char *path;         /* as the caller gave it */
    char *label;        /* basename:layer */
    char srs_label[128];
    GDALDatasetH ds;
    OGRLayerH layer;
    crs_transformer *crs;
    long long index;    /* of the feature last read; -1 before the first */
};

/* The file's base name, without directories (a pointer into path). */
static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* Maps the accepted spellings of an encoding to the name GDAL's Shapefile
 * driver takes, or NULL when it is not one we accept. */
static const char *canonical_encoding(const char *e)
{
    static const char *const alias[][2] = {
        {"CP1253", "CP1253"},         {"WINDOWS-1253", "CP1253"}, {"WIN1253", "CP1253"},
        {"ISO-8859-7", "ISO-8859-7"}, {"ISO8859-7", "ISO-8859-7"}, {"GREEK", "ISO-8859-7"},
        {"UTF-8", "UTF-8"},           {"UTF8", "UTF-8"},
    };
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (!strcasecmp(e, alias[i][0]))
            return alias[i][1];
    return NULL;
}

/* Files that hold a layer, as opposed to side-car files (.dbf, .prj, ...). */
static int is_layer_file(const char *name)
{
    static const char *const ext[] = {".shp", ".geojson", ".json", ".geojsonl", ".geojsons",
                                      ".gpkg", ".kml", ".gml", ".fgb", ".tab", ".mif", ".csv",
                                      ".gpx", ".dxf"};
    if (strstr(name, "__MACOSX") || base_name(name)[0] == '.')
        return 0;
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (ends_with(name, ext[i]))
            return 1;
    return 0;
}

/* ---- what may be opened ---- */

/* The vector formats an import opens (GDAL short names): formats that hold
 * their features themselves. Every other driver is refused, above all those
 * that read other files or reach the network (OGR_VRT, WFS, OAPIF,
 * PostgreSQL, ...). */
static const char *const accepted_drivers[] = {
    "GeoJSON", "GeoJSONSeq", "GPKG", "ESRI Shapefile", "KML", "LIBKML", "CSV", "GML", "DXF",
    "FlatGeobuf", "MapInfo File", "GPX", "ODS", "XLSX", NULL};

static int driver_accepted(GDALDriverH d)
{
    const char *name = GDALGetDriverShortName(d);
    for (int i = 0; accepted_drivers[i]; i++)
        if (!strcmp(name, accepted_drivers[i]))
            return 1;
    return 0;
}

/* Every HTTP request GDAL would make (CPLHTTPFetch: a GML's remote schema,
 * xlink:href resolution, WFS, OAPIF, ...) ends here, unsent. */
static CPLHTTPResult *refuse_http(const char *url, CSLConstList options, GDALProgressFunc progress,
                                  void *progress_arg, CPLHTTPFetchWriteFunc write, void *write_arg,
                                  void *user_data)
{
    (void)options, (void)progress, (void)progress_arg, (void)write, (void)write_arg,
        (void)user_data;
    CPLHTTPResult *r = CPLCalloc(1, sizeof *r);
    r->nStatus = 1;
    r->pszErrBuf = CPLStrdup(CPLSPrintf("polis: network access refused (%.200s)", url));
    return r;
}

/* Once per process: GDAL's drivers, and GDAL told never to fetch what a
 * file references. The driver allow-list keeps VRT and WFS out; these keep
 * the accepted formats from reaching out too. */
static void harden_gdal(void)
{
    GDALAllRegister();
    CPLHTTPSetFetchCallback(refuse_http, NULL);
    /* /vsicurl/ and its kin (/vsis3/, /vsigs/, ...) open no file but this one */
    CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_FILENAME", "/polis/imports/read/no/remote/file");
    CPLSetConfigOption("GML_DOWNLOAD_WFS_SCHEMA", "NO"); /* a WFS answer's DescribeFeatureType */
    CPLSetConfigOption("GML_SKIP_RESOLVE_ELEMS", "ALL"); /* xlink:href to other documents */
    CPLSetConfigOption("LIBKML_RESOLVE_STYLE", "NO");    /* styleUrl on other servers */
    CPLSetConfigOption("ALLOW_VIRTUAL_OGR_FROM_TRIGGER_AND_VIEW", "NO"); /* GPKG views */
}

static void gdal_ready(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, harden_gdal);
}

/* A path the caller may hand to GDAL: a local file. GDAL's virtual file
 * systems (/vsicurl/, /vsis3/, /vsistdin/, /vsisubfile/, ...) and
 * connection strings or URLs (PG:, WFS:, OAPIF:, http:, ...) are refused;
 * /vsimem/ (this process's memory) is allowed. Returns 0, or -1 with err. */
static int path_allowed(const char *path, char *err, size_t errlen)
{
    if (!strncmp(path, "/vsi", 4) && strncmp(path, "/vsimem/", 8)) {
        snprintf(err, errlen, "%s: GDAL virtual file systems (/vsicurl/, /vsizip/, /vsis3/, ...) "
                 "are not accepted; give a local file (a .zip is read as a zip by itself)", path);
        return -1;
    }
    size_t n = 0;
    while (isalnum((unsigned char)path[n]) || path[n] == '_' || path[n] == '-' || path[n] == '+' ||
           path[n] == '.')
        n++;
    if (n > 0 && path[n] == ':' && isalpha((unsigned char)path[0])) {
        snprintf(err, errlen, "%s: connection strings and URLs (%.*s:) are not accepted, only "
                 "local files (write ./%s for a file of that name)", path, (int)n, path, path);
        return -1;
    }
    return 0;
}

int ogr_source_refused(const char *path, const char *label, char *err, size_t errlen)
{
    gdal_ready();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDriverH d = GDALIdentifyDriverEx(path, GDAL_OF_VECTOR, NULL, NULL);
    CPLPopErrorHandler();
    CPLErrorReset();
    if (!d || driver_accepted(d))
        return 0;
    snprintf(err, errlen, "%s is in the format \"%s\" (GDAL driver %s), which is not accepted "
             "for import: formats that read other files or reach the network are refused. "
             "Accepted: %s", label, GDALGetDriverLongName(d), GDALGetDriverShortName(d),
             OGR_READER_ACCEPTED);
    return 1;
}

int ogr_buffer_refused(const char *file_name, const void *data, size_t len, char *err,
                       size_t errlen)
{
    static atomic_uint serial;
    if (len >= 4 && ((!memcmp(data, "PK", 2)) || !memcmp(data, "\x1f\x8b", 2)))
        return 0; /* a container: what it holds is checked when it is opened */
    char name[300];
    snprintf(name, sizeof name, "/vsimem/polis-identify-%u/%s", atomic_fetch_add(&serial, 1),
             file_name);
    gdal_ready();
    VSILFILE *f = VSIFileFromMemBuffer(name, (GByte *)data, (vsi_l_offset)len, FALSE);
    if (!f)
        return 0;
    VSIFCloseL(f);
    int refused = ogr_source_refused(name, file_name, err, errlen);
    VSIUnlink(name);
    return refused;
}

/* Resolves what GDAL should open. A .zip becomes /vsizip/...; when it holds
 * exactly one layer file (at any depth) that file is opened, otherwise the
 * zip as a directory (several Shapefiles, then --layer picks). Returns a
 * CPLMalloc'd name or NULL with err set. */
static char *resolve_path(const char *path, char *err, size_t errlen)
{
    if (!ends_with(path, ".zip") || !strncmp(path, "/vsi", 4))
        return CPLStrdup(path);
    VSIStatBufL st;
    if (VSIStatL(path, &st) != 0) {
        snprintf(err, errlen, "%s: no such file", path);
        return NULL;
    }
    char *zip = CPLStrdup(CPLSPrintf("/vsizip/%s", path));
    char **list = VSIReadDirRecursive(zip);
    int found = 0;
    const char *one = NULL;
    for (char **p = list; p && *p; p++)
        if (is_layer_file(*p))
            found++, one = one ? one : *p;
    char *name = NULL;
    if (found == 0)
        snprintf(err, errlen, "%s: the zip holds no layer file (expected a .shp, .geojson, .gpkg, "
                              ".kml, ... inside it)", path);
    else if (found == 1)
        name = CPLStrdup(CPLSPrintf("%s/%s", zip, one));
    else
        name = CPLStrdup(zip);
    CSLDestroy(list);
    CPLFree(zip);
    return name;
}

void ogr_reader_close(ogr_reader *r)
{
    if (!r)
        return;
    crs_transformer_free(r->crs);
    if (r->ds)
        GDALClose(r->ds);
    free(r->path);
    free(r->label);
    free(r);
}

/* Lists the layers of a dataset into buf, for "no layer X; there are ...". */
static void layer_names(GDALDatasetH ds, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    int count = GDALDatasetGetLayerCount(ds);
    for (int i = 0; i < count && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s\"%s\"", i ? ", " : "",
                              OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
}

/* "a, b, c": the layer's attribute columns, for messages; returns the
 * length written (0: none). */
static size_t column_names(OGRFeatureDefnH defn, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int k = 0; k < OGR_FD_GetFieldCount(defn) && n < len; k++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s", k ? ", " : "",
                              OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, k)));
    return n;
}

static int is_csv(const ogr_reader *r)
{
    GDALDriverH d = GDALGetDatasetDriver(r->ds);
    return d && !strcmp(GDALGetDriverShortName(d), "CSV");
}

/* A layer without a geometry column cannot be a map layer: refused, naming
 * the columns it has and, for a CSV, the ones a geometry is read from. */
static int no_geometry(const ogr_reader *r, const struct ogr_reader_options *o, char *err,
                       size_t errlen)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(r->layer);
    if (OGR_FD_GetGeomFieldCount(defn) > 0)
        return 0;
    char cols[384];
    size_t n = column_names(defn, cols, sizeof cols);
    const char *lname = OGR_L_GetName(r->layer);
    if (o && o->x_column)
        snprintf(err, errlen, "%s, layer %s: no coordinates in the columns --x \"%s\" and --y \"%s\" "
                 "name; its columns are: %s", r->path, lname, o->x_column, o->y_column,
                 n ? cols : "(none)");
    else if (is_csv(r))
        snprintf(err, errlen, "%s, layer %s: no geometry found: expected coordinate columns "
                 "(x/y, lon/lat, longitude/latitude, easting/northing; or name them with --x "
                 "and --y) or a WKT column (WKT, geometry); its columns are: %s",
                 r->path, lname, n ? cols : "(none)");
    else
        snprintf(err, errlen, "%s, layer %s: no geometry in this layer; its columns are: %s",
                 r->path, lname, n ? cols : "(none)");
    return -1;
}

/* A CSV has no CRS: longitude/latitude ranges are taken as EPSG:4326 (and
 * the label says it was assumed), anything else needs --srs. */
static int csv_crs(ogr_reader *r, char *err, size_t errlen)
{
    char extent[160], cerr[384];
    int geographic = csv_geometry_looks_geographic(r->layer, extent, sizeof extent);
    if (geographic < 0) {
        snprintf(err, errlen, "%s, layer %s: no row has coordinates (the columns the geometry is "
                 "read from are empty or not numbers)", r->path, OGR_L_GetName(r->layer));
        return -1;
    }
    if (!geographic) {
        snprintf(err, errlen, "%s, layer %s: a CSV names no coordinate reference system and its "
                 "coordinates (%s) are not longitude/latitude; pass --srs EPSG:n (the Greek Grid "
                 "is EPSG:2100)", r->path, OGR_L_GetName(r->layer), extent);
        return -1;
    }
    snprintf(r->srs_label, sizeof r->srs_label, "EPSG:4326 (assumed: longitude/latitude)");
    r->crs = crs_transformer_from_string("EPSG:4326", cerr, sizeof cerr);
    if (!r->crs) {
        snprintf(err, errlen, "%s, layer %s: %s", r->path, OGR_L_GetName(r->layer), cerr);
        return -1;
    }
    return 0;
}

/* Picks the layer and its CRS; the dataset is open. */
static int choose_layer_and_crs(ogr_reader *r, const struct ogr_reader_options *o, char *err,
                                size_t errlen)
{
    int count = GDALDatasetGetLayerCount(r->ds);
    char names[512];
    if (count == 0) {
        snprintf(err, errlen, "%s: no vector layer in it", r->path);
        return -1;
    }
    if (o && o->layer) {
        r->layer = GDALDatasetGetLayerByName(r->ds, o->layer);
        if (!r->layer) {
            layer_names(r->ds, names, sizeof names);
            snprintf(err, errlen, "%s: no layer \"%s\"; its layers are %s", r->path, o->layer, names);
            return -1;
        }
    } else {
        r->layer = GDALDatasetGetLayer(r->ds, 0);
    }
    const char *lname = OGR_L_GetName(r->layer);
    if (no_geometry(r, o, err, errlen))
        return -1;
    size_t ll = strlen(base_name(r->path)) + strlen(lname) + 2;
    r->label = malloc(ll);
    if (!r->label) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(r->label, ll, "%s:%s", base_name(r->path), lname);

    char cerr[384];
    if (o && o->srs) {
        r->crs = crs_transformer_from_string(o->srs, cerr, sizeof cerr);
        snprintf(r->srs_label, sizeof r->srs_label, "%s", o->srs);
    } else {
        OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(r->layer);
        if (!srs && is_csv(r))
            return csv_crs(r, err, errlen);
        if (!srs) {
            snprintf(err, errlen, "%s, layer %s: the coordinate reference system is unknown (no .prj "
                     "or CRS in the file); pass --srs EPSG:n (Greek data is usually EPSG:2100)",
                     r->path, lname);
            return -1;
        }
        const char *auth = OSRGetAuthorityName(srs, NULL), *code = OSRGetAuthorityCode(srs, NULL);
        if (auth && code)
            snprintf(r->srs_label, sizeof r->srs_label, "%s:%s", auth, code);
        else
            snprintf(r->srs_label, sizeof r->srs_label, "%s", OSRGetName(srs) ? OSRGetName(srs) : "?");
        r->crs = crs_transformer_from_ogr(srs, cerr, sizeof cerr);
    }
    if (!r->crs) {
        snprintf(err, errlen, "%s, layer %s: %s", r->path, lname, cerr);
        return -1;
    }
    return 0;
}

ogr_reader *ogr_reader_open(const char *path, const struct ogr_reader_options *o, char *err,
                            size_t errlen)
{
    const char *enc = NULL;
    if (o && o->encoding && !(enc = canonical_encoding(o->encoding))) {
        snprintf(err, errlen, "unknown encoding \"%s\" (expected CP1253, ISO-8859-7 or UTF-8)",
                 o->encoding);
        return NULL;
    }
    if (path_allowed(path, err, errlen) < 0)
        return NULL;
    gdal_ready();
    long long limit = o && o->max_unzipped_bytes > 0 ? o->max_unzipped_bytes : 2LL << 30;
    if (archive_guard_check(path, base_name(path), limit, err, errlen) != 0)
        return NULL;
    ogr_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->index = -1;
    char *name = resolve_path(path, err, errlen);
    if (!name) {
        ogr_reader_close(r);
        return NULL;
    }
    /* a VRT, a WFS description, ... (also inside a zip): named, never opened */
    const char *inner =
        strncmp(name, "/vsizip/", 8) ? NULL : name + strlen("/vsizip/") + strlen(path);
    char label[512];
    snprintf(label, sizeof label, "%s%s", base_name(path), inner && *inner ? inner : "");
    if (ogr_source_refused(name, label, err, errlen)) {
        CPLFree(name);
        ogr_reader_close(r);
        return NULL;
    }
    /* GDAL's own messages are folded into ours instead of being printed */
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    GDALDriverH drv = GDALIdentifyDriverEx(name, GDAL_OF_VECTOR, accepted_drivers, NULL);
    const char *drvname = drv ? GDALGetDriverShortName(drv) : "";
    char encopt[64];
    const char *openopts[] = {encopt, NULL};
    const char *const *use_opts = NULL;
    struct csv_open_options csv;
    if (o && o->x_column && strcmp(drvname, "CSV")) {
        CPLPopErrorHandler();
        snprintf(err, errlen, "%s: --x and --y apply to CSV files only; this is %s", path,
                 drv ? drvname : "not a recognised format");
        CPLFree(name);
        ogr_reader_close(r);
        return NULL;
    }
    if (!strcmp(drvname, "CSV")) {
        csv_geometry_open_options(&csv, o ? o->x_column : NULL, o ? o->y_column : NULL);
        use_opts = csv.list;
    }
    if (enc && !strcmp(drvname, "ESRI Shapefile")) {
        snprintf(encopt, sizeof encopt, "ENCODING=%s", enc);
        use_opts = openopts;
    } else if (enc && strcmp(enc, "UTF-8") != 0 && drv) {
        CPLPopErrorHandler();
        snprintf(err, errlen, "%s: --encoding applies to Shapefile (DBF) sources only; this is %s, "
                 "whose text is read as the format defines it", path, drvname);
        CPLFree(name);
        ogr_reader_close(r);
        return NULL;
    } else if (!strcmp(drvname, "GML")) {
        /* no .gfs written next to the file */
        snprintf(encopt, sizeof encopt, "WRITE_GFS=NO");
        use_opts = openopts;
    }
    r->ds = GDALOpenEx(name, GDAL_OF_VECTOR | GDAL_OF_READONLY, accepted_drivers,
                       use_opts, NULL);
    char gdalmsg[256];
    snprintf(gdalmsg, sizeof gdalmsg, "%s", CPLGetLastErrorMsg());
    CPLPopErrorHandler();
    CPLFree(name);
    if (!r->ds) {
        VSIStatBufL st;
        if (VSIStatL(path, &st) != 0)
            snprintf(err, errlen, "%s: no such file", path);
        else
            snprintf(err, errlen, "%s: not a vector format that can be imported (accepted: %s)%s%s",
                     path, OGR_READER_ACCEPTED, gdalmsg[0] ? ": " : "", gdalmsg);
        ogr_reader_close(r);
        return NULL;
    }
    if (o && o->layers_only)
        return r;
    if (choose_layer_and_crs(r, o, err, errlen) < 0) {
        ogr_reader_close(r);
        return NULL;
    }
    OGR_L_ResetReading(r->layer);
    return r;
}

const char *ogr_reader_path(const ogr_reader *r) { return r->path; }
const char *ogr_reader_layer_name(const ogr_reader *r) { return OGR_L_GetName(r->layer); }
const char *ogr_reader_source_label(const ogr_reader *r) { return r->label; }
const char *ogr_reader_srs_label(const ogr_reader *r) { return r->srs_label; }
int ogr_reader_layer_count(const ogr_reader *r) { return GDALDatasetGetLayerCount(r->ds); }
const char *ogr_reader_layer_name_at(const ogr_reader *r, int i)
{
    return OGR_L_GetName(GDALDatasetGetLayer(r->ds, i));
}
OGRFeatureDefnH ogr_reader_defn(const ogr_reader *r) { return OGR_L_GetLayerDefn(r->layer); }
long long ogr_reader_index(const ogr_reader *r) { return r->index; }

const char *ogr_reader_driver(const ogr_reader *r)
{
    GDALDriverH d = GDALGetDatasetDriver(r->ds);
    return d ? GDALGetDriverShortName(d) : "";
}

long long ogr_reader_feature_count(const ogr_reader *r)
{
    return (long long)OGR_L_GetFeatureCount(r->layer, 0);
}

int ogr_reader_field_index(const ogr_reader *r, const char *name, char *err, size_t errlen)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(r->layer);
    int i = OGR_FD_GetFieldIndex(defn, name);
    if (i >= 0)
        return i;
    char list[512];
    size_t n = column_names(defn, list, sizeof list);
    snprintf(err, errlen, "%s, layer %s: no field \"%s\"; its fields are: %s", r->path,
             OGR_L_GetName(r->layer), name, n ? list : "(none)");
    return -1;
}

int ogr_reader_next(ogr_reader *r, OGRFeatureH *out, char *err, size_t errlen)
{
    *out = NULL;
    OGRFeatureH f = OGR_L_GetNextFeature(r->layer);
    if (!f)
        return 0;
    r->index++;
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    char cerr[256];
    if (g && crs_transform_geometry(r->crs, g, cerr, sizeof cerr) < 0) {
        snprintf(err, errlen, "%s, layer %s, feature %lld (FID %lld): %s", r->path,
                 OGR_L_GetName(r->layer), r->index, (long long)OGR_F_GetFID(f), cerr);
        OGR_F_Destroy(f);
        return -1;
    }
    *out = f;
    return 1;
}

int ogr_reader_string(const ogr_reader *r, OGRFeatureH f, int field, const char **out, char *err,
                      size_t errlen)
{
    *out = NULL;
    if (field < 0 || !OGR_F_IsFieldSetAndNotNull(f, field))
        return 0;
    const char *s = OGR_F_GetFieldAsString(f, field);
    if (!utf8_valid(s)) {
        OGRFieldDefnH fd = OGR_F_GetFieldDefnRef(f, field);
        snprintf(err, errlen, "%s, layer %s, feature %lld (FID %lld): field %s is not valid UTF-8; "
                 "the file's encoding is wrong or not declared (no .cpg?): pass --encoding CP1253 "
                 "(or ISO-8859-7)", r->path, OGR_L_GetName(r->layer), r->index,
                 (long long)OGR_F_GetFID(f), OGR_Fld_GetNameRef(fd));
        return -1;
    }
    *out = s;
    return 1;
}

int ogr_source_fingerprint(const char *path, char *out, size_t outlen, char *err, size_t errlen)
{
    VSIStatBufL st;
    if (VSIStatL(path, &st) != 0) {
        snprintf(err, errlen, "%s: no such file", path);
        return -1;
    }
    snprintf(out, outlen, "%lld:%lld", (long long)st.st_size, (long long)st.st_mtime);
    return 0;
}
