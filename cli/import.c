/* polis import FILE [options]: a vector file of an accepted format
 * (OGR_READER_ACCEPTED; gis/ogr_reader.h refuses the others) into its own table in
 * schema layers, described in layer_catalogue (see gis/layer_import.h). */
#include "gis/csv_geometry.h"
#include "gis/db.h"
#include "gis/layer_import.h"
#include "cli/commands.h"
#include "cli/cli.h"
#include "http/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polis import FILE [--layer SRC_LAYER] [--as NAME] [--title-el T] [--title-en T]\n"
            "           [--srs EPSG:n] [--encoding CP1253|ISO-8859-7|UTF-8]\n"
            "           [--replace|--append] [--public|--staff] [--progress N]\n"
            "           [--x COLUMN --y COLUMN] [--all-layers]\n"
            "\n"
            "Imports one layer of FILE (GeoJSON, GeoJSONSeq, GeoPackage, Shapefile, KML, KMZ,\n"
            "CSV, GML, DXF, FlatGeobuf, MapInfo, GPX, ODS, XLSX, or a .zip holding one) into\n"
            "the table layers.NAME of POLIS_DATABASE_OWNER_URL (else POLIS_DATABASE_URL),\n"
            "geometries transformed to EPSG:4326, and describes it in layer_catalogue.\n"
            "Everything happens in one transaction.\n"
            "FILE is a local file: GDAL virtual paths (/vsicurl/, ...), connection strings\n"
            "(PG:, WFS:, ...) and URLs are refused, and so is a file of another format (a\n"
            "VRT, a WFS description, ...: named, never opened).\n"
            "\n"
            "  --layer L       layer of FILE to read (default: the only or first one)\n"
            "  --as NAME       layer name, ^[a-z][a-z0-9_]{0,62}$ (default: from the layer's name)\n"
            "  --title-el T    Greek title (default: kept, or NAME)\n"
            "  --title-en T    English title (default: kept, or NAME)\n"
            "  --srs EPSG:n    source CRS, overriding the file's (needed when it has none)\n"
            "  --encoding E    text encoding of a Shapefile's .dbf, overriding its .cpg\n"
            "  --replace       replace an existing layer (atomically: readers see old or new)\n"
            "  --append        add the features to an existing layer with the same columns\n"
            "  --public        everyone may read it (the default for a new layer)\n"
            "  --staff         only staff may read it (hidden from anonymous callers)\n"
            "  --progress N    a progress line every N features (default 1000)\n"
            "  --x C --y C     a CSV's coordinate columns (default: found by their names:\n"
            "                  x/y, lon/lat, longitude/latitude, easting/northing; or a\n"
            "                  WKT column: WKT, geometry). A CSV names no CRS: without\n"
            "                  --srs, longitude/latitude ranges are read as EPSG:4326\n"
            "  --all-layers    import every layer of FILE, each into the layer named after\n"
            "                  it, one transaction per layer (not with --layer, --as, --title-*)\n"
            "\n"
            "Environment: POLIS_IMPORT_MAX_UNZIPPED_MB refuses a zip container (.zip, .kmz,\n"
            ".xlsx, .ods, ...) or gzip file inflating to more, counted while inflating\n"
            "(default 2048).\n"
            "Exit status: 0 imported, 1 import failed or nothing usable read, 2 usage error.\n");
}

/* What `polis import` runs: one layer's options, or every layer's. */
struct import_run {
    struct layer_import_options o;
    int all_layers;
};

/* The options that --all-layers cannot go with, since they name one layer. */
static int all_layers_conflict(const struct layer_import_options *o)
{
    const char *one = o->reader.layer ? "--layer" : o->name ? "--as" : o->title_el ? "--title-el"
                      : o->title_en ? "--title-en" : NULL;
    if (one)
        fprintf(stderr, "polis import: --all-layers names every layer after itself; %s names "
                "one layer and cannot go with it\n", one);
    return one != NULL;
}

static int csv_columns_bad(const struct layer_import_options *o)
{
    const char *x = o->reader.x_column, *y = o->reader.y_column;
    if (!x != !y) {
        fprintf(stderr, "polis import: --x and --y go together (found only %s)\n", x ? "--x" : "--y");
        return 1;
    }
    if (x && (strlen(x) > CSV_COLUMN_MAX || strlen(y) > CSV_COLUMN_MAX || strchr(x, ',') ||
              strchr(y, ','))) {
        fprintf(stderr, "polis import: --x and --y expect one column name each, at most %d bytes "
                "and without a comma\n", CSV_COLUMN_MAX);
        return 1;
    }
    return 0;
}

