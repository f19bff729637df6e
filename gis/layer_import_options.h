/* What `polis import` (gis/layer_import.h) takes and reports: its options
 * and its summary, apart so that the importer's parts (gis/layer_copy.c)
 * can use them without depending on the importer itself. */
#ifndef POLIS_LAYER_IMPORT_OPTIONS_H
#define POLIS_LAYER_IMPORT_OPTIONS_H

#include "gis/ogr_reader.h"

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
    FILE *log;               /* progress, rejects and the summary (when
                              * anything was read); NULL: silent */
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

#endif
