/* Layer importer, the source side (used by gis/layer_import.c only): maps a
 * source's fields to typed, safely named columns and streams its features
 * into a COPY ... FROM STDIN as text rows (fid, columns..., hex EWKB). */
#ifndef POLIS_LAYER_COPY_H
#define POLIS_LAYER_COPY_H

#include "gis/layer_import_options.h"

#include <libpq-fe.h>

struct layer_column {
    char name[64];     /* safe, unique SQL name */
    const char *type;  /* SQL type */
    int field;         /* index in the source layer */
};

/* Maps the source's fields to unique safe columns (fid and geom are ours):
 * *out (malloc'd) and *ncols. Returns 0, or -1 with err set. */
int layer_map_columns(ogr_reader *r, struct layer_column **out, int *ncols, char *err,
                      size_t errlen);

/* Sends the features to the open COPY (fid = fid_base + index + 1).
 * Returns 0, or -1 on a fatal error (err set): unreadable feature (a
 * truncated file), text not UTF-8 (a wrong encoding), COPY failure. */
int layer_copy_features(PGconn *db, ogr_reader *r, const struct layer_import_options *o,
                        const struct layer_column *cols, int ncols, long long fid_base,
                        struct layer_import_summary *s, char *err, size_t errlen);

#endif
