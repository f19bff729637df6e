/* The shared part of the school and zone importers: every feature into a
 * staging table, checks in SQL, then the importer's write, in one
 * transaction. */
#include "gis/school_stage.h"

#include "common/log_to.h"
#include "common/stopwatch.h"
#include "gis/db.h"

#include <cpl_conv.h>
#include <stdlib.h>
#include <string.h>

static void reject(const struct school_importer *im, struct school_import_summary *s,
                   const char *msg)
{
    s->rejected++;
    log_to(im->o->log, "%s: rejected %s\n", im->what, msg);
}

/* The geometry of f as WKT (malloc'd, CPLFree it), 2D; NULL when it has none. */
static char *feature_wkt(OGRFeatureH f)
{
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (!g || OGR_G_IsEmpty(g))
        return NULL;
    OGR_G_FlattenTo2D(g);
    OGR_G_SetMeasured(g, 0);
    char *wkt = NULL;
    if (OGR_G_ExportToWkt(g, &wkt) != OGRERR_NONE)
        return NULL;
    return wkt;
}

/* Reads every feature into the staging table. */
static int stage(PGconn *db, ogr_reader *r, const struct school_importer *im,
                 struct school_import_summary *s, char *err, size_t errlen)
{
    char e2[1024];
    if (db_exec(db, im->stage_sql, 0, NULL, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "cannot create the staging table: %s", e2);
        return -1;
    }
    if (db_result_check(PQprepare(db, "", im->insert_sql, im->nparams, NULL), PGRES_COMMAND_OK,
                        e2, sizeof e2) < 0) {
        snprintf(err, errlen, "cannot prepare the staging insert: %s", e2);
        return -1;
    }
    OGRFeatureH f;
    int got;
    char msg[1024];
    while ((got = ogr_reader_next(r, &f, msg, sizeof msg)) != 0) {
        s->read++;
        if (got < 0) {
            reject(im, s, msg);
            continue;
        }
        long long idx = ogr_reader_index(r), fid = (long long)OGR_F_GetFID(f);
        char sidx[32], sfid[32];
        snprintf(sidx, sizeof sidx, "%lld", idx);
        snprintf(sfid, sizeof sfid, "%lld", fid);
        const char *p[ROW_MAX] = {[STAGE_P_IDX] = sidx, [STAGE_P_FID] = sfid};
        char *wkt = NULL;
        int rc = im->fields(im, r, f, p + STAGE_P_FIELDS, msg, sizeof msg, err, errlen);
        if (rc == 1 && !(wkt = feature_wkt(f))) {
            snprintf(msg, sizeof msg, "has no geometry");
            rc = 0;
        }
        if (rc == 0) {
            char line[1200];
            snprintf(line, sizeof line, "feature %lld (FID %lld): %s", idx, fid, msg);
            reject(im, s, line);
        } else if (rc == 1) {
            p[im->nparams - 1] = wkt;
            if (db_result_check(PQexecPrepared(db, "", im->nparams, p, NULL, NULL, 0),
                                PGRES_COMMAND_OK, e2, sizeof e2) < 0) {
                snprintf(err, errlen, "feature %lld (FID %lld): staging failed: %s", idx, fid, e2);
                rc = -1;
            }
        }
        CPLFree(wkt);
        OGR_F_Destroy(f);
        if (rc < 0)
            return -1;
        if (s->read % 1000 == 0)
            log_to(im->o->log, "%s: %lld features read\n", im->what, s->read);
    }
    return 0;
}

/* Runs the checks of the staged rows and reports what they rejected. */
static int check(PGconn *db, const struct school_importer *im,
                 struct school_import_summary *s, char *err, size_t errlen)
{
    char e2[1024], sql[256];
    const char *p[] = {im->o->level};
    for (int i = 0; im->checks[i]; i++)
        if (db_exec(db, im->checks[i], strstr(im->checks[i], "$1") ? 1 : 0,
                    strstr(im->checks[i], "$1") ? p : NULL, e2, sizeof e2) < 0) {
            snprintf(err, errlen, "checking the features failed: %s", e2);
            return -1;
        }
    enum rejected_col { REJECTED_IDX, REJECTED_FID, REJECTED_WHY };
    snprintf(sql, sizeof sql, "SELECT idx, fid, reject FROM %s WHERE reject IS NOT NULL"
             " ORDER BY idx", im->stage_table);
    PGresult *res = db_query(db, sql, 0, NULL, err, errlen);
    if (!res)
        return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        char msg[1200];
        snprintf(msg, sizeof msg, "feature %s (FID %s): %s", PQgetvalue(res, i, REJECTED_IDX),
                 PQgetvalue(res, i, REJECTED_FID), PQgetvalue(res, i, REJECTED_WHY));
        reject(im, s, msg);
    }
    PQclear(res);
    return 0;
}

