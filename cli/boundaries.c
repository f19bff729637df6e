/* polis boundaries import FILE [options]: administrative boundaries from any
 * GDAL source into the boundaries table (see gis/boundary_import.h). */
#include "gis/boundary_import.h"
#include "gis/db.h"
#include "cli/commands.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polis boundaries import FILE [--layer L] [--level municipality|unit|community]\n"
            "           [--name-field F] [--code-field F] [--parent-code-field F]\n"
            "           [--srs EPSG:n] [--encoding CP1253|ISO-8859-7|UTF-8]\n"
            "\n"
            "Imports boundaries from FILE (Shapefile, GeoJSON, GeoPackage, ... or a .zip\n"
            "holding one) into the database in POLIS_DATABASE_URL, transformed to EPSG:4326.\n"
            "Rows are matched on their code (or name, when the code is empty), so\n"
            "re-importing updates them in place; the whole file goes in one transaction.\n"
            "\n"
            "  --layer L              layer to read (default: the only or first one)\n"
            "  --level LEVEL          municipality (default), unit or community\n"
            "  --name-field F         field with the name (default NAME)\n"
            "  --code-field F         field with the code (default KWD_YPES)\n"
            "  --parent-code-field F  field with the parent's code (required for unit and\n"
            "                         community: a unit's parent is a municipality, a\n"
            "                         community's a unit)\n"
            "  --srs EPSG:n           source CRS, overriding the file's (needed when the file\n"
            "                         has none, e.g. a Shapefile without .prj)\n"
            "  --encoding E           text encoding of a Shapefile's .dbf, overriding its .cpg\n"
            "\n"
            "Exit status: 0 imported, 1 import failed or nothing usable read, 2 usage error.\n");
}

/* Parses the options after "import"; returns 0, or 2 after a usage message. */
static int parse(int argc, char **argv, struct boundary_import_options *o)
{
    static const char *const names[] = {"--layer", "--level", "--name-field", "--code-field",
                                        "--parent-code-field", "--srs", "--encoding"};
    const char **slots[] = {&o->reader.layer, &o->level, &o->name_field, &o->code_field,
                            &o->parent_code_field, &o->reader.srs, &o->reader.encoding};
    for (int i = 2; i < argc; i++)
        if (cli_file_or_option("polis boundaries import", argc, argv, &i, names, slots,
                               sizeof names / sizeof names[0], &o->path))
            return 2;
    if (cli_file_given("polis boundaries import", o->path))
        return 2;
    if (o->level && strcmp(o->level, "municipality") && strcmp(o->level, "unit") &&
        strcmp(o->level, "community")) {
        fprintf(stderr, "polis boundaries import: --level must be municipality, unit or community, "
                "not \"%s\"\n", o->level);
        return 2;
    }
    if (o->level && strcmp(o->level, "municipality") && !o->parent_code_field) {
        fprintf(stderr, "polis boundaries import: --level %s needs --parent-code-field\n", o->level);
        return 2;
    }
    return 0;
}

/* The boundaries import as cli_run_step runs it: arg is its options. */
static int import_step(PGconn *db, void *arg, char *err, size_t errlen)
{
    struct boundary_import_summary s;
    return boundary_import(db, arg, &s, err, errlen);
}

int cmd_boundaries(int argc, char **argv)
{
    if (cli_help(argc, argv, 1, usage))
        return 0;
    if (cli_subcommand("polis boundaries", argc, argv, "import", usage))
        return 2;
    struct boundary_import_options o = {0};
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc;
    o.log = stderr; /* progress, rejections and the summary */
    return cli_run_step("polis boundaries", import_step, &o);
}
