/* Layer importer, the source side: the source's fields mapped to typed
 * columns, and its features sent to an open COPY. */
#include "gis/layer_copy.h"
#include "gis/copy_line.h"
#include "gis/sql_ident.h"

#include "common/log_to.h"
#include "common/textbuf.h"

#include <cpl_error.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLUMNS 1000

/* The SQL type a source field is stored as. */
static const char *sql_type(OGRFieldDefnH fd)
{
    switch (OGR_Fld_GetType(fd)) {
    case OFTInteger:
        return OGR_Fld_GetSubType(fd) == OFSTBoolean ? "boolean" : "integer";
    case OFTInteger64:
        return OGR_Fld_GetSubType(fd) == OFSTBoolean ? "boolean" : "bigint";
    case OFTReal:
        return "double precision";
    case OFTDate:
        return "date";
    case OFTDateTime:
        return "timestamptz";
    default:
        return "text"; /* strings, times, lists, binary (as OGR writes them) */
    }
}

/* Maps the source's fields to unique safe columns (fid and geom are ours). */
int layer_map_columns(ogr_reader *r, struct layer_column **out, int *ncols, char *err,
                      size_t errlen)
{
    OGRFeatureDefnH defn = ogr_reader_defn(r);
    int n = OGR_FD_GetFieldCount(defn);
    if (n > MAX_COLUMNS) {
        snprintf(err, errlen, "%s, layer %s: %d fields; at most %d are supported",
                 ogr_reader_path(r), ogr_reader_layer_name(r), n, MAX_COLUMNS);
        return -1;
    }
    struct layer_column *c = calloc((size_t)(n ? n : 1), sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        char base[56];
        sql_ident_from_text(OGR_Fld_GetNameRef(fd), base, sizeof base);
        snprintf(c[i].name, sizeof c[i].name, "%s", base);
        for (int k = 2;; k++) {
            int clash = !strcmp(c[i].name, "fid") || !strcmp(c[i].name, "geom");
            for (int j = 0; j < i && !clash; j++)
                clash = !strcmp(c[j].name, c[i].name);
            if (!clash)
                break;
            snprintf(c[i].name, sizeof c[i].name, "%.52s_%d", base, k % 100000);
        }
        c[i].type = sql_type(fd);
        c[i].field = i;
    }
    *out = c;
    *ncols = n;
    return 0;
}

/* GDAL read errors (a truncated or corrupt file) are caught per feature:
 * the handler keeps the last failure's message. */
struct gdal_errors {
    int failed;
    char msg[256];
};

static void CPL_STDCALL on_gdal_error(CPLErr e, CPLErrorNum num, const char *msg)
{
    struct gdal_errors *ge = CPLGetErrorHandlerUserData();
    if (ge && e >= CE_Failure && !ge->failed) {
        ge->failed = 1;
        snprintf(ge->msg, sizeof ge->msg, "%s", msg ? msg : "read error");
    }
}

/* Text of one field for COPY, into tmp (or pointing into the feature).
 * Returns 0 (value in *out, NULL for SQL NULL) or -1 (err set). */
static int field_text(ogr_reader *r, OGRFeatureH f, const struct layer_column *c, char *tmp,
                      size_t tmplen, const char **out, char *err, size_t errlen)
{
    *out = NULL;
    int i = c->field;
    if (!OGR_F_IsFieldSetAndNotNull(f, i))
        return 0;
    const char *t = c->type;
    if (!strcmp(t, "integer") || !strcmp(t, "bigint")) {
        snprintf(tmp, tmplen, "%lld", (long long)OGR_F_GetFieldAsInteger64(f, i));
    } else if (!strcmp(t, "boolean")) {
        snprintf(tmp, tmplen, "%s", OGR_F_GetFieldAsInteger64(f, i) ? "t" : "f");
    } else if (!strcmp(t, "double precision")) {
        snprintf(tmp, tmplen, "%.17g", OGR_F_GetFieldAsDouble(f, i));
    } else if (!strcmp(t, "date") || !strcmp(t, "timestamptz")) {
        int y, mo, d, h, mi, tz;
        float sec;
        if (!OGR_F_GetFieldAsDateTimeEx(f, i, &y, &mo, &d, &h, &mi, &sec, &tz) || y <= 0 ||
            mo < 1 || d < 1)
            return 0;
        if (!strcmp(t, "date")) {
            snprintf(tmp, tmplen, "%04d-%02d-%02d", y, mo, d);
        } else {
            /* tz: 100 is UTC, 100 + n is n quarter hours east; unknown or
             * local time (0, 1) is taken as UTC */
            int off = tz >= 100 ? (tz - 100) * 15 : 0;
            int a = off < 0 ? -off : off;
            snprintf(tmp, tmplen, "%04d-%02d-%02d %02d:%02d:%06.3f%c%02d:%02d", y, mo, d, h, mi,
                     (double)sec, off < 0 ? '-' : '+', a / 60, a % 60);
        }
    } else {
        return ogr_reader_string(r, f, i, out, err, errlen) < 0 ? -1 : 0;
    }
    *out = tmp;
    return 0;
}