/* What stage_in_tx works on. */
struct stage_tx {
    const struct school_importer *im;
    ogr_reader *r;
    struct school_import_summary *s;
};

/* Everything between BEGIN and COMMIT (a db_step_fn on a struct stage_tx):
 * stage, check, refuse rejected features unless skip_bad, write. */
static int stage_in_tx(PGconn *db, void *arg, char *err, size_t errlen)
{
    const struct stage_tx *tx = arg;
    const struct school_import_options *o = tx->im->o;
    struct school_import_summary *s = tx->s;
    if (stage(db, tx->r, tx->im, s, err, errlen) < 0 || check(db, tx->im, s, err, errlen) < 0)
        return -1;
    if (s->rejected && !o->skip_bad) {
        snprintf(err, errlen, "%s, layer %s: %lld of %lld features rejected (listed above); "
                 "nothing written (fix them, or --skip-bad to write the others)", o->path,
                 ogr_reader_layer_name(tx->r), s->rejected, s->read);
        return -1;
    }
    if (s->read == s->rejected) {
        snprintf(err, errlen, "%s, layer %s: no usable feature (%lld read)", o->path,
                 ogr_reader_layer_name(tx->r), s->read);
        return -1;
    }
    return tx->im->write(db, tx->im, s, err, errlen);
}

/* The summary line of an import, logged when anything was read or it succeeded. */
static void log_summary(FILE *log, const char *what, const struct school_import_summary *s)
{
    log_to(log, "%s: %s (%s): %lld read, %lld written (%lld new, %lld updated), %lld replaced, "
           "%lld rejected, %.1f s\n", what, s->source, s->srs, s->read, s->written, s->inserted,
           s->updated, s->replaced, s->rejected, s->seconds);
}

int school_stage_run(PGconn *db, const struct school_importer *proto,
                     struct school_import_summary *s, char *err, size_t errlen)
{
    struct school_importer im = *proto;
    const struct school_import_options *o = im.o;
    memset(s, 0, sizeof *s);
    struct timespec t0 = stopwatch_start();
    ogr_reader *r = ogr_reader_open(o->path, &o->reader, err, errlen);
    if (!r)
        return -1;
    snprintf(s->source, sizeof s->source, "%s", ogr_reader_source_label(r));
    snprintf(s->srs, sizeof s->srs, "%s", ogr_reader_srs_label(r));
    log_to(o->log, "%s: reading %s (layer %s, %s, %s)\n", im.what, o->path, ogr_reader_layer_name(r),
          ogr_reader_driver(r), s->srs);
    if (im.prepare(&im, r, err, errlen) < 0) {
        ogr_reader_close(r);
        return -1;
    }
    struct stage_tx tx = {.im = &im, .r = r, .s = s};
    int rc = db_transaction(db, stage_in_tx, &tx, err, errlen);
    ogr_reader_close(r);
    s->seconds = stopwatch_seconds(&t0);
    if (s->read > 0 || rc == 0)
        log_summary(o->log, im.what, s);
    return rc;
}

int school_stage_count(PGconn *db, const char *sql, int n, const char *const *p, long long *a,
                       long long *b, char *err, size_t errlen)
{
    PGresult *res = db_query(db, sql, n, p, err, errlen);
    if (!res)
        return -1;
    if (PQresultStatus(res) == PGRES_TUPLES_OK) {
        *a += atoll(PQgetvalue(res, 0, COUNT_INSERTED));
        if (b)
            *b += atoll(PQgetvalue(res, 0, COUNT_UPDATED));
    } else {
        *a += atoll(PQcmdTuples(res));
    }
    PQclear(res);
    return 0;
}
