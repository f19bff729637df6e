/* Provisional school zones: Voronoi cells of the schools, per municipality
 * and level, clipped to the municipality (see gis/school_zones.h). */
#include "common/log_to.h"
#include "common/stopwatch.h"
#include "gis/school_zones.h"

#include "gis/db.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* $1 municipality code|NULL, $2 level|NULL. The (municipality, level) pairs
 * to work on: those with schools, and those whose schools are gone but
 * whose provisional zones are still there. */
static const char SQL_PAIRS[] =
    "SELECT b.id, b.code, b.name_el, l.code,"
    "  (SELECT count(*) FROM schools s WHERE s.municipality_id = b.id AND s.level = l.code),"
    "  (SELECT count(*) FROM school_zones z WHERE z.municipality_id = b.id"
    "    AND z.level = l.code AND NOT z.provisional)"
    " FROM boundaries b CROSS JOIN school_levels l"
    " WHERE b.level = 'municipality' AND ($1::text IS NULL OR b.code = $1::text)"
    "   AND ($2::text IS NULL OR l.code = $2::text)"
    "   AND (EXISTS (SELECT 1 FROM schools s WHERE s.municipality_id = b.id AND s.level = l.code)"
    "     OR EXISTS (SELECT 1 FROM school_zones z WHERE z.municipality_id = b.id"
    "       AND z.level = l.code AND z.provisional))"
    " ORDER BY b.code, l.sort_order";
enum pairs_col {
    PAIRS_MUNICIPALITY_ID,
    PAIRS_MUNICIPALITY_CODE,
    PAIRS_MUNICIPALITY_NAME, /* name_el */
    PAIRS_LEVEL,
    PAIRS_SCHOOLS,    /* count of schools of the level there */
    PAIRS_REAL_ZONES, /* count of imported (not provisional) zones */
};

/* Each statement on one pair takes the same two parameters. */
enum pair_param {
    PAIR_P_MUNICIPALITY_ID,
    PAIR_P_LEVEL,
    PAIR_NPARAMS
};

/* $1 municipality id, $2 level */
static const char SQL_REMOVE[] =
    "DELETE FROM school_zones WHERE municipality_id = $1::bigint AND level = $2 AND provisional";

/* $1 municipality id, $2 level. One site per distinct point (the lowest
 * id); the envelope given to ST_VoronoiPolygons covers the municipality so
 * that every cell reaches its boundary before the clip. One site: no
 * Voronoi (GEOS gives nothing), its cell is the whole municipality. */
static const char SQL_DERIVE[] =
    "WITH m AS (SELECT id, geom, ST_Transform(geom, 3857) AS g3 FROM boundaries"
    "   WHERE id = $1::bigint),"
    " sites AS (SELECT DISTINCT ON (ST_AsEWKB(s.geom_3857)) s.id, s.geom_3857 AS p"
    "   FROM schools s WHERE s.municipality_id = $1::bigint AND s.level = $2"
    "   ORDER BY ST_AsEWKB(s.geom_3857), s.id),"
    " vor AS (SELECT (ST_Dump(ST_VoronoiPolygons((SELECT ST_Collect(p) FROM sites), 0,"
    "   (SELECT ST_Expand(ST_Envelope(g3), 1000) FROM m)))).geom AS c"
    "   WHERE (SELECT count(*) FROM sites) > 1),"
    " cells AS (SELECT sites.id, ST_Transform(vor.c, 4326) AS c FROM sites"
    "     JOIN vor ON ST_Contains(vor.c, sites.p)"
    "   UNION ALL SELECT id, NULL FROM sites WHERE (SELECT count(*) FROM sites) = 1),"
    " zones AS (SELECT cells.id, CASE WHEN cells.c IS NULL THEN m.geom"
    "     ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(cells.c, m.geom)), 3))"
    "     END AS g FROM cells, m)"
    " INSERT INTO school_zones (school_id, level, municipality_id, geom, provisional, source)"
    " SELECT id, $2, $1::bigint, g, true, 'derived' FROM zones WHERE NOT ST_IsEmpty(g)"
    " RETURNING school_id";

