/* Boundaries importer: ogr_reader -> COPY into staging -> repair and upsert. */
#include "common/log_to.h"
#include "common/stopwatch.h"
#include "gis/boundary_import.h"

#include "gis/db.h"
#include "gis/import_record.h"
#include "gis/translit.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A growable byte buffer for one COPY line. */
struct buf {
    char *p;
    size_t len, cap;
};

static int buf_reserve(struct buf *b, size_t more)
{
    if (b->len + more <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more)
        cap *= 2;
    char *np = realloc(b->p, cap);
    if (!np)
        return -1;
    b->p = np;
    b->cap = cap;
    return 0;
}

static int buf_putc(struct buf *b, char c)
{
    if (buf_reserve(b, 1) < 0)
        return -1;
    b->p[b->len++] = c;
    return 0;
}

/* Appends a COPY text-format field: NULL as \N, and the four characters
 * that would break the row (backslash, tab, newline, CR) escaped. */
static int buf_field(struct buf *b, const char *s, int last)
{
    int rc = 0;
    if (!s) {
        rc |= buf_putc(b, '\\') | buf_putc(b, 'N');
    } else {
        for (; *s; s++) {
            char c = *s;
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                rc |= buf_putc(b, '\\');
                c = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
            }
            rc |= buf_putc(b, c);
        }
    }
    return rc | buf_putc(b, last ? '\n' : '\t');
}

/* Appends geometry as hex WKB (little endian), the input of ST_GeomFromWKB. */
static int buf_wkb_hex(struct buf *b, OGRGeometryH g)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = (size_t)OGR_G_WkbSize(g);
    unsigned char *w = malloc(n ? n : 1);
    if (!w || buf_reserve(b, 2 * n + 1) < 0) {
        free(w);
        return -1;
    }
    OGR_G_ExportToWkb(g, wkbNDR, w);
    for (size_t i = 0; i < n; i++) {
        b->p[b->len++] = hex[w[i] >> 4];
        b->p[b->len++] = hex[w[i] & 15];
    }
    free(w);
    return buf_putc(b, '\t');
}

int boundary_names(const char *level, const char *name_source, const char *code, char *name_el,
                   size_t el_len, char *name_en, size_t en_len)
{
    int muni = !strcmp(level, "municipality");
    int n;
    if (muni && (!code || !*code) && !strcmp(name_source, "Άθως")) {
        /* Mount Athos is a self-governed area, not a Δήμος */
        n = snprintf(name_el, el_len, "Άγιον Όρος (Άθως)");
        if (n < 0 || (size_t)n >= el_len)
            return -1;
        n = snprintf(name_en, en_len, "Mount Athos");
        return n < 0 || (size_t)n >= en_len ? -1 : 0;
    }
    /* the source may already say «Δήμος ...»; don't say it twice */
    int has_prefix = !strncmp(name_source, "Δήμος ", strlen("Δήμος ")) ||
                     !strncmp(name_source, "ΔΗΜΟΣ ", strlen("ΔΗΜΟΣ "));
    const char *pre_el = muni && !has_prefix ? "Δήμος " : "";
    n = snprintf(name_el, el_len, "%s%s", pre_el, name_source);
    if (n < 0 || (size_t)n >= el_len)
        return -1;
    const char *pre_en = muni && !has_prefix ? "Dimos " : "";
    size_t pl = strlen(pre_en);
    if (pl >= en_len)
        return -1;
    memcpy(name_en, pre_en, pl);
    size_t need = translit_elot743(name_source, name_en + pl, en_len - pl);
    return pl + need >= en_len ? -1 : 0;
}

/* Records a rejection found while reading (before the database sees it). */
static void reject(const struct boundary_import_options *o, struct boundary_import_summary *s,
                   long long *counter, const char *msg)
{
    (*counter)++;
    s->rejected++;
    log_to(o->log, "boundaries: rejected %s\n", msg);
}

static const char *parent_level(const char *level)
{
    return !strcmp(level, "unit") ? "municipality" : !strcmp(level, "community") ? "unit" : NULL;
}

static const char *const SQL_STAGE =
    "CREATE TEMP TABLE boundary_stage ("
    " idx bigint, fid bigint, code text, natural_key text, name_source text,"
    " name_el text, name_en text, parent_code text, wkb text,"
    " geom geometry, parent_id bigint, repaired boolean NOT NULL DEFAULT false, reject text"
    ") ON COMMIT DROP";

static const char *const SQL_COPY =
    "COPY boundary_stage (idx, fid, code, natural_key, name_source, name_el, name_en,"
    " parent_code, wkb) FROM STDIN";

