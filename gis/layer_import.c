/* Layer importer: ogr_reader -> typed table in schema layers -> catalogue. */
#include "common/log_to.h"
#include "gis/layer_import.h"
#include "gis/sql_ident.h"

#include "gis/db.h"
#include "gis/translit.h"

#include <cpl_error.h>
#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_COLUMNS 1000

struct column {
    char name[64];     /* safe, unique SQL name */
    const char *type;  /* SQL type */
    int field;         /* index in the source layer */
};

/* A growable byte buffer for one COPY line. */
struct buf {
    char *p;
    size_t len, cap;
    int oom;
};

static void buf_put(struct buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

/* A COPY text-format field followed by tab (or newline when last): NULL as
 * \N, and backslash, tab, newline and CR escaped. */
static void buf_field(struct buf *b, const char *s, int last)
{
    if (!s) {
        buf_put(b, "\\N", 2);
    } else {
        for (; *s; s++) {
            char c = *s;
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                char e[2] = {'\\', c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\'};
                buf_put(b, e, 2);
            } else {
                buf_put(b, &c, 1);
            }
        }
    }
    buf_put(b, last ? "\n" : "\t", 1);
}

/* Geometry as hex EWKB with SRID 4326 (what a geometry(Geometry,4326)
 * column takes from COPY): OGR's little-endian WKB with the SRID flag and
 * the SRID put into its header. */
static void buf_ewkb_hex(struct buf *b, OGRGeometryH g)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = (size_t)OGR_G_WkbSize(g);
    unsigned char *w = malloc(n + 4);
    if (!w || n < 5) {
        free(w);
        b->oom = 1;
        return;
    }
    OGR_G_ExportToIsoWkb(g, wkbNDR, w);
    unsigned type = (unsigned)w[1] | (unsigned)w[2] << 8 | (unsigned)w[3] << 16 |
                    (unsigned)w[4] << 24;
    type |= 0x20000000u; /* has SRID */
    unsigned char head[9] = {1,
                             (unsigned char)type, (unsigned char)(type >> 8),
                             (unsigned char)(type >> 16), (unsigned char)(type >> 24),
                             4326 & 0xff, 4326 >> 8, 0, 0};
    char pair[2];
    for (size_t i = 0; i < 9 + n - 5; i++) {
        unsigned char c = i < 9 ? head[i] : w[i - 9 + 5];
        pair[0] = hex[c >> 4];
        pair[1] = hex[c & 15];
        buf_put(b, pair, 2);
    }
    free(w);
}

int layer_name_valid(const char *name)
{
    return sql_ident_ok(name) && strcmp(name, "boundaries");
}

