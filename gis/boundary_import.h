/* Import of administrative boundaries (municipalities, municipal units,
 * communities) from any GDAL source into the `boundaries` table.
 *
 * The reading is the generic ogr_reader; what is specific to boundaries is
 * the mapping of fields to columns and the names:
 *   code        = the code field (default KWD_YPES)
 *   natural_key = code, or the source name when the code is empty
 *   name_source = the name field (default NAME) exactly as in the file
 *   name_el     = municipality: "Δήμος " + NAME («Δήμος Σερρών»); Mount Athos
 *                 (NAME "Άθως", no code) becomes «Άγιον Όρος (Άθως)», as it is
 *                 a self-governed area and not a Δήμος; units/communities:
 *                 NAME as is
 *   name_en     = municipality: table municipality_names_en when it has the
 *                 natural key, else "Dimos " + ELOT 743 of NAME; others: ELOT 743
 *
 * All rows go through COPY into a temporary staging table and one upsert on
 * (level, natural_key), inside ONE transaction: ids stay stable across
 * re-imports and a failed import leaves the table as it was. Geometry is
 * made valid (ST_MakeValid, counted), oriented RFC 7946 style (exterior
 * rings counter-clockwise) and stored as MultiPolygon in EPSG:4326; features
 * that cannot be made a polygon are rejected with their index and reason. */
#ifndef POLIS_BOUNDARY_IMPORT_H
#define POLIS_BOUNDARY_IMPORT_H

#include "gis/ogr_reader.h"

#include <libpq-fe.h>
#include <stdio.h>

struct boundary_import_options {
    const char *path;
    struct ogr_reader_options reader; /* layer, encoding, srs overrides */
    const char *level;                /* "municipality" (default), "unit", "community" */
    const char *name_field;           /* default "NAME" */
    const char *code_field;           /* default "KWD_YPES" */
    const char *parent_code_field;    /* required for unit and community */
    FILE *log;                        /* progress, rejections and the summary
                                       * (when anything was read); NULL = quiet */
    int progress_every;               /* features between progress lines; default 50 */
};

struct boundary_import_summary {
    char source[256];        /* "file:layer" */
    char srs[128];           /* CRS the file was read in */
    long long read;          /* features read from the file */
    long long written;       /* inserted + updated + unchanged */
    long long inserted, updated, unchanged;
    long long repaired;      /* invalid geometries made valid (and written) */
    long long rejected;      /* the sum of the reasons below */
    long long rej_no_geometry, rej_not_polygon, rej_transform, rej_no_name, rej_unrepairable,
        rej_duplicate, rej_no_parent;
    double seconds;
};

/* Runs the import on db (which must not be inside a transaction). Returns
 * 0 when at least one feature was written; -1 with the reason in err when
 * nothing usable was read or anything failed (then nothing is written). */
int boundary_import(PGconn *db, const struct boundary_import_options *o,
                    struct boundary_import_summary *s, char *err, size_t errlen);

/* The Greek and English display names of one boundary (see above; name_en
 * here is the transliterated fallback, the curated table is applied in SQL).
 * Returns 0, or -1 when a buffer is too small. */
int boundary_names(const char *level, const char *name_source, const char *code, char *name_el,
                   size_t el_len, char *name_en, size_t en_len);

/* Sets *current to 1 when the file at path (same base name and fingerprint)
 * was the last one imported into level and its rows are still there, so a
 * second import can be skipped. Returns 0, or -1 with the reason in err. */
int boundary_import_is_current(PGconn *db, const char *path, const char *level, int *current,
                               char *err, size_t errlen);

#endif