/* Geometry in SQL: decode, repair the invalid ones (structure method keeps
 * areas), keep only the polygonal part, then CCW exterior rings (RFC 7946)
 * as MultiPolygon. Duplicated keys would make the upsert touch a row twice. */
static const char *const SQL_PREPARE[] = {
    "UPDATE boundary_stage SET geom = ST_GeomFromWKB(decode(wkb, 'hex'), 4326), wkb = NULL",
    "UPDATE boundary_stage SET repaired = true,"
    " geom = ST_CollectionExtract(ST_MakeValid(geom, 'method=structure keepcollapsed=false'), 3)"
    " WHERE NOT ST_IsValid(geom)",
    "UPDATE boundary_stage SET reject = 'unrepairable: ' || CASE WHEN geom IS NULL THEN 'no geometry'"
    " WHEN ST_IsEmpty(geom) THEN 'nothing polygonal is left after ST_MakeValid'"
    " ELSE 'ST_MakeValid gave ' || GeometryType(geom) END"
    " WHERE geom IS NULL OR ST_IsEmpty(geom) OR GeometryType(geom) NOT IN ('POLYGON', 'MULTIPOLYGON')",
    "UPDATE boundary_stage SET geom = ST_Multi(ST_ForcePolygonCCW(geom)) WHERE reject IS NULL",
    "UPDATE boundary_stage s SET reject = 'duplicate: key ' || d.natural_key"
    " || ' already used by feature ' || d.first"
    " FROM (SELECT idx, natural_key, first_value(idx) OVER w AS first, row_number() OVER w AS rn"
    "       FROM boundary_stage WHERE reject IS NULL"
    "       WINDOW w AS (PARTITION BY natural_key ORDER BY idx)) d"
    " WHERE s.idx = d.idx AND d.rn > 1",
};

static const char *const SQL_PARENT[] = {
    "UPDATE boundary_stage s SET parent_id = p.id FROM boundaries p"
    " WHERE p.level = $1 AND p.code = s.parent_code",
    "UPDATE boundary_stage SET reject = 'no parent: no ' || $1 || ' with code '"
    " || coalesce(parent_code, '(empty)') WHERE parent_id IS NULL AND reject IS NULL",
};

static const char *const SQL_REJECTS =
    "SELECT idx, fid, reject, natural_key FROM boundary_stage WHERE reject IS NOT NULL ORDER BY idx";
enum rejects_col {
    REJECTS_IDX,
    REJECTS_FID,
    REJECTS_WHY, /* "duplicate: ...", "no parent: ...", "unrepairable: ..." */
    REJECTS_KEY, /* natural key */
};

/* $1 level, $2 source. The unchanged rows are left alone, so re-importing
 * the same file does not rewrite (and re-subdivide) every boundary. One row. */
static const char *const SQL_UPSERT =
    "WITH up AS ("
    " INSERT INTO boundaries AS b (level, parent_id, code, natural_key, name_el, name_en,"
    "   name_source, source, geom)"
    " SELECT $1, s.parent_id, s.code, s.natural_key, s.name_el, coalesce(n.name_en, s.name_en),"
    "   s.name_source, $2, s.geom"
    " FROM boundary_stage s"
    " LEFT JOIN municipality_names_en n ON $1 = 'municipality' AND n.code = s.natural_key"
    " WHERE s.reject IS NULL"
    " ON CONFLICT (level, natural_key) DO UPDATE SET parent_id = EXCLUDED.parent_id,"
    "   code = EXCLUDED.code, name_el = EXCLUDED.name_el, name_en = EXCLUDED.name_en,"
    "   name_source = EXCLUDED.name_source, source = EXCLUDED.source, geom = EXCLUDED.geom,"
    "   updated_at = now()"
    " WHERE (b.parent_id, b.code, b.name_el, b.name_en, b.name_source, b.source)"
    "   IS DISTINCT FROM (EXCLUDED.parent_id, EXCLUDED.code, EXCLUDED.name_el, EXCLUDED.name_en,"
    "   EXCLUDED.name_source, EXCLUDED.source)"
    "   OR ST_AsEWKB(b.geom) <> ST_AsEWKB(EXCLUDED.geom)"
    " RETURNING (xmax = 0) AS inserted)"
    " SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted),"
    "   (SELECT count(*) FROM boundary_stage WHERE reject IS NULL),"
    "   (SELECT count(*) FROM boundary_stage WHERE reject IS NULL AND repaired)"
    " FROM up";
