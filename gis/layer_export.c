/* Layer exporter: catalogue -> cursor over layers.NAME -> GDAL dataset. */
#include "gis/layer_export.h"

#include "common/stopwatch.h"
#include "gis/db.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <jansson.h>
#include <pthread.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FETCH_ROWS 1000

static const struct {
    const char *name, *ext;
} formats[] = {
    {"GPKG", ".gpkg"},    {"ESRI Shapefile", ".shp"}, {"GeoJSON", ".geojson"},
    {"GeoJSON", ".json"}, {"CSV", ".csv"},            {"KML", ".kml"},
    {"FlatGeobuf", ".fgb"}, {"DXF", ".dxf"},
};

const char *layer_export_driver(const char *format, const char *path)
{
    size_t n = sizeof formats / sizeof formats[0];
    for (size_t i = 0; i < n; i++) {
        if (format && !strcasecmp(format, formats[i].name))
            return formats[i].name;
        if (format && (!strcasecmp(format, "Shapefile") || !strcasecmp(format, "SHP")))
            return "ESRI Shapefile";
        size_t pl = strlen(path), el = strlen(formats[i].ext);
        if (!format && pl > el && !strcasecmp(path + pl - el, formats[i].ext))
            return formats[i].name;
    }
    return NULL;
}

/* OGR geometry type of a catalogue geometry_type ('MULTIPOLYGON', ...). */
static OGRwkbGeometryType geom_type(const char *t)
{
    static const struct {
        const char *n;
        OGRwkbGeometryType t;
    } m[] = {{"POINT", wkbPoint},           {"MULTIPOINT", wkbMultiPoint},
             {"LINESTRING", wkbLineString}, {"MULTILINESTRING", wkbMultiLineString},
             {"POLYGON", wkbPolygon},       {"MULTIPOLYGON", wkbMultiPolygon}};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (!strcmp(t, m[i].n))
            return m[i].t;
    return wkbUnknown;
}