/* Parses argv into run; returns 0, or 2 after a message. */
static int parse(int argc, char **argv, struct import_run *run)
{
    struct layer_import_options *o = &run->o;
    static const char *const names[] = {"--layer", "--as",       "--title-el", "--title-en", "--srs",
                                        "--encoding", "--progress", "--x",        "--y"};
    const char *progress = NULL;
    const char **slots[] = {&o->reader.layer,    &o->name,  &o->title_el,
                            &o->title_en,        &o->reader.srs, &o->reader.encoding,
                            &progress,           &o->reader.x_column, &o->reader.y_column};
    int replace = 0, append = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--all-layers")) {
            run->all_layers = 1;
            continue;
        }
        if (!strcmp(a, "--replace")) {
            replace = 1;
            continue;
        }
        if (!strcmp(a, "--append")) {
            append = 1;
            continue;
        }
        if (!strcmp(a, "--public") || !strcmp(a, "--staff")) {
            if (o->visibility && strcmp(o->visibility, a + 2)) {
                fprintf(stderr, "polis import: --public and --staff exclude each other\n");
                return 2;
            }
            o->visibility = a + 2;
            continue;
        }
        if (cli_file_or_option("polis import", argc, argv, &i, names, slots,
                               sizeof names / sizeof names[0], &o->path))
            return 2;
    }
    if (cli_file_given("polis import", o->path))
        return 2;
    if (replace && append) {
        fprintf(stderr, "polis import: --replace and --append exclude each other\n");
        return 2;
    }
    if ((run->all_layers && all_layers_conflict(o)) || csv_columns_bad(o))
        return 2;
    o->mode = replace ? LAYER_REPLACE : append ? LAYER_APPEND : LAYER_CREATE;
    if (o->name && !layer_name_valid(o->name)) {
        fprintf(stderr, "polis import: --as \"%s\": expected " LAYER_NAME_EXPECTED "\n", o->name);
        return 2;
    }
    if (progress) {
        char *end;
        long v = strtol(progress, &end, 10);
        if (*end || v < 1 || v > 100000000) {
            fprintf(stderr, "polis import: --progress expects a positive number, not \"%s\"\n",
                    progress);
            return 2;
        }
        o->progress_every = (int)v;
    }
    return 0;
}

/* Every layer of the file, one transaction each: a layer that fails is
 * named and the others still go in; the step fails when any did. */
static int import_all_layers(PGconn *db, const struct layer_import_options *o, char *err,
                             size_t errlen)
{
    struct ogr_reader_options list = o->reader;
    list.layers_only = 1;
    ogr_reader *r = ogr_reader_open(o->path, &list, err, errlen);
    if (!r)
        return -1;
    int count = ogr_reader_layer_count(r);
    char **names = calloc((size_t)count, sizeof *names);
    for (int i = 0; names && i < count; i++)
        names[i] = strdup(ogr_reader_layer_name_at(r, i));
    ogr_reader_close(r);
    if (!names)
        abort();
    int failed = 0;
    char failed_names[512] = "";
    size_t used = 0;
    for (int i = 0; i < count; i++) {
        struct layer_import_options one = *o;
        one.reader.layer = names[i];
        struct layer_import_summary s;
        char lerr[1024];
        fprintf(stderr, "import: layer %d of %d: %s\n", i + 1, count, names[i]);
        if (layer_import(db, &one, &s, lerr, sizeof lerr)) {
            fprintf(stderr, "polis import: layer %s: %s\n", names[i], lerr);
            if (used < sizeof failed_names)
                used += (size_t)snprintf(failed_names + used, sizeof failed_names - used, "%s%s",
                                         failed ? ", " : "", names[i]);
            failed++;
        }
        free(names[i]);
    }
    free(names);
    if (failed)
        snprintf(err, errlen, "%s: %d of %d layers failed (%s); the others were imported",
                 o->path, failed, count, failed_names);
    return failed ? -1 : 0;
}

/* The layer import as cli_run_step runs it: arg is the run. */
static int import_step(PGconn *db, void *arg, char *err, size_t errlen)
{
    struct import_run *run = arg;
    if (run->all_layers)
        return import_all_layers(db, &run->o, err, errlen);
    struct layer_import_summary s;
    return layer_import(db, &run->o, &s, err, errlen);
}

int cmd_import(int argc, char **argv)
{
    if (cli_help(argc, argv, 1, usage))
        return 0;
    struct import_run run = {0};
    int rc = parse(argc, argv, &run);
    if (rc)
        return rc;
    run.o.log = stderr; /* progress, rejects and the summary */
    struct polis_config cfg;
    if (cli_config("polis import", &cfg))
        return 2;
    run.o.reader.max_unzipped_bytes = (long long)cfg.import_max_unzipped_mb * 1024 * 1024;
    /* a layer is a table of its own: made by the owner role */
    return cli_run_owner_step("polis import", import_step, &run);
}