enum upsert_param {
    UPSERT_P_LEVEL,
    UPSERT_P_SOURCE,
    UPSERT_NPARAMS
};
enum upsert_col {
    UPSERT_INSERTED,
    UPSERT_UPDATED,
    UPSERT_WRITTEN,  /* staged rows not rejected: inserted, updated or unchanged */
    UPSERT_REPAIRED, /* of those, repaired by ST_MakeValid */
};

/* Sends the features of r to the open COPY. Returns 0, or -1 on a fatal
 * error (err set): bad encoding, missing field, out of memory, COPY failed. */
static int copy_features(PGconn *db, ogr_reader *r, const struct boundary_import_options *o,
                         struct boundary_import_summary *s, char *err, size_t errlen)
{
    const char *name_f = o->name_field ? o->name_field : "NAME";
    const char *code_f = o->code_field ? o->code_field : "KWD_YPES";
    int fname = ogr_reader_field_index(r, name_f, err, errlen);
    if (fname < 0)
        return -1;
    int fcode = ogr_reader_field_index(r, code_f, err, errlen);
    if (fcode < 0)
        return -1;
    int fparent = -1;
    if (o->parent_code_field &&
        (fparent = ogr_reader_field_index(r, o->parent_code_field, err, errlen)) < 0)
        return -1;
    long long total = ogr_reader_feature_count(r);
    int every = o->progress_every > 0 ? o->progress_every : 50;
    struct buf b = {NULL, 0, 0};
    int rc = 0;
    OGRFeatureH f;
    int got;
    char msg[1024];
    while ((got = ogr_reader_next(r, &f, msg, sizeof msg)) != 0) {
        s->read++;
        if (o->log && s->read % every == 0) {
            if (total >= 0)
                log_to(o->log, "boundaries: %lld/%lld features\n", s->read, total);
            else
                log_to(o->log, "boundaries: %lld features\n", s->read);
        }
        if (got < 0) {
            reject(o, s, &s->rej_transform, msg);
            continue;
        }
        long long idx = ogr_reader_index(r), fid = (long long)OGR_F_GetFID(f);
        const char *name, *code, *pcode = NULL;
        if (ogr_reader_string(r, f, fname, &name, err, errlen) < 0 ||
            ogr_reader_string(r, f, fcode, &code, err, errlen) < 0 ||
            (fparent >= 0 && ogr_reader_string(r, f, fparent, &pcode, err, errlen) < 0)) {
            OGR_F_Destroy(f);
            rc = -1;
            break;
        }
        if (code && !*code)
            code = NULL;
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        OGRwkbGeometryType t = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbNone;
        if (!name || !*name) {
            snprintf(msg, sizeof msg, "feature %lld (FID %lld): field %s is empty", idx, fid, name_f);
            reject(o, s, &s->rej_no_name, msg);
        } else if (!g || OGR_G_IsEmpty(g)) {
            snprintf(msg, sizeof msg, "feature %lld (FID %lld, %s): no geometry", idx, fid, name);
            reject(o, s, &s->rej_no_geometry, msg);
        } else if (t != wkbPolygon && t != wkbMultiPolygon && t != wkbCurvePolygon &&
                   t != wkbMultiSurface) {
            snprintf(msg, sizeof msg, "feature %lld (FID %lld, %s): geometry is %s, expected Polygon "
                     "or MultiPolygon", idx, fid, name, OGRGeometryTypeToName(t));
            reject(o, s, &s->rej_not_polygon, msg);
        } else {
            if (t == wkbCurvePolygon || t == wkbMultiSurface) {
                /* curves are linearised; the feature keeps ownership */
                g = OGR_G_ForceToMultiPolygon(OGR_F_StealGeometry(f));
                OGR_F_SetGeometryDirectly(f, g);
            }
            OGR_G_FlattenTo2D(g);
            OGR_G_SetMeasured(g, 0);
            char name_el[1024], name_en[1024], sidx[32], sfid[32];
            if (boundary_names(o->level, name, code, name_el, sizeof name_el, name_en,
                               sizeof name_en) < 0) {
                snprintf(msg, sizeof msg, "feature %lld (FID %lld): name longer than %zu bytes",
                         idx, fid, sizeof name_el / 2);
                reject(o, s, &s->rej_no_name, msg);
                OGR_F_Destroy(f);
                continue;
            }
            snprintf(sidx, sizeof sidx, "%lld", idx);
            snprintf(sfid, sizeof sfid, "%lld", fid);
            b.len = 0;
            int e = buf_field(&b, sidx, 0) | buf_field(&b, sfid, 0) | buf_field(&b, code, 0) |
                    buf_field(&b, code ? code : name, 0) | buf_field(&b, name, 0) |
                    buf_field(&b, name_el, 0) | buf_field(&b, name_en, 0) |
                    buf_field(&b, pcode, 0);
            if (e || buf_wkb_hex(&b, g) < 0) {
                snprintf(err, errlen, "out of memory at feature %lld", idx);
                OGR_F_Destroy(f);
                rc = -1;
                break;
            }
            b.p[b.len - 1] = '\n'; /* the geometry is the last field */
            if (PQputCopyData(db, b.p, (int)b.len) != 1) {
                snprintf(err, errlen, "COPY failed at feature %lld: %s", idx, PQerrorMessage(db));
                OGR_F_Destroy(f);
                rc = -1;
                break;
            }
        }
        OGR_F_Destroy(f);
    }
    free(b.p);
    if (o->log && total >= 0 && s->read % every != 0 && s->read >= every)
        log_to(o->log, "boundaries: %lld/%lld features\n", s->read, total);
    return rc;
}