static OGRFieldType field_type(const char *t, OGRFieldSubType *sub)
{
    *sub = OFSTNone;
    if (!strcmp(t, "integer"))
        return OFTInteger;
    if (!strcmp(t, "bigint"))
        return OFTInteger64;
    if (!strcmp(t, "double precision"))
        return OFTReal;
    if (!strcmp(t, "date"))
        return OFTDate;
    if (!strcmp(t, "timestamptz"))
        return OFTDateTime;
    if (!strcmp(t, "boolean")) {
        *sub = OFSTBoolean;
        return OFTInteger;
    }
    return OFTString;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The cursor's columns: fid, the geometry, then one text column per
 * attribute of the catalogue, in its order. */
enum export_col {
    EXPORT_FID,
    EXPORT_WKB_HEX, /* WKB in the output CRS, hex; NULL when none */
    EXPORT_ATTRS,   /* the first attribute */
};

/* With a bbox: $1..$4 its corners in o->bbox_srid, in the order of o->bbox; the
 * filter's parameters follow (LAYER_EXPORT_FIRST_PARAM). */
enum export_param {
    EXPORT_P_XMIN,
    EXPORT_P_YMIN,
    EXPORT_P_XMAX,
    EXPORT_P_YMAX,
    EXPORT_BBOX_NPARAMS
};

/* Builds "SELECT fid, geometry hex, col::text ... FROM layers.NAME ..." from
 * the catalogue's attribute names, each quoted with PQescapeIdentifier. */
static char *select_sql(PGconn *db, const struct layer_export_options *o, json_t *attrs, int epsg)
{
    const char *name = o->name;
    size_t cap = 1024 + json_array_size(attrs) * 140 + (o->where ? strlen(o->where) : 0), n = 0;
    char *sql = malloc(cap);
    char *qn = PQescapeIdentifier(db, name, strlen(name));
    if (!sql || !qn) {
        free(sql);
        PQfreemem(qn);
        return NULL;
    }
    n += (size_t)snprintf(sql, cap, "DECLARE polis_export NO SCROLL CURSOR FOR SELECT fid, "
                          "encode(ST_AsBinary(ST_Transform(geom, %d)), 'hex')", epsg);
    size_t i;
    json_t *a;
    json_array_foreach(attrs, i, a) {
        const char *col = json_string_value(json_object_get(a, "name"));
        char *qc = col ? PQescapeIdentifier(db, col, strlen(col)) : NULL;
        if (!qc) {
            free(sql);
            PQfreemem(qn);
            return NULL;
        }
        n += (size_t)snprintf(sql + n, cap - n, ", %s::text", qc);
        PQfreemem(qc);
    }
    int bsrid = o->bbox_srid ? o->bbox_srid : 4326;
    char env[160];
    if (bsrid == 4326)
        snprintf(env, sizeof env, "ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326)");
    else
        snprintf(env, sizeof env, "ST_Transform(ST_MakeEnvelope($1::float8, $2::float8, $3::float8,"
                 " $4::float8, %d), 4326)", bsrid);
    n += (size_t)snprintf(sql + n, cap - n, " FROM layers.%s AS t WHERE true", qn);
    if (o->has_bbox)
        n += (size_t)snprintf(sql + n, cap - n, " AND geom && %s AND ST_Intersects(geom, %s)", env,
                              env);
    if (o->where)
        n += (size_t)snprintf(sql + n, cap - n, " AND (%s)", o->where);
    snprintf(sql + n, cap - n, " ORDER BY fid");
    PQfreemem(qn);
    return sql;
}

/* Writes the rows of one FETCH into the layer. Returns 0 or -1 (err set). */
static int write_rows(PGresult *res, OGRLayerH lyr, OGRSpatialReferenceH srs, int nattr,
                      const struct layer_export_options *o, struct layer_export_summary *s,
                      char *err, size_t errlen)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    for (int r = 0; r < PQntuples(res); r++) {
        OGRFeatureH f = OGR_F_Create(defn);
        OGR_F_SetFID(f, atoll(PQgetvalue(res, r, EXPORT_FID)));
        if (!PQgetisnull(res, r, EXPORT_WKB_HEX)) {
            const char *hx = PQgetvalue(res, r, EXPORT_WKB_HEX);
            size_t len = (size_t)PQgetlength(res, r, EXPORT_WKB_HEX) / 2;
            unsigned char *wkb = malloc(len ? len : 1);
            if (!wkb) {
                OGR_F_Destroy(f);
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            for (size_t k = 0; k < len; k++)
                wkb[k] = (unsigned char)(hexval(hx[2 * k]) << 4 | hexval(hx[2 * k + 1]));
            OGRGeometryH g = NULL;
            if (OGR_G_CreateFromWkb(wkb, srs, &g, (int)len) == OGRERR_NONE)
                OGR_F_SetGeometryDirectly(f, g);
            free(wkb);
        }
        for (int c = 0; c < nattr; c++) {
            if (PQgetisnull(res, r, EXPORT_ATTRS + c))
                continue;
            const char *v = PQgetvalue(res, r, EXPORT_ATTRS + c);
            OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, c);
            if (OGR_Fld_GetSubType(fd) == OFSTBoolean)
                OGR_F_SetFieldInteger(f, c, v[0] == 't');
            else
                OGR_F_SetFieldString(f, c, v);
        }
        CPLErrorReset();
        if (OGR_L_CreateFeature(lyr, f) != OGRERR_NONE) {
            snprintf(err, errlen, "layer %s, feature fid %s: %s cannot write it: %s", o->name,
                     PQgetvalue(res, r, EXPORT_FID), o->path, CPLGetLastErrorMsg());
            OGR_F_Destroy(f);
            return -1;
        }
        OGR_F_Destroy(f);
        s->written++;
        int every = o->progress_every > 0 ? o->progress_every : 10000;
        if (o->log && s->written % every == 0)
            fprintf(o->log, "export: %lld features\n", s->written);
    }
    return 0;
}

