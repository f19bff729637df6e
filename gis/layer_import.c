/* Layer importer: ogr_reader -> typed table in schema layers -> catalogue. */
#include "common/log_to.h"
#include "common/stopwatch.h"
#include "gis/layer_import.h"
#include "gis/sql_ident.h"

#include "gis/db.h"
#include "gis/import_record.h"
#include "gis/layer_copy.h"
#include "gis/translit.h"

#include <cpl_error.h>
#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int layer_name_reserved(const char *name)
{
    size_t n = strlen(name);
    for (const char *p = LAYER_RESERVED_NAMES; *p;) {
        size_t len = strcspn(p, ", ");
        if (len == n && !memcmp(p, name, n))
            return 1;
        p += len;
        p += strspn(p, ", ");
    }
    return 0;
}

int layer_name_valid(const char *name)
{
    return sql_ident_ok(name) && !layer_name_reserved(name);
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
    char e2[768];
    PGresult *res = db_query(db, sql, np, p, e2, sizeof e2);
    if (!res)
        snprintf(err, errlen, "%s: %s", what, e2);
    return res;
}

static int exec_ok(PGconn *db, const char *sql, int np, const char *const *p, char *err,
                   size_t errlen, const char *what)
{
    PGresult *res = run(db, sql, np, p, err, errlen, what);
    PQclear(res);
    return res ? 0 : -1;
}

/* $1 layer name. One row when the layer is catalogued. */
static const char CATALOGUE_ATTRIBUTES_SQL[] =
    "SELECT attributes::text FROM layer_catalogue WHERE name = $1";
enum catalogue_attributes_col {
    CATALOGUE_ATTRIBUTES_JSON, /* [{name, type, source_name}] */
};

/* Checks the source's columns against the existing table's (append mode). */
static int check_append_columns(PGconn *db, const char *name, const struct layer_column *cols,
                                int ncols, char *err, size_t errlen)
{
    const char *p[] = {name};
    PGresult *res = run(db, CATALOGUE_ATTRIBUTES_SQL, 1, p, err, errlen, "reading the catalogue");
    if (!res)
        return -1;
    if (PQntuples(res) == 0) {
        snprintf(err, errlen, "layer \"%s\" does not exist; --append needs an existing layer "
                 "(import without --append first)", name);
        PQclear(res);
        return -1;
    }
    json_t *attrs = json_loads(PQgetvalue(res, 0, CATALOGUE_ATTRIBUTES_JSON), 0, NULL);
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
static char *attributes_json(ogr_reader *r, const struct layer_column *cols, int ncols)
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

/* The rows of the repair statement: one per invalid geometry, by fid. */
enum repair_col {
    REPAIR_FID,
    REPAIR_WHY,   /* ST_IsValidReason */
    REPAIR_FIXED, /* boolean: repaired (else it is dropped) */
};

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
        long long fid = atoll(PQgetvalue(res, i, REPAIR_FID));
        if (PQgetvalue(res, i, REPAIR_FIXED)[0] == 't') {
            s->repaired++;
        } else {
            s->rejected++, s->rej_unrepairable++;
            log_to(o->log, "import: rejected: %s, feature %lld: invalid geometry (%s) that ST_MakeValid "
                  "cannot repair\n", o->path, fid - base - 1, PQgetvalue(res, i, REPAIR_WHY));
            snprintf(sql, sizeof sql, "DELETE FROM layers.%s WHERE fid = $1::bigint", qt);
            const char *d[] = {PQgetvalue(res, i, REPAIR_FID)};
            if (exec_ok(db, sql, 1, d, err, errlen, "dropping an unrepairable feature") < 0) {
                rc = -1;
                break;
            }
        }
    }
    PQclear(res);
    return rc;
}

/* The parameters of the catalogue statement (its text is built around the
 * quoted table and time column); it returns no column that is read. */
enum catalogue_param {
    CATALOGUE_P_NAME,
    CATALOGUE_P_TITLE_EL,   /* NULL: kept, or the name */
    CATALOGUE_P_TITLE_EN,   /* NULL: kept, or the name */
    CATALOGUE_P_SOURCE,
    CATALOGUE_P_SRS,
    CATALOGUE_P_VISIBILITY, /* NULL: kept, or public */
    CATALOGUE_P_ATTRIBUTES, /* json */
    CATALOGUE_P_TIME_COLUMN,
    CATALOGUE_NPARAMS
};

/* Writes the catalogue row (and the imports record) for the finished table. */
static int catalogue(PGconn *db, ogr_reader *r, const struct layer_import_options *o,
                     const char *name, const char *qname, const struct layer_column *cols, int ncols,
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
             "   time_max = EXCLUDED.time_max, updated_at = now()",
             qtime, qtime, qname);
    const char *p[CATALOGUE_NPARAMS] = {
        [CATALOGUE_P_NAME] = name,
        [CATALOGUE_P_TITLE_EL] = o->title_el,
        [CATALOGUE_P_TITLE_EN] = o->title_en,
        [CATALOGUE_P_SOURCE] = s->source,
        [CATALOGUE_P_SRS] = s->srs,
        [CATALOGUE_P_VISIBILITY] = o->visibility,
        [CATALOGUE_P_ATTRIBUTES] = attrs,
        [CATALOGUE_P_TIME_COLUMN] = timecol,
    };
    int rc = exec_ok(db, sql, CATALOGUE_NPARAMS, p, err, errlen, "writing the catalogue");
    free(attrs);
    if (rc < 0)
        return -1;
    s->written = s->read - s->rejected;

    char kind[96];
    snprintf(kind, sizeof kind, "layer:%s", name);
    const struct import_counts n = {s->read, s->written, s->repaired, s->rejected};
    return import_record(db, kind, o->path, r, s->srs, &n, err, errlen);
}

