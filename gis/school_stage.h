/* The staging engine of gis/school_import.c (schools and real zones): reads
 * every feature of the source into a temporary staging table (a prepared
 * INSERT per feature), runs the importer's SQL checks on the staged rows,
 * reports the rejected ones, and writes, all in one transaction. */
#ifndef POLIS_SCHOOL_STAGE_H
#define POLIS_SCHOOL_STAGE_H

#include "gis/school_import_options.h"

#include <libpq-fe.h>

#define ROW_MAX 12 /* staging parameters of one feature */

/* The parameters of an importer's insert_sql: idx and fid, then the
 * importer's fields, then the geometry as WKT (the last, nparams - 1). */
enum school_stage_param {
    STAGE_P_IDX,
    STAGE_P_FID,
    STAGE_P_FIELDS,
};

/* What an importer does with one feature: fills the staging parameters
 * (after idx and fid) and returns 1, or returns 0 with why it is rejected
 * in msg, or -1 on a fatal error (err). */
struct school_importer {
    const char *what; /* "schools", "school zones" */
    const char *stage_table, *stage_sql, *insert_sql;
    int nparams;      /* of insert_sql, idx and fid included */
    int (*fields)(const struct school_importer *im, ogr_reader *r, OGRFeatureH f,
                  const char **p, char *msg, size_t msglen, char *err, size_t errlen);
    /* finds the fields in the layer (im->field) */
    int (*prepare)(struct school_importer *im, ogr_reader *r, char *err, size_t errlen);
    int (*write)(PGconn *db, const struct school_importer *im,
                 struct school_import_summary *s, char *err, size_t errlen);
    const struct school_import_options *o;
    int field[SC_COUNT]; /* schools: field index of each column, -1 none; zones: [0] */
    const char *const *checks; /* SQL run after staging, NULL-terminated; those that use $1
                                * get the level */
};

/* Imports o->path with the importer proto (copied: prepare fills its
 * fields). Returns 0, or -1 with err set; nothing is written then. */
int school_stage_run(PGconn *db, const struct school_importer *proto,
                     struct school_import_summary *s, char *err, size_t errlen);

/* Runs sql (its n parameters in p), a statement that returns one row of
 * (inserted, updated) counts (COUNT_INSERTED, COUNT_UPDATED; b NULL: only
 * the first is read) or none (then the affected rows count into a).
 * Returns 0, or -1 with err set. */
int school_stage_count(PGconn *db, const char *sql, int n, const char *const *p, long long *a,
                       long long *b, char *err, size_t errlen);
enum school_stage_count_col {
    COUNT_INSERTED,
    COUNT_UPDATED,
};

#endif
