/* What the schools and zones importers (gis/school_import.h) take and
 * report, apart so that their staging engine (gis/school_stage.c) can use
 * them without depending on the importers. */
#ifndef POLIS_SCHOOL_IMPORT_OPTIONS_H
#define POLIS_SCHOOL_IMPORT_OPTIONS_H

#include "gis/ogr_reader.h"

#include <stdio.h>

/* the school columns a field map can name, in this order */
enum school_column {
    SC_REF, SC_NAME_EL, SC_NAME_EN, SC_LEVEL, SC_ADDRESS, SC_PHONE, SC_EMAIL, SC_WEBSITE,
    SC_COUNT
};
extern const char *const school_column_names[SC_COUNT];

struct school_import_options {
    const char *path;
    struct ogr_reader_options reader;
    /* schools: the field of each column; NULL: a field of the column's name
     * if the file has one (name_el and, without level, level are required) */
    const char *field[SC_COUNT];
    /* schools: the level of every feature without a level field; zones: the
     * level of the zones (required) */
    const char *level;
    const char *school_ref_field;  /* zones: the field naming the school by ref */
    const char *school_name_field; /* zones: ... or by name_el */
    int skip_bad;                  /* write the good features even when some are bad */
    FILE *log;                     /* progress, rejections and the summary
                                    * (when anything was read); NULL: quiet */
};

struct school_import_summary {
    char source[256]; /* "file:layer" */
    char srs[128];
    long long read, written, inserted, updated, rejected;
    long long replaced; /* zones: the zones they replaced */
    double seconds;
};

#endif
