/* polis basemap import FILE [--municipality CODE | --bbox ...]: an
 * OpenStreetMap extract into the basemap schema (see gis/basemap_import.h). */
#include "gis/basemap_import.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "http/params.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polis basemap import FILE.osm|FILE.osm.pbf\n"
            "           [--municipality CODE | --bbox MINLON,MINLAT,MAXLON,MAXLAT]\n"
            "\n"
            "Reads an OpenStreetMap file with GDAL's OSM driver into the basemap schema of\n"
            "the database in POLIS_DATABASE_URL: roads, rail, water lines and areas, land\n"
            "use, buildings, places, addresses, and the streets the geocoder searches.\n"
            "The whole basemap is replaced in one transaction: until it commits the old\n"
            "one is served, and a failed import leaves it as it was.\n"
            "\n"
            "  --municipality CODE  keep only what lies in this municipality (its code in\n"
            "                       the boundaries table), cutting what crosses its border\n"
            "  --bbox B             keep only what lies in this lon/lat box, cut likewise\n"
            "\n"
            "Exit status: 0 imported, 1 import failed, 2 usage error.\n");
}

/* "minlon,minlat,maxlon,maxlat" in degrees, ordered. Returns 0 or -1. */
static int parse_bbox(const char *s, double out[4])
{
    char copy[256];
    if (strlen(s) >= sizeof copy)
        return -1;
    strcpy(copy, s);
    char *save = NULL, *tok = strtok_r(copy, ",", &save);
    int n = 0;
    for (; tok && n < 4; tok = strtok_r(NULL, ",", &save))
        if (parse_decimal(tok, &out[n++]))
            return -1;
    if (n != 4 || tok)
        return -1;
    return out[0] >= -180 && out[2] <= 180 && out[1] >= -90 && out[3] <= 90 && out[0] < out[2] &&
                   out[1] < out[3]
               ? 0
               : -1;
}

/* Parses the options after "import"; returns 0, or 2 after a usage message. */
static int parse(int argc, char **argv, struct basemap_import_options *o)
{
    static const char *const names[] = {"--municipality", "--bbox"};
    const char *bbox = NULL;
    const char **slots[] = {&o->municipality, &bbox};
    for (int i = 2; i < argc; i++)
        if (cli_file_or_option("polis basemap import", argc, argv, &i, names, slots,
                               sizeof names / sizeof names[0], &o->path))
            return 2;
    if (cli_file_given("polis basemap import", o->path))
        return 2;
    if (bbox && o->municipality) {
        fprintf(stderr, "polis basemap import: give --municipality or --bbox, not both\n");
        return 2;
    }
    if (bbox) {
        if (parse_bbox(bbox, o->bbox) < 0) {
            fprintf(stderr, "polis basemap import: --bbox expects minlon,minlat,maxlon,maxlat in "
                    "degrees (min < max), such as 23.50,41.07,23.58,41.11; found \"%s\"\n", bbox);
            return 2;
        }
        o->has_bbox = 1;
    }
    return 0;
}

/* The import as cli_run_step runs it: arg is its options. */
static int import_step(PGconn *db, void *arg, char *err, size_t errlen)
{
    struct basemap_import_summary s;
    return basemap_import(db, arg, &s, err, errlen);
}

int cmd_basemap(int argc, char **argv)
{
    if (cli_help(argc, argv, 1, usage))
        return 0;
    if (cli_subcommand("polis basemap", argc, argv, "import", usage))
        return 2;
    struct basemap_import_options o = {0};
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc;
    o.log = stderr; /* progress and the summary */
    return cli_run_step("polis basemap", import_step, &o);
}