/* Reports the rows the SQL checks rejected, counting them by reason. */
static int collect_sql_rejects(PGconn *db, const struct boundary_import_options *o,
                               struct boundary_import_summary *s, char *err, size_t errlen)
{
    PGresult *res = db_query(db, SQL_REJECTS, 0, NULL, err, errlen);
    if (!res)
        return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        const char *why = PQgetvalue(res, i, REJECTS_WHY);
        long long *counter = !strncmp(why, "duplicate", 9)   ? &s->rej_duplicate
                             : !strncmp(why, "no parent", 9) ? &s->rej_no_parent
                                                             : &s->rej_unrepairable;
        char msg[1024];
        snprintf(msg, sizeof msg, "feature %s (FID %s, key %s): %s",
                 PQgetvalue(res, i, REJECTS_IDX), PQgetvalue(res, i, REJECTS_FID),
                 PQgetvalue(res, i, REJECTS_KEY), why);
        reject(o, s, counter, msg);
    }
    PQclear(res);
    return 0;
}

/* What import_in_tx works on. */
struct boundary_tx {
    ogr_reader *r;
    const struct boundary_import_options *o;
    struct boundary_import_summary *s;
};

/* Everything between BEGIN and COMMIT (a db_step_fn on a struct
 * boundary_tx). Returns 0 or -1 (err set). */
static int import_in_tx(PGconn *db, void *arg, char *err, size_t errlen)
{
    const struct boundary_tx *tx = arg;
    ogr_reader *r = tx->r;
    const struct boundary_import_options *o = tx->o;
    struct boundary_import_summary *s = tx->s;
    char e2[512];
    if (db_stage_copy_begin(db, SQL_STAGE, SQL_COPY, err, errlen) < 0)
        return -1;
    int failed = copy_features(db, r, o, s, err, errlen) < 0;
    if (db_copy_end(db, failed, err, errlen) < 0)
        return -1;
    for (size_t i = 0; i < sizeof SQL_PREPARE / sizeof SQL_PREPARE[0]; i++)
        if (db_exec(db, SQL_PREPARE[i], 0, NULL, e2, sizeof e2) < 0) {
            snprintf(err, errlen, "checking the geometries failed: %s", e2);
            return -1;
        }
    const char *plevel = parent_level(o->level);
    if (plevel) {
        const char *p[] = {plevel};
        for (size_t i = 0; i < sizeof SQL_PARENT / sizeof SQL_PARENT[0]; i++)
            if (db_exec(db, SQL_PARENT[i], 1, p, e2, sizeof e2) < 0) {
                snprintf(err, errlen, "finding the parents failed: %s", e2);
                return -1;
            }
    }
    if (collect_sql_rejects(db, o, s, err, errlen) < 0)
        return -1;

    const char *up[UPSERT_NPARAMS] = {[UPSERT_P_LEVEL] = o->level, [UPSERT_P_SOURCE] = s->source};
    PGresult *res = db_query(db, SQL_UPSERT, UPSERT_NPARAMS, up, e2, sizeof e2);
    if (!res) {
        snprintf(err, errlen, "writing the boundaries failed: %s", e2);
        return -1;
    }
    s->inserted = atoll(PQgetvalue(res, 0, UPSERT_INSERTED));
    s->updated = atoll(PQgetvalue(res, 0, UPSERT_UPDATED));
    s->written = atoll(PQgetvalue(res, 0, UPSERT_WRITTEN));
    s->repaired = atoll(PQgetvalue(res, 0, UPSERT_REPAIRED));
    s->unchanged = s->written - s->inserted - s->updated;
    PQclear(res);
    if (s->written == 0) {
        snprintf(err, errlen, "%s, layer %s: no usable feature (%lld read, %lld rejected)",
                 ogr_reader_path(r), ogr_reader_layer_name(r), s->read, s->rejected);
        return -1;
    }

    char kind[64];
    snprintf(kind, sizeof kind, "boundaries:%s", o->level);
    const struct import_counts n = {s->read, s->written, s->repaired, s->rejected};
    return import_record(db, kind, o->path, r, s->srs, &n, err, errlen);
}

