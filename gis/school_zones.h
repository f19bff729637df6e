/* Provisional school zones derived from the schools (polis schools
 * derive-zones, and polis demo load): for each municipality and level, the
 * Voronoi cells of that level's schools (computed in Web Mercator, where
 * they are nearest-school areas on the ground to well under a percent),
 * clipped to the municipality's boundary. A level with one school gets the
 * whole municipality. Schools at the same point share one cell: the first
 * (lowest id) gets it and the others are named in the log.
 *
 * Everything happens in ONE transaction: the previous provisional zones of
 * each (municipality, level) are replaced, or the database is left as it
 * was. A (municipality, level) that has real, imported zones is left alone. */
#ifndef POLIS_SCHOOL_ZONES_H
#define POLIS_SCHOOL_ZONES_H

#include <libpq-fe.h>
#include <stdio.h>

struct school_zones_options {
    const char *level;        /* NULL: every level */
    const char *municipality; /* a KWD_YPES code; NULL: every municipality with schools */
    FILE *log;                /* progress lines and, on success, the
                               * summary; NULL: quiet */
};

struct school_zones_summary {
    int derived;         /* (municipality, level) pairs given new zones */
    int kept_real;       /* pairs left alone: they have imported zones */
    long long zones;     /* provisional zones written */
    long long replaced;  /* previous provisional zones removed */
    long long no_zone;   /* schools left without a zone of their own */
    double seconds;
};

/* Runs it on db (not inside a transaction). Returns 0, or -1 with err
 * naming the municipality, the level and, where one is to blame, the
 * school; nothing is changed then. */
int school_zones_derive(PGconn *db, const struct school_zones_options *o,
                        struct school_zones_summary *s, char *err, size_t errlen);

#endif
