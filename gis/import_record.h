/* The imports table (sql/008_layers.sql): one row per finished import of a
 * layer or of boundaries, written in the import's own transaction. */
#ifndef POLIS_IMPORT_RECORD_H
#define POLIS_IMPORT_RECORD_H

#include "gis/ogr_reader.h"

#include <libpq-fe.h>

/* Parameters named below; no result. */
extern const char IMPORT_RECORD_SQL[];
enum import_record_param {
    IMPORT_RECORD_P_KIND,   /* "layer:<name>", "boundaries:<level>" */
    IMPORT_RECORD_P_SOURCE, /* file name, without its folder */
    IMPORT_RECORD_P_LAYER,  /* layer of the source */
    IMPORT_RECORD_P_FINGERPRINT,
    IMPORT_RECORD_P_SRS,
    IMPORT_RECORD_P_READ,
    IMPORT_RECORD_P_WRITTEN,
    IMPORT_RECORD_P_REPAIRED,
    IMPORT_RECORD_P_REJECTED,
    IMPORT_RECORD_NPARAMS
};

/* The feature counts of one import. */
struct import_counts {
    long long read, written, repaired, rejected;
};

/* Records the import of r (opened on path) as kind. Returns 0, or -1 with
 * err set. */
int import_record(PGconn *db, const char *kind, const char *path, ogr_reader *r, const char *srs,
                  const struct import_counts *n, char *err, size_t errlen);

#endif