/* Creates the output and streams the cursor into it; inside a transaction. */
static int export_in_tx(PGconn *db, const struct layer_export_options *o, json_t *attrs,
                        const char *gtype, const char *drvname, struct layer_export_summary *s,
                        char *err, size_t errlen)
{
    int epsg = o->epsg ? o->epsg : 4326;
    char *sql = select_sql(db, o, attrs, epsg);
    if (!sql) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* the bbox's corners, then the filter's values: sized by what the caller gives */
    int nb = o->has_bbox ? EXPORT_BBOX_NPARAMS : 0, np = nb + (o->where ? o->where_nparams : 0);
    char b[EXPORT_BBOX_NPARAMS][32];
    const char **bp = calloc((size_t)np + 1, sizeof *bp);
    if (!bp) {
        free(sql);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int i = 0; i < nb; i++) /* o->bbox is W, S, E, N */
        snprintf(b[i], sizeof b[i], "%.17g", o->bbox[i]), bp[i] = b[i];
    for (int i = nb; i < np; i++)
        bp[i] = o->where_params[i - nb];
    char e2[768];
    int rc = db_exec(db, sql, np, np ? bp : NULL, e2, sizeof e2);
    free(sql);
    free(bp);
    if (rc < 0) {
        snprintf(err, errlen, "layer %s: cannot read it: %s", o->name, e2);
        return -1;
    }

    GDALDriverH drv = GDALGetDriverByName(drvname);
    if (!drv) {
        snprintf(err, errlen, "GDAL has no %s driver", drvname);
        return -1;
    }
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH ds = GDALCreate(drv, o->path, 0, 0, 0, GDT_Unknown, NULL);
    CPLPopErrorHandler();
    if (!ds) {
        snprintf(err, errlen, "%s: cannot create it as %s: %s", o->path, drvname,
                 CPLGetLastErrorMsg());
        return -1;
    }
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(srs, epsg);
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    char **lco = NULL;
    if (!strcmp(drvname, "ESRI Shapefile"))
        lco = CSLSetNameValue(lco, "ENCODING", "UTF-8");
    else if (!strcmp(drvname, "CSV"))
        lco = CSLSetNameValue(lco, "GEOMETRY", geom_type(gtype) == wkbPoint ? "AS_XY" : "AS_WKT");
    else if (!strcmp(drvname, "GeoJSON") && epsg == 4326)
        lco = CSLSetNameValue(lco, "RFC7946", "YES");
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, o->name, srs, geom_type(gtype), lco);
    CSLDestroy(lco);
    rc = 0;
    if (!lyr) {
        snprintf(err, errlen, "%s: cannot create layer %s: %s", o->path, o->name,
                 CPLGetLastErrorMsg());
        rc = -1;
    }
    size_t i;
    json_t *a;
    /* DXF has no attribute table: its entities keep their geometry only */
    int nattr = strcmp(drvname, "DXF") ? (int)json_array_size(attrs) : 0;
    json_array_foreach(attrs, i, a) {
        if (rc || (int)i >= nattr)
            break;
        OGRFieldSubType sub;
        const char *src = json_string_value(json_object_get(a, "source_name"));
        const char *col = json_string_value(json_object_get(a, "name"));
        OGRFieldDefnH fd = OGR_Fld_Create(src && *src ? src : col,
                                          field_type(json_string_value(json_object_get(a, "type")) ?: "text", &sub));
        OGR_Fld_SetSubType(fd, sub);
        if (OGR_L_CreateField(lyr, fd, 1) != OGRERR_NONE) {
            snprintf(err, errlen, "%s: cannot create field %s: %s", o->path, col,
                     CPLGetLastErrorMsg());
            rc = -1;
        }
        OGR_Fld_Destroy(fd);
    }
    int in_tx = rc == 0 && !strcmp(drvname, "GPKG");
    if (in_tx)
        in_tx = OGR_L_StartTransaction(lyr) == OGRERR_NONE; /* one SQLite transaction, not one per row */
    while (rc == 0) {
        if (o->stop && atomic_load(o->stop)) {
            snprintf(err, errlen, "layer %s: stopped", o->name);
            rc = -1;
            break;
        }
        PGresult *res = PQexec(db, "FETCH " "1000" " FROM polis_export");
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            db_result_error(res, e2, sizeof e2);
            snprintf(err, errlen, "layer %s: reading failed: %s", o->name, e2);
            rc = -1;
        } else if (PQntuples(res) == 0) {
            PQclear(res);
            break;
        } else {
            rc = write_rows(res, lyr, srs, nattr, o, s, err, errlen);
        }
        PQclear(res);
    }
    if (in_tx && rc == 0 && OGR_L_CommitTransaction(lyr) != OGRERR_NONE) {
        snprintf(err, errlen, "%s: cannot commit: %s", o->path, CPLGetLastErrorMsg());
        rc = -1;
    }
    OSRDestroySpatialReference(srs);
    GDALClose(ds);
    if (rc < 0)
        GDALDeleteDataset(drv, o->path);
    return rc;
}