/* $1 municipality id, $2 level. The schools without a zone of their own,
 * and why; and those that lie outside the municipality's boundary. */
static const char SQL_REMARKS[] =
    "SELECT s.id, s.name_el,"
    "  NOT EXISTS (SELECT 1 FROM school_zones z WHERE z.school_id = s.id),"
    "  (SELECT o.name_el || ' (id ' || o.id || ')' FROM schools o JOIN school_zones z"
    "     ON z.school_id = o.id AND z.provisional"
    "    WHERE o.municipality_id = s.municipality_id AND o.level = s.level AND o.id <> s.id"
    "      AND ST_Equals(o.geom, s.geom) ORDER BY o.id LIMIT 1),"
    "  NOT ST_Intersects(b.geom, s.geom)"
    " FROM schools s JOIN boundaries b ON b.id = s.municipality_id"
    " WHERE s.municipality_id = $1::bigint AND s.level = $2"
    "   AND (NOT EXISTS (SELECT 1 FROM school_zones z WHERE z.school_id = s.id)"
    "     OR NOT ST_Intersects(b.geom, s.geom))"
    " ORDER BY s.id";
enum remarks_col {
    REMARKS_ID,
    REMARKS_NAME,      /* name_el */
    REMARKS_NO_ZONE,   /* boolean: the school has no zone of its own */
    REMARKS_SHARES,    /* "name (id N)" of the school at the same point, whose zone serves
                        * both|NULL */
    REMARKS_OUTSIDE,   /* boolean: the school lies outside the boundary */
};

/* Tells about the schools of one (municipality, level) that got no zone or
 * lie outside the boundary; counts the former. */
static int remarks(PGconn *db, const struct school_zones_options *o, const char *const *p,
                   const char *where, struct school_zones_summary *s, char *err, size_t errlen)
{
    PGresult *res = db_query(db, SQL_REMARKS, PAIR_NPARAMS, p, err, errlen);
    if (!res)
        return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        const char *id = PQgetvalue(res, i, REMARKS_ID), *name = PQgetvalue(res, i, REMARKS_NAME);
        if (PQgetvalue(res, i, REMARKS_OUTSIDE)[0] == 't')
            log_to(o->log, "school zones: %s, %s: warning: school %s (id %s) lies outside the "
                  "municipality's boundary\n", where, p[PAIR_P_LEVEL], name, id);
        if (PQgetvalue(res, i, REMARKS_NO_ZONE)[0] != 't')
            continue;
        s->no_zone++;
        if (!PQgetisnull(res, i, REMARKS_SHARES))
            log_to(o->log, "school zones: %s, %s: school %s (id %s) is at the same point as %s; "
                  "that school's zone serves both\n", where, p[PAIR_P_LEVEL], name, id,
                  PQgetvalue(res, i, REMARKS_SHARES));
        else
            log_to(o->log, "school zones: %s, %s: school %s (id %s) gets no zone: its cell lies "
                  "outside the municipality\n", where, p[PAIR_P_LEVEL], name, id);
    }
    PQclear(res);
    return 0;
}

/* Replaces the provisional zones of one (municipality, level) pair: row i
 * of SQL_PAIRS. */