static void log_summary(FILE *log, const struct boundary_import_summary *s);

int boundary_import(PGconn *db, const struct boundary_import_options *opts,
                    struct boundary_import_summary *s, char *err, size_t errlen)
{
    struct boundary_import_options o = *opts;
    if (!o.level)
        o.level = "municipality";
    memset(s, 0, sizeof *s);
    struct timespec t0 = stopwatch_start();
    if (strcmp(o.level, "municipality") && strcmp(o.level, "unit") && strcmp(o.level, "community")) {
        snprintf(err, errlen, "unknown level \"%s\" (expected municipality, unit or community)",
                 o.level);
        return -1;
    }
    if (parent_level(o.level) && !o.parent_code_field) {
        snprintf(err, errlen, "a %s needs its parent: name the field with the parent's code "
                 "(--parent-code-field)", o.level);
        return -1;
    }
    ogr_reader *r = ogr_reader_open(o.path, &o.reader, err, errlen);
    if (!r)
        return -1;
    snprintf(s->source, sizeof s->source, "%s", ogr_reader_source_label(r));
    snprintf(s->srs, sizeof s->srs, "%s", ogr_reader_srs_label(r));
    if (ogr_reader_layer_count(r) > 1 && !o.reader.layer)
        log_to(o.log, "boundaries: %s has %d layers; reading \"%s\" (choose with --layer)\n", o.path,
              ogr_reader_layer_count(r), ogr_reader_layer_name(r));
    log_to(o.log, "boundaries: reading %s (layer %s, %s, %s) as %s\n", o.path,
          ogr_reader_layer_name(r), ogr_reader_driver(r), s->srs, o.level);

    struct boundary_tx tx = {.r = r, .o = &o, .s = s};
    int rc = db_transaction(db, import_in_tx, &tx, err, errlen);
    ogr_reader_close(r);
    s->seconds = stopwatch_seconds(&t0);
    if (s->read > 0 || rc == 0)
        log_summary(o.log, s);
    return rc;
}

static void log_summary(FILE *log, const struct boundary_import_summary *s)
{
    log_to(log, "boundaries: %s: %lld read, %lld written (%lld new, %lld updated, %lld unchanged), "
            "%lld repaired, %lld rejected, %.1f s\n", s->source, s->read, s->written, s->inserted,
            s->updated, s->unchanged, s->repaired, s->rejected, s->seconds);
    if (s->rejected)
        log_to(log, "boundaries: rejected: %lld no geometry, %lld not a polygon, %lld not "
                "transformable, %lld no name, %lld unrepairable, %lld duplicate key, "
                "%lld no parent\n", s->rej_no_geometry, s->rej_not_polygon, s->rej_transform,
                s->rej_no_name, s->rej_unrepairable, s->rej_duplicate, s->rej_no_parent);
}

int boundary_import_is_current(PGconn *db, const char *path, const char *level, int *current,
                               char *err, size_t errlen)
{
    char fp[64], kind[64], v[8];
    *current = 0;
    if (ogr_source_fingerprint(path, fp, sizeof fp, err, errlen) < 0)
        return -1;
    snprintf(kind, sizeof kind, "boundaries:%s", level);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    enum current_param { CURRENT_P_KIND, CURRENT_P_SOURCE, CURRENT_P_FINGERPRINT, CURRENT_P_LEVEL,
                         CURRENT_NPARAMS };
    const char *p[CURRENT_NPARAMS] = {
        [CURRENT_P_KIND] = kind,
        [CURRENT_P_SOURCE] = base,
        [CURRENT_P_FINGERPRINT] = fp,
        [CURRENT_P_LEVEL] = level,
    };
    /* one value (DB_VALUE): the last import of the file had this content and
     * its boundaries are still there */
    if (db_query_value(db,
                       "SELECT i.fingerprint = $3 AND EXISTS (SELECT 1 FROM boundaries b"
                       "  WHERE b.level = $4 AND b.source = i.source || ':' || i.layer)"
                       " FROM imports i WHERE i.kind = $1 AND i.source = $2"
                       " ORDER BY i.id DESC LIMIT 1",
                       CURRENT_NPARAMS, p, v, sizeof v, err, errlen) < 0)
        return -1;
    *current = !strcmp(v, "t");
    return 0;
}