/* $1 layer name. One row. */
static const char LAYER_EXISTS_SQL[] =
    "SELECT to_regclass(format('layers.%I', $1::text)) IS NOT NULL";
enum layer_exists_col {
    LAYER_EXISTS_TABLE, /* boolean */
};

/* What import_in_tx works on. */
struct layer_tx {
    ogr_reader *r;
    const struct layer_import_options *o;
    const struct layer_column *cols;
    int ncols;
    struct layer_import_summary *s;
};

/* Everything between BEGIN and COMMIT (a db_step_fn on a struct layer_tx). */
static int import_in_tx(PGconn *db, void *arg, char *err, size_t errlen)
{
    const struct layer_tx *tx = arg;
    ogr_reader *r = tx->r;
    const struct layer_import_options *o = tx->o;
    const struct layer_column *cols = tx->cols;
    int ncols = tx->ncols;
    struct layer_import_summary *s = tx->s;
    const char *name = s->name;
    const char *p[] = {name};
    /* one import of a layer at a time */
    if (exec_ok(db, "SELECT pg_advisory_xact_lock(hashtext('polis layer ' || $1))", 1, p, err,
                errlen, "locking the layer") < 0)
        return -1;
    PGresult *res = run(db, LAYER_EXISTS_SQL, 1, p, err, errlen, "looking for the layer");
    if (!res)
        return -1;
    int exists = PQgetvalue(res, 0, LAYER_EXISTS_TABLE)[0] == 't';
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
        /* one row, one column: the highest fid so far */
        snprintf(sql, sizeof sql, "SELECT coalesce(max(fid), 0) FROM layers.%s", qt);
        res = run(db, sql, 0, NULL, err, errlen, "reading the layer");
        if (!res)
            rc = -1;
        else
            base = atoll(PQgetvalue(res, 0, DB_VALUE)), PQclear(res);
    } else {
        rc = exec_ok(db, cl.p, 0, NULL, err, errlen, "creating the table");
    }
    char *copy = NULL;
    if (rc == 0 && (copy = malloc(clcap + 200))) {
        snprintf(copy, clcap + 200, "COPY layers.%s (%s) FROM STDIN", qt, copycols);
        char e2[512];
        if (db_result_check(PQexec(db, copy), PGRES_COPY_IN, e2, sizeof e2) < 0) {
            snprintf(err, errlen, "cannot start COPY: %s", e2);
            rc = -1;
        }
        if (rc == 0) {
            int failed = layer_copy_features(db, r, o, cols, ncols, base, s, err, errlen) < 0;
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

static void log_summary(FILE *log, const struct layer_import_summary *s);

int layer_import(PGconn *db, const struct layer_import_options *o, struct layer_import_summary *s,
                 char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    struct timespec t0 = stopwatch_start();
    if (o->name && !layer_name_valid(o->name)) {
        snprintf(err, errlen, "invalid layer name \"%s\": expected " LAYER_NAME_EXPECTED, o->name);
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
        sql_ident_from_text(ogr_reader_layer_name(r), s->name, sizeof s->name);
    if (!layer_name_valid(s->name)) {
        snprintf(err, errlen, "%s: the layer name \"%s\" derived from \"%s\" is not usable "
                 "(expected " LAYER_NAME_EXPECTED "); pass --as NAME", o->path, s->name,
                 ogr_reader_layer_name(r));
        ogr_reader_close(r);
        return -1;
    }
    snprintf(s->source, sizeof s->source, "%s", ogr_reader_source_label(r));
    snprintf(s->srs, sizeof s->srs, "%s", ogr_reader_srs_label(r));
    struct layer_column *cols = NULL;
    int ncols = 0;
    if (layer_map_columns(r, &cols, &ncols, err, errlen) < 0) {
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
    struct layer_tx tx = {.r = r, .o = o, .cols = cols, .ncols = ncols, .s = s};
    int rc = db_transaction(db, import_in_tx, &tx, err, errlen);
    free(cols);
    ogr_reader_close(r);
    s->seconds = stopwatch_seconds(&t0);
    if (s->read > 0 || rc == 0)
        log_summary(o->log, s);
    return rc;
}

static void log_summary(FILE *log, const struct layer_import_summary *s)
{
    log_to(log, "import: layer %s from %s (%s): %lld read, %lld written, %lld repaired, "
            "%lld rejected (%lld not transformable, %lld unrepairable geometry), %d columns, "
            "%.1f s\n", s->name, s->source, s->srs, s->read, s->written, s->repaired, s->rejected,
            s->rej_transform, s->rej_unrepairable, s->columns, s->seconds);
}