static int derive_pair(PGconn *db, const struct school_zones_options *o, PGresult *pairs, int i,
                       struct school_zones_summary *s, char *err, size_t errlen)
{
    const char *p[PAIR_NPARAMS] = {
        [PAIR_P_MUNICIPALITY_ID] = PQgetvalue(pairs, i, PAIRS_MUNICIPALITY_ID),
        [PAIR_P_LEVEL] = PQgetvalue(pairs, i, PAIRS_LEVEL),
    };
    const char *level = p[PAIR_P_LEVEL];
    char where[512], e2[1024];
    snprintf(where, sizeof where, "%s (%s)", PQgetvalue(pairs, i, PAIRS_MUNICIPALITY_NAME),
             PQgetvalue(pairs, i, PAIRS_MUNICIPALITY_CODE));
    long long schools = atoll(PQgetvalue(pairs, i, PAIRS_SCHOOLS));
    long long real = atoll(PQgetvalue(pairs, i, PAIRS_REAL_ZONES));
    if (real > 0) {
        s->kept_real++;
        log_to(o->log, "school zones: %s, %s: %lld imported zones; left alone\n", where, level, real);
        return 0;
    }
    PGresult *res = db_query(db, SQL_REMOVE, PAIR_NPARAMS, p, e2, sizeof e2);
    if (!res) {
        snprintf(err, errlen, "%s, level %s: removing the old zones failed: %s", where, level, e2);
        return -1;
    }
    long long removed = atoll(PQcmdTuples(res));
    PQclear(res);
    s->replaced += removed;
    if (schools == 0) {
        log_to(o->log, "school zones: %s, %s: no schools any more; %lld provisional zones removed\n",
              where, level, removed);
        return 0;
    }
    res = db_query(db, SQL_DERIVE, PAIR_NPARAMS, p, e2, sizeof e2);
    if (!res) {
        snprintf(err, errlen, "%s, level %s (%lld schools): deriving the zones failed: %s",
                 where, level, schools, e2);
        return -1;
    }
    long long made = PQntuples(res);
    PQclear(res);
    s->zones += made;
    s->derived++;
    log_to(o->log, "school zones: %s, %s: %lld schools -> %lld provisional zones (%lld replaced)\n",
          where, level, schools, made, removed);
    if (remarks(db, o, p, where, s, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "%s, level %s: %s", where, level, e2);
        return -1;
    }
    return 0;
}

/* What derive_in_tx works on. */
struct derive_tx {
    const struct school_zones_options *o;
    struct school_zones_summary *s;
};

/* Everything between BEGIN and COMMIT (a db_step_fn on a struct derive_tx). */
static int derive_in_tx(PGconn *db, void *arg, char *err, size_t errlen)
{
    const struct school_zones_options *o = ((const struct derive_tx *)arg)->o;
    struct school_zones_summary *s = ((const struct derive_tx *)arg)->s;
    char e2[1024];
    const char *p[] = {o->municipality, o->level};
    if (o->municipality) {
        char v[8];
        if (db_query_value(db, "SELECT 1 FROM boundaries WHERE level = 'municipality'"
                               " AND code = $1", 1, p, v, sizeof v, err, errlen) < 0)
            return -1;
        if (!v[0]) {
            snprintf(err, errlen, "no municipality with code %s is loaded (expected a "
                     "KWD_YPES code such as 9054 for Serres)", o->municipality);
            return -1;
        }
    }
    PGresult *pairs = db_query(db, SQL_PAIRS, 2, p, e2, sizeof e2);
    if (!pairs) {
        snprintf(err, errlen, "finding the schools failed: %s", e2);
        return -1;
    }
    if (PQntuples(pairs) == 0)
        log_to(o->log, "school zones: no schools%s%s%s%s: nothing to derive\n",
              o->level ? " of level " : "", o->level ? o->level : "",
              o->municipality ? " in municipality " : "", o->municipality ? o->municipality : "");
    int rc = 0;
    for (int i = 0; i < PQntuples(pairs) && rc == 0; i++)
        rc = derive_pair(db, o, pairs, i, s, err, errlen);
    PQclear(pairs);
    return rc;
}

static void log_summary(FILE *log, const struct school_zones_summary *s);

int school_zones_derive(PGconn *db, const struct school_zones_options *o,
                        struct school_zones_summary *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    struct timespec t0 = stopwatch_start();
    /* the deferred overlap check (sql/017_schools.sql) runs at COMMIT */
    struct derive_tx tx = {.o = o, .s = s};
    int rc = db_transaction(db, derive_in_tx, &tx, err, errlen);
    s->seconds = stopwatch_seconds(&t0);
    if (rc == 0)
        log_summary(o->log, s);
    return rc;
}

static void log_summary(FILE *log, const struct school_zones_summary *s)
{
    log_to(log, "school zones: %d municipality levels derived, %lld provisional zones written "
            "(%lld replaced), %d levels kept with imported zones, %lld schools without a zone "
            "of their own, %.1f s\n", s->derived, s->zones, s->replaced, s->kept_real, s->no_zone,
            s->seconds);
}
