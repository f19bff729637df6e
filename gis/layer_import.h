/* `polis import FILE`: any vector source GDAL reads becomes one table in
 * schema `layers` plus its row in layer_catalogue (sql/008_layers.sql).
 *
 *   ogr_reader (zip, encoding, CRS -> EPSG:4326)
 *   -> columns: the source's fields, typed (integer, bigint, double
 *      precision, text, date, timestamptz, boolean), named safely
 *   -> COPY into a table built under a temporary name, in one transaction
 *   -> invalid geometries repaired with ST_MakeValid (or rejected, with the
 *      feature and the reason), GIST index, catalogue row
 *   -> create, replace (drop + rename in the same transaction: readers see
 *      the old layer or the new one, never half of it) or append.
 * Errors name the file, the layer and the feature. */
#ifndef POLIS_LAYER_IMPORT_H
#define POLIS_LAYER_IMPORT_H

#include "gis/ogr_reader.h"

#include <libpq-fe.h>
#include <stdio.h>

enum layer_import_mode { LAYER_CREATE = 0, LAYER_REPLACE, LAYER_APPEND };

struct layer_import_summary;

struct layer_import_options {
    const char *path;
    struct ogr_reader_options reader;
    const char *name;        /* --as; NULL: derived from the layer's name */
    const char *title_el;    /* NULL: kept (or the name for a new layer) */
    const char *title_en;
    const char *visibility;  /* "public", "staff" or NULL (kept; public when new) */
    enum layer_import_mode mode;
    int progress_every;      /* features between progress lines; 0: 1000 */
    FILE *log;               /* progress and rejects; NULL: silent */
    /* Called with the counts so far every progress_every features (on the
     * importing thread; total is -1 when unknown). A nonzero return stops
     * the import: it fails with "cancelled" and nothing is changed. NULL: none. */
    int (*progress)(void *arg, const struct layer_import_summary *s, long long total);
    void *progress_arg;
};

struct layer_import_summary {
    char name[64];
    char source[512];
    char srs[128];
    long long read, written, repaired, rejected;
    long long rej_transform, rej_unrepairable;
    int columns;
    double seconds;
};

/* Imports opts->path. Returns 0, or -1 with err naming file, layer and
 * (where one is to blame) feature; nothing is changed then. */
int layer_import(PGconn *db, const struct layer_import_options *opts,
                 struct layer_import_summary *s, char *err, size_t errlen);

void layer_import_print_summary(FILE *out, const struct layer_import_summary *s);

/* 1 when name is a valid layer name: ^[a-z][a-z0-9_]{0,62}$, not "boundaries". */
int layer_name_valid(const char *name);

/* A safe SQL name from any text (a field or layer name, Greek or not):
 * ELOT 743 transliteration, lowercase ASCII letters, digits and '_', starting
 * with a letter, at most 63 bytes. Writes into out (at least 64 bytes). */
void layer_safe_name(const char *in, char *out, size_t outlen);

#endif