int layer_export(PGconn *db, const struct layer_export_options *o, struct layer_export_summary *s,
                 char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    struct timespec t0 = stopwatch_start();
    static pthread_once_t registered = PTHREAD_ONCE_INIT; /* downloads run on several threads */
    pthread_once(&registered, GDALAllRegister);
    const char *drvname = layer_export_driver(o->format, o->path);
    if (!drvname) {
        snprintf(err, errlen, "%s: unknown format %s%s%s (expected GPKG, \"ESRI Shapefile\", "
                 "GeoJSON, CSV, KML, FlatGeobuf or DXF, or a file name ending in .gpkg, .shp, "
                 ".geojson, .csv, .kml, .fgb or .dxf)", o->path, o->format ? "\"" : "",
                 o->format ? o->format : "(from the extension)", o->format ? "\"" : "");
        return -1;
    }
    snprintf(s->format, sizeof s->format, "%s", drvname);
    VSIStatBufL st;
    if (VSIStatL(o->path, &st) == 0) {
        if (!o->overwrite) {
            snprintf(err, errlen, "%s exists already (pass --overwrite to replace it)", o->path);
            return -1;
        }
        GDALDriverH d = GDALGetDriverByName(drvname);
        if (!d || GDALDeleteDataset(d, o->path) != CE_None)
            VSIUnlink(o->path);
    }
    const char *p[] = {o->name};
    enum catalogue_col { CATALOGUE_ATTRIBUTES, CATALOGUE_GEOMETRY_TYPE };
    PGresult *res = PQexecParams(db, "SELECT attributes::text, geometry_type FROM layer_catalogue"
                                     " WHERE name = $1", 1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) == 0) {
        if (PQresultStatus(res) == PGRES_TUPLES_OK)
            snprintf(err, errlen, "no layer \"%s\" in the catalogue (polis import lists what "
                     "exists in GET /api/v1/layers)", o->name);
        else
            db_result_error(res, err, errlen);
        PQclear(res);
        return -1;
    }
    json_t *attrs = json_loads(PQgetvalue(res, 0, CATALOGUE_ATTRIBUTES), 0, NULL);
    char gtype[64];
    snprintf(gtype, sizeof gtype, "%s", PQgetvalue(res, 0, CATALOGUE_GEOMETRY_TYPE));
    PQclear(res);
    if (!json_is_array(attrs)) {
        json_decref(attrs);
        snprintf(err, errlen, "layer %s: its catalogue row has no attribute list", o->name);
        return -1;
    }
    char e2[512];
    int rc = -1;
    if (db_exec(db, "BEGIN READ ONLY; SET LOCAL TimeZone = 'UTC'", 0, NULL, e2, sizeof e2) < 0)
        snprintf(err, errlen, "cannot begin a transaction: %s", e2);
    else
        rc = export_in_tx(db, o, attrs, gtype, drvname, s, err, errlen);
    db_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", 0, NULL, e2, sizeof e2);
    json_decref(attrs);
    s->seconds = stopwatch_seconds(&t0);
    return rc;
}