/* Puts g into the shape the table stores: 2D, no curves, multi when the
 * layer declares polygons or lines (Shapefiles mix Polygon and
 * MultiPolygon under one "Polygon" type). Returns the geometry to write
 * (owned by f) or NULL for an empty one. */
static OGRGeometryH normalise(OGRFeatureH f, OGRwkbGeometryType layer_type)
{
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (!g || OGR_G_IsEmpty(g))
        return NULL;
    if (OGR_G_HasCurveGeometry(g, 0)) {
        OGR_F_SetGeometryDirectly(f, OGR_G_GetLinearGeometry(g, 0, NULL));
        g = OGR_F_GetGeometryRef(f);
    }
    OGR_G_FlattenTo2D(g);
    OGR_G_SetMeasured(g, 0);
    OGRwkbGeometryType lt = wkbFlatten(layer_type), gt = wkbFlatten(OGR_G_GetGeometryType(g));
    if ((lt == wkbPolygon || lt == wkbMultiPolygon) && gt == wkbPolygon) {
        OGR_F_SetGeometryDirectly(f, OGR_G_ForceToMultiPolygon(OGR_F_StealGeometry(f)));
    } else if ((lt == wkbLineString || lt == wkbMultiLineString) && gt == wkbLineString) {
        OGR_F_SetGeometryDirectly(f, OGR_G_ForceToMultiLineString(OGR_F_StealGeometry(f)));
    }
    return OGR_F_GetGeometryRef(f);
}

/* Sends the features to the open COPY (fid = fid_base + index + 1).
 * Returns 0, or -1 on a fatal error (err set): unreadable feature (a
 * truncated file), text not UTF-8 (a wrong encoding), COPY failure. */
int layer_copy_features(PGconn *db, ogr_reader *r, const struct layer_import_options *o,
                         const struct layer_column *cols, int ncols, long long fid_base,
                         struct layer_import_summary *s, char *err, size_t errlen)
{
    long long total = ogr_reader_feature_count(r);
    int every = o->progress_every > 0 ? o->progress_every : 1000;
    OGRwkbGeometryType ltype = OGR_FD_GetGeomType(ogr_reader_defn(r));
    struct textbuf b = {0}; /* one COPY line: its size comes from the file */
    struct gdal_errors ge = {0};
    int rc = 0;
    char msg[1024], tmp[64];
    CPLPushErrorHandlerEx(on_gdal_error, &ge);
    for (;;) {
        OGRFeatureH f;
        ge.failed = 0;
        int got = ogr_reader_next(r, &f, msg, sizeof msg);
        if (ge.failed) {
            snprintf(err, errlen, "%s, layer %s, feature %lld: the file cannot be read (truncated "
                     "or corrupt?): %s", ogr_reader_path(r), ogr_reader_layer_name(r),
                     ogr_reader_index(r), ge.msg);
            if (f)
                OGR_F_Destroy(f);
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        s->read++;
        if (s->read % every == 0) {
            log_to(o->log, "import: %lld/%lld features\n", s->read, total);
            if (o->progress && o->progress(o->progress_arg, s, total)) {
                snprintf(err, errlen, "%s, layer %s: import cancelled after %lld features",
                         ogr_reader_path(r), ogr_reader_layer_name(r), s->read);
                if (f)
                    OGR_F_Destroy(f);
                rc = -1;
                break;
            }
        }
        if (got < 0) {
            s->rejected++, s->rej_transform++;
            log_to(o->log, "import: rejected: %s\n", msg);
            continue;
        }
        b.len = 0;
        snprintf(tmp, sizeof tmp, "%lld", fid_base + ogr_reader_index(r) + 1);
        copy_line_field(&b, tmp, 0);
        for (int i = 0; i < ncols && rc == 0; i++) {
            const char *v;
            char vt[96];
            if (field_text(r, f, &cols[i], vt, sizeof vt, &v, err, errlen) < 0)
                rc = -1;
            else
                copy_line_field(&b, v, 0);
        }
        if (rc == 0) {
            OGRGeometryH g = normalise(f, ltype);
            if (g)
                copy_line_ewkb_hex(&b, g), textbuf_append(&b, "\n", 1);
            else
                copy_line_field(&b, NULL, 1);
        }
        OGR_F_Destroy(f);
        if (rc)
            break;
        if (b.failed) {
            snprintf(err, errlen, "out of memory at feature %lld", ogr_reader_index(r));
            rc = -1;
            break;
        }
        if (PQputCopyData(db, b.buf, (int)b.len) != 1) {
            snprintf(err, errlen, "COPY failed at feature %lld: %s", ogr_reader_index(r),
                     PQerrorMessage(db));
            rc = -1;
            break;
        }
    }
    CPLPopErrorHandler();
    free(b.buf);
    if (rc == 0 && s->read % every != 0 && s->read >= every)
        log_to(o->log, "import: %lld/%lld features\n", s->read, total);
    return rc;
}