void layer_safe_name(const char *in, char *out, size_t outlen)
{
    size_t need = strlen(in) + 1;
    char *lat = malloc(need);
    if (!lat) {
        snprintf(out, outlen, "field");
        return;
    }
    translit_elot743(in, lat, need);
    size_t n = 0;
    size_t max = outlen - 1 < 63 ? outlen - 1 : 63;
    for (const char *p = lat; *p && n < max; p++) {
        unsigned char c = (unsigned char)*p;
        char d = isalnum(c) && c < 128 ? (char)tolower(c) : '_';
        if (d == '_' && (n == 0 || out[n - 1] == '_'))
            continue; /* no leading or doubled '_' */
        out[n++] = d;
    }
    while (n > 0 && out[n - 1] == '_')
        n--;
    out[n] = '\0';
    free(lat);
    if (n == 0) {
        snprintf(out, outlen, "field");
    } else if (!(out[0] >= 'a' && out[0] <= 'z')) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "f_%.60s", out);
        snprintf(out, outlen, "%s", tmp);
    }
}

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
static int map_columns(ogr_reader *r, struct column **out, int *ncols, char *err, size_t errlen)
{
    OGRFeatureDefnH defn = ogr_reader_defn(r);
    int n = OGR_FD_GetFieldCount(defn);
    if (n > MAX_COLUMNS) {
        snprintf(err, errlen, "%s, layer %s: %d fields; at most %d are supported",
                 ogr_reader_path(r), ogr_reader_layer_name(r), n, MAX_COLUMNS);
        return -1;
    }
    struct column *c = calloc((size_t)(n ? n : 1), sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        char base[56];
        layer_safe_name(OGR_Fld_GetNameRef(fd), base, sizeof base);
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
static int field_text(ogr_reader *r, OGRFeatureH f, const struct column *c, char *tmp,
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
static int copy_features(PGconn *db, ogr_reader *r, const struct layer_import_options *o,
                         const struct column *cols, int ncols, long long fid_base,
                         struct layer_import_summary *s, char *err, size_t errlen)
{
    long long total = ogr_reader_feature_count(r);
    int every = o->progress_every > 0 ? o->progress_every : 1000;
    OGRwkbGeometryType ltype = OGR_FD_GetGeomType(ogr_reader_defn(r));
    struct buf b = {0};
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
        buf_field(&b, tmp, 0);
        for (int i = 0; i < ncols && rc == 0; i++) {
            const char *v;
            char vt[96];
            if (field_text(r, f, &cols[i], vt, sizeof vt, &v, err, errlen) < 0)
                rc = -1;
            else
                buf_field(&b, v, 0);
        }
        if (rc == 0) {
            OGRGeometryH g = normalise(f, ltype);
            if (g)
                buf_ewkb_hex(&b, g), buf_put(&b, "\n", 1);
            else
                buf_field(&b, NULL, 1);
        }
        OGR_F_Destroy(f);
        if (rc)
            break;
        if (b.oom) {
            snprintf(err, errlen, "out of memory at feature %lld", ogr_reader_index(r));
            rc = -1;
            break;
        }
        if (PQputCopyData(db, b.p, (int)b.len) != 1) {
            snprintf(err, errlen, "COPY failed at feature %lld: %s", ogr_reader_index(r),
                     PQerrorMessage(db));
            rc = -1;
            break;
        }
    }
    CPLPopErrorHandler();
    free(b.p);
    if (rc == 0 && s->read % every != 0 && s->read >= every)
        log_to(o->log, "import: %lld/%lld features\n", s->read, total);
    return rc;
}

/* A quoted identifier (PQescapeIdentifier) copied into out. */
static int quote_ident(PGconn *db, const char *name, char *out, size_t outlen)
{
    char *q = PQescapeIdentifier(db, name, strlen(name));
    if (!q)
        return -1;
    int n = snprintf(out, outlen, "%s", q);
    PQfreemem(q);
    return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* Runs sql (built from quoted identifiers only) and returns its result, or
 * NULL with err set. */
static PGresult *run(PGconn *db, const char *sql, int np, const char *const *p, char *err,
                     size_t errlen, const char *what)
{
    PGresult *res = PQexecParams(db, sql, np, NULL, p, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return res;
    char e2[768];
    db_result_error(res, e2, sizeof e2);
    PQclear(res);
    snprintf(err, errlen, "%s: %s", what, e2);
    return NULL;
}

static int exec_ok(PGconn *db, const char *sql, int np, const char *const *p, char *err,
                   size_t errlen, const char *what)
{
    PGresult *res = run(db, sql, np, p, err, errlen, what);
    PQclear(res);
    return res ? 0 : -1;
}

/* Checks the source's columns against the existing table's (append mode). */
static int check_append_columns(PGconn *db, const char *name, const struct column *cols,
                                int ncols, char *err, size_t errlen)
{
    const char *p[] = {name};
    PGresult *res = run(db, "SELECT attributes::text FROM layer_catalogue WHERE name = $1", 1, p,
                        err, errlen, "reading the catalogue");
    if (!res)
        return -1;
    if (PQntuples(res) == 0) {
        snprintf(err, errlen, "layer \"%s\" does not exist; --append needs an existing layer "
                 "(import without --append first)", name);
        PQclear(res);
        return -1;
    }
    json_t *attrs = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    int rc = 0;
    for (int i = 0; i < ncols && rc == 0; i++) {
        const char *have = NULL;
        size_t k;
        json_t *a;
        json_array_foreach(attrs, k, a)
            if (!strcmp(json_string_value(json_object_get(a, "name")) ?: "", cols[i].name))
                have = json_string_value(json_object_get(a, "type"));
        if (!have || strcmp(have, cols[i].type)) {
            snprintf(err, errlen, "cannot append to layer \"%s\": column %s (%s) %s", name,
                     cols[i].name, cols[i].type,
                     have ? "has another type in the layer" : "is not in the layer");
            rc = -1;
        }
    }
    json_decref(attrs);
    return rc;
}

/* The attribute schema for the catalogue: [{name, type, source_name}]. */
static char *attributes_json(ogr_reader *r, const struct column *cols, int ncols)
{
    OGRFeatureDefnH defn = ogr_reader_defn(r);
    json_t *a = json_array();
    for (int i = 0; i < ncols; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "name", cols[i].name, "type",
                                           cols[i].type, "source_name",
                                           OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i))));
    char *text = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return text;
}

/* Repairs invalid geometries of rows with fid > base: ST_MakeValid, keeping
 * the original dimension (polygons stay polygons); rows it cannot repair are
 * deleted and reported. */
static int repair(PGconn *db, const char *qt, long long base, const struct layer_import_options *o,
                  struct layer_import_summary *s, char *err, size_t errlen)
{
    char sql[1024], sbase[32];
    snprintf(sbase, sizeof sbase, "%lld", base);
    const char *p[] = {sbase};
    snprintf(sql, sizeof sql,
             "WITH bad AS (SELECT fid, ST_IsValidReason(geom) AS why,"
             "   ST_CollectionExtract(ST_MakeValid(geom), ST_Dimension(geom) + 1) AS fixed,"
             "   GeometryType(geom) LIKE 'MULTI%%' AS multi"
             "  FROM layers.%s WHERE fid > $1::bigint AND geom IS NOT NULL AND NOT ST_IsValid(geom)),"
             " upd AS (UPDATE layers.%s t SET geom = CASE WHEN bad.multi THEN ST_Multi(bad.fixed)"
             "   ELSE bad.fixed END FROM bad WHERE t.fid = bad.fid"
             "   AND NOT coalesce(ST_IsEmpty(bad.fixed), true) RETURNING t.fid)"
             " SELECT bad.fid, bad.why, bad.fid IN (SELECT fid FROM upd) FROM bad ORDER BY bad.fid",
             qt, qt);
    PGresult *res = run(db, sql, 1, p, err, errlen, "repairing geometries");
    if (!res)
        return -1;
    int rc = 0;
    for (int i = 0; i < PQntuples(res); i++) {
        long long fid = atoll(PQgetvalue(res, i, 0));
        if (PQgetvalue(res, i, 2)[0] == 't') {
            s->repaired++;
        } else {
            s->rejected++, s->rej_unrepairable++;
            log_to(o->log, "import: rejected: %s, feature %lld: invalid geometry (%s) that ST_MakeValid "
                  "cannot repair\n", o->path, fid - base - 1, PQgetvalue(res, i, 1));
            snprintf(sql, sizeof sql, "DELETE FROM layers.%s WHERE fid = $1::bigint", qt);
            const char *d[] = {PQgetvalue(res, i, 0)};
            if (exec_ok(db, sql, 1, d, err, errlen, "dropping an unrepairable feature") < 0) {
                rc = -1;
                break;
            }
        }
    }
    PQclear(res);
    return rc;
}

/* Writes the catalogue row (and the imports record) for the finished table. */
static int catalogue(PGconn *db, ogr_reader *r, const struct layer_import_options *o,
                     const char *name, const char *qname, const struct column *cols, int ncols,
                     struct layer_import_summary *s, char *err, size_t errlen)
{
    const char *timecol = NULL;
    for (int i = 0; i < ncols && !timecol; i++)
        if (!strcmp(cols[i].type, "date") || !strcmp(cols[i].type, "timestamptz"))
            timecol = cols[i].name;
    char qtime[160] = "NULL::timestamptz";
    if (timecol && quote_ident(db, timecol, qtime, sizeof qtime) < 0)
        return -1;
    char *attrs = attributes_json(r, cols, ncols);
    char sql[4096];
    snprintf(sql, sizeof sql,
             "WITH s AS (SELECT count(*) AS n, ST_Extent(geom) AS e,"
             "   CASE WHEN count(DISTINCT GeometryType(geom)) = 1 THEN max(GeometryType(geom))"
             "   ELSE 'GEOMETRY' END AS gt, min(%s)::timestamptz AS tmin, max(%s)::timestamptz AS tmax"
             "  FROM layers.%s)"
             " INSERT INTO layer_catalogue AS c (name, title_el, title_en, source, source_srs,"
             "   visibility, feature_count, extent, attributes, geometry_type, time_column,"
             "   time_min, time_max, updated_at)"
             " SELECT $1, coalesce($2, $1), coalesce($3, $1), $4, $5, coalesce($6, 'public'),"
             "   s.n, s.e, $7::jsonb, s.gt, $8, s.tmin, s.tmax, now() FROM s"
             " ON CONFLICT (name) DO UPDATE SET title_el = coalesce($2, c.title_el),"
             "   title_en = coalesce($3, c.title_en), source = EXCLUDED.source,"
             "   source_srs = EXCLUDED.source_srs, visibility = coalesce($6, c.visibility),"
             "   feature_count = EXCLUDED.feature_count, extent = EXCLUDED.extent,"
             "   attributes = EXCLUDED.attributes, geometry_type = EXCLUDED.geometry_type,"
             "   time_column = EXCLUDED.time_column, time_min = EXCLUDED.time_min,"
             "   time_max = EXCLUDED.time_max, updated_at = now()"
             " RETURNING feature_count",
             qtime, qtime, qname);
    const char *p[] = {name, o->title_el, o->title_en, s->source, s->srs, o->visibility, attrs,
                       timecol};
    PGresult *res = run(db, sql, 8, p, err, errlen, "writing the catalogue");
    free(attrs);
    if (!res)
        return -1;
    (void)atoll(PQgetvalue(res, 0, 0));
    s->written = s->read - s->rejected;
    PQclear(res);

    char kind[96], fp[64], n[4][32];
    snprintf(kind, sizeof kind, "layer:%s", name);
    if (ogr_source_fingerprint(o->path, fp, sizeof fp, err, errlen) < 0)
        return -1;
    snprintf(n[0], sizeof n[0], "%lld", s->read);
    snprintf(n[1], sizeof n[1], "%lld", s->written);
    snprintf(n[2], sizeof n[2], "%lld", s->repaired);
    snprintf(n[3], sizeof n[3], "%lld", s->rejected);
    const char *base = strrchr(o->path, '/') ? strrchr(o->path, '/') + 1 : o->path;
    const char *rec[] = {kind, base, ogr_reader_layer_name(r), fp, s->srs, n[0], n[1], n[2], n[3]};
    return exec_ok(db,
                   "INSERT INTO imports (kind, source, layer, fingerprint, srs, features_read,"
                   " features_written, features_repaired, features_rejected)"
                   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                   9, rec, err, errlen, "recording the import");
}

/* Everything between BEGIN and COMMIT. */
static int import_in_tx(PGconn *db, ogr_reader *r, const struct layer_import_options *o,
                        const struct column *cols, int ncols, struct layer_import_summary *s,
                        char *err, size_t errlen)
{
    const char *name = s->name;
    const char *p[] = {name};
    /* one import of a layer at a time */
    if (exec_ok(db, "SELECT pg_advisory_xact_lock(hashtext('polis layer ' || $1))", 1, p, err,
                errlen, "locking the layer") < 0)
        return -1;
    PGresult *res = run(db, "SELECT to_regclass(format('layers.%I', $1::text)) IS NOT NULL", 1, p,
                        err, errlen, "looking for the layer");
    if (!res)
        return -1;
    int exists = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (exists && o->mode == LAYER_CREATE) {
        snprintf(err, errlen, "layer \"%s\" exists already: pass --replace to replace it or "
                 "--append to add to it (or --as NAME for another layer)", name);
        return -1;
    }
    if (o->mode == LAYER_APPEND && (!exists || check_append_columns(db, name, cols, ncols, err,
                                                                    errlen) < 0)) {
        if (!exists)
            snprintf(err, errlen, "layer \"%s\" does not exist; --append needs an existing layer",
                     name);
        return -1;
    }

    /* the table the rows go into: the layer itself when appending, else a new
     * one under a temporary name, renamed when complete */
    char target[64], qt[160], qname[160], sql[1024];
    long long base = 0;
    if (o->mode == LAYER_APPEND)
        snprintf(target, sizeof target, "%s", name);
    else
        snprintf(target, sizeof target, "import_%ld_%ld", (long)getpid(), (long)time(NULL));
    if (quote_ident(db, target, qt, sizeof qt) < 0 || quote_ident(db, name, qname, sizeof qname) < 0) {
        snprintf(err, errlen, "cannot quote the layer name");
        return -1;
    }
    struct {
        char *p;
    } cl;
    size_t clcap = 256 + (size_t)ncols * 200;
    cl.p = malloc(clcap);
    if (!cl.p) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t ddl_n = 0, copy_n = 0;
    char *copycols = malloc(clcap);
    if (!copycols) {
        free(cl.p);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    ddl_n += (size_t)snprintf(cl.p, clcap, "CREATE TABLE layers.%s (fid bigint PRIMARY KEY", qt);
    copy_n += (size_t)snprintf(copycols, clcap, "fid");
    for (int i = 0; i < ncols; i++) {
        char qc[160];
        quote_ident(db, cols[i].name, qc, sizeof qc);
        ddl_n += (size_t)snprintf(cl.p + ddl_n, clcap - ddl_n, ", %s %s", qc, cols[i].type);
        copy_n += (size_t)snprintf(copycols + copy_n, clcap - copy_n, ", %s", qc);
    }
    snprintf(cl.p + ddl_n, clcap - ddl_n, ", geom geometry(Geometry, 4326))");
    snprintf(copycols + copy_n, clcap - copy_n, ", geom");
    int rc = 0;
    if (o->mode == LAYER_APPEND) {
        snprintf(sql, sizeof sql, "SELECT coalesce(max(fid), 0) FROM layers.%s", qt);
        res = run(db, sql, 0, NULL, err, errlen, "reading the layer");
        if (!res)
            rc = -1;
        else
            base = atoll(PQgetvalue(res, 0, 0)), PQclear(res);
    } else {
        rc = exec_ok(db, cl.p, 0, NULL, err, errlen, "creating the table");
    }
    char *copy = NULL;
    if (rc == 0 && (copy = malloc(clcap + 200))) {
        snprintf(copy, clcap + 200, "COPY layers.%s (%s) FROM STDIN", qt, copycols);
        res = PQexec(db, copy);
        if (PQresultStatus(res) != PGRES_COPY_IN) {
            char e2[512];
            db_result_error(res, e2, sizeof e2);
            snprintf(err, errlen, "cannot start COPY: %s", e2);
            rc = -1;
        }
        PQclear(res);
        if (rc == 0) {
            int failed = copy_features(db, r, o, cols, ncols, base, s, err, errlen) < 0;
            rc = db_copy_end(db, failed, err, errlen);
        }
    } else if (rc == 0) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    free(copy);
    free(cl.p);
    free(copycols);
    if (rc < 0)
        return -1;
    log_to(o->log, "import: %lld features copied; checking geometries\n", s->read);
    if (repair(db, qt, base, o, s, err, errlen) < 0)
        return -1;
    if (s->read - s->rejected <= 0) {
        snprintf(err, errlen, "%s, layer %s: no usable feature (%lld read, %lld rejected)",
                 ogr_reader_path(r), ogr_reader_layer_name(r), s->read, s->rejected);
        return -1;
    }
    if (o->mode != LAYER_APPEND) {
        snprintf(sql, sizeof sql, "CREATE INDEX ON layers.%s USING gist (geom)", qt);
        if (exec_ok(db, sql, 0, NULL, err, errlen, "indexing the geometries") < 0)
            return -1;
        /* the swap: readers keep the old table until COMMIT, then see the new */
        if (exists) {
            snprintf(sql, sizeof sql, "DROP TABLE layers.%s", qname);
            if (exec_ok(db, sql, 0, NULL, err, errlen, "dropping the old version") < 0)
                return -1;
        }
        snprintf(sql, sizeof sql, "ALTER TABLE layers.%s RENAME TO %s", qt, qname);
        if (exec_ok(db, sql, 0, NULL, err, errlen, "renaming the new version") < 0)
            return -1;
    }
    snprintf(sql, sizeof sql, "ANALYZE layers.%s", qname);
    if (exec_ok(db, sql, 0, NULL, err, errlen, "analysing the table") < 0)
        return -1;
    /* the Web Mercator index of its tiles (sql/013_tile_layers.sql) */
    if (exec_ok(db, "SELECT polis_layer_tile_index($1)", 1, p, err, errlen, "indexing for tiles") < 0)
        return -1;
    return catalogue(db, r, o, name, qname, cols, ncols, s, err, errlen);
}

int layer_import(PGconn *db, const struct layer_import_options *o, struct layer_import_summary *s,
                 char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (o->name && !layer_name_valid(o->name)) {
        snprintf(err, errlen, "invalid layer name \"%s\": expected ^[a-z][a-z0-9_]{0,62}$ (and "
                 "not \"boundaries\", the built-in collection)", o->name);
        return -1;
    }
    if (o->visibility && strcmp(o->visibility, "public") && strcmp(o->visibility, "staff")) {
        snprintf(err, errlen, "visibility must be public or staff, not \"%s\"", o->visibility);
        return -1;
    }
    ogr_reader *r = ogr_reader_open(o->path, &o->reader, err, errlen);
    if (!r)
        return -1;
    if (o->name)
        snprintf(s->name, sizeof s->name, "%s", o->name);
    else
        layer_safe_name(ogr_reader_layer_name(r), s->name, sizeof s->name);
    if (!layer_name_valid(s->name)) {
        snprintf(err, errlen, "%s: the layer name \"%s\" derived from \"%s\" is not usable; pass "
                 "--as NAME", o->path, s->name, ogr_reader_layer_name(r));
        ogr_reader_close(r);
        return -1;
    }
    snprintf(s->source, sizeof s->source, "%s", ogr_reader_source_label(r));
    snprintf(s->srs, sizeof s->srs, "%s", ogr_reader_srs_label(r));
    struct column *cols = NULL;
    int ncols = 0;
    if (map_columns(r, &cols, &ncols, err, errlen) < 0) {
        ogr_reader_close(r);
        return -1;
    }
    s->columns = ncols;
    if (ogr_reader_layer_count(r) > 1 && !o->reader.layer)
        log_to(o->log, "import: %s has %d layers; reading \"%s\" (choose with --layer)\n", o->path,
              ogr_reader_layer_count(r), ogr_reader_layer_name(r));
    log_to(o->log, "import: reading %s (layer %s, %s, %s, %d fields) into layer %s (%s)\n", o->path,
          ogr_reader_layer_name(r), ogr_reader_driver(r), s->srs, ncols, s->name,
          o->mode == LAYER_REPLACE ? "replace" : o->mode == LAYER_APPEND ? "append" : "new");
    char e2[512];
    int rc = -1;
    if (db_exec(db, "BEGIN", 0, NULL, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "cannot begin a transaction: %s", e2);
    } else if (import_in_tx(db, r, o, cols, ncols, s, err, errlen) < 0) {
        db_exec(db, "ROLLBACK", 0, NULL, e2, sizeof e2);
    } else if (db_exec(db, "COMMIT", 0, NULL, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "commit failed: %s", e2);
    } else {
        rc = 0;
    }
    free(cols);
    ogr_reader_close(r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    s->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return rc;
}

void layer_import_print_summary(FILE *out, const struct layer_import_summary *s)
{
    fprintf(out, "import: layer %s from %s (%s): %lld read, %lld written, %lld repaired, "
            "%lld rejected (%lld not transformable, %lld unrepairable geometry), %d columns, "
            "%.1f s\n", s->name, s->source, s->srs, s->read, s->written, s->repaired, s->rejected,
            s->rej_transform, s->rej_unrepairable, s->columns, s->seconds);
}
