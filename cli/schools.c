/* polis schools import | import-zones | derive-zones: the schools layer and
 * its zones (gis/school_import.h, gis/school_zones.h). */
#include "gis/school_import.h"
#include "gis/school_zones.h"
#include "cli/cli.h"
#include "cli/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polis schools import FILE [--layer L] [--field-map COL=FIELD,...]\n"
            "                                [--level LEVEL] [--srs EPSG:n] [--encoding E]\n"
            "                                [--skip-bad]\n"
            "       polis schools import-zones FILE --level LEVEL\n"
            "                                (--school-ref-field F | --school-name-field F)\n"
            "                                [--layer L] [--srs EPSG:n] [--encoding E] [--skip-bad]\n"
            "       polis schools derive-zones [--level LEVEL] [--municipality CODE]\n"
            "\n"
            "LEVEL is nursery, kindergarten, primary, lower_secondary, upper_secondary or\n"
            "vocational. The database is POLIS_DATABASE_URL; each command is one transaction.\n"
            "\n"
            "import: schools (points; a polygon becomes a point on it) from FILE (any GDAL\n"
            "  source, any CRS: EPSG:2100 is transformed to EPSG:4326). Columns come from the\n"
            "  fields ref, name_el, name_en, level, address, phone, email, website, or\n"
            "  those --field-map names, e.g. --field-map ref=KODIKOS,name_el=ONOMA,level=TYPOS.\n"
            "  A level field may hold a code or a Greek name (Δημοτικό, Γυμνάσιο, ΓΕΛ, ΕΠΑΛ,\n"
            "  Νηπιαγωγείο, Παιδικός Σταθμός); --level gives the level of schools without one.\n"
            "  Schools are matched on ref (or, without one, on municipality, level and name):\n"
            "  importing again updates them.\n"
            "import-zones: real zones of one level, (multi)polygons, each naming its school by\n"
            "  ref or by name_el. They replace every zone of that level (derived ones too) in\n"
            "  the municipalities of their schools.\n"
            "  Both name every feature they cannot use (index, FID, field, why) and then write\n"
            "  nothing, unless --skip-bad is given (then they write the others).\n"
            "derive-zones: provisional zones where no real ones exist: per municipality and\n"
            "  level, the Voronoi cells of the schools clipped to the municipality (one school:\n"
            "  the whole municipality), replacing the previous provisional zones. A level\n"
            "  with imported zones is left alone. Default: every level of every municipality\n"
            "  with schools.\n"
            "\n"
            "Exit status: 0 done, 1 failed (nothing changed), 2 usage error.\n");
}

/* What cli_run_step runs for import and import-zones (the options' log
 * gets the summary). */
struct import_run {
    const struct school_import_options *o;
    int zones;
};

static int import_step(PGconn *db, void *arg, char *err, size_t errlen)
{
    const struct import_run *run = arg;
    struct school_import_summary s;
    return run->zones ? school_zones_import(db, run->o, &s, err, errlen)
                      : school_import(db, run->o, &s, err, errlen);
}

/* derive-zones as cli_run_step runs it: arg is its options. */
static int derive_step(PGconn *db, void *arg, char *err, size_t errlen)
{
    struct school_zones_summary s;
    return school_zones_derive(db, arg, &s, err, errlen);
}

/* polis schools import / import-zones */
static int import(int argc, char **argv, int zones)
{
    /* import takes the first five options, import-zones all but the first */
    static const char *const names[] = {"--field-map", "--layer",          "--srs",
                                        "--encoding",  "--level",          "--school-ref-field",
                                        "--school-name-field"};
    const char *cmd = zones ? "polis schools import-zones" : "polis schools import";
    struct school_import_options o = {.log = stderr};
    char *map = NULL;
    const char **slots[] = {(const char **)&map, &o.reader.layer,      &o.reader.srs,
                            &o.reader.encoding,  &o.level,             &o.school_ref_field,
                            &o.school_name_field};
    size_t first = zones ? 1 : 0, n = zones ? 6 : 5;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--skip-bad")) {
            o.skip_bad = 1;
            continue;
        }
        if (cli_file_or_option(cmd, argc, argv, &i, names + first, slots + first, n, &o.path))
            return 2;
    }
    if (cli_file_given(cmd, o.path))
        return 2;
    char err[2048];
    if (map) {
        char *copy = strdup(map);
        int bad = !copy || school_field_map_parse(copy, &o, err, sizeof err) < 0;
        if (bad) {
            fprintf(stderr, "%s: %s\n", cmd, copy ? err : "out of memory");
            free(copy);
            return 2;
        }
        map = copy; /* o.field points into it */
    }
    struct import_run run = {.o = &o, .zones = zones};
    int rc = cli_run_step(cmd, import_step, &run);
    free(map);
    return rc;
}

/* polis schools derive-zones */
static int derive(int argc, char **argv)
{
    static const char *const names[] = {"--level", "--municipality"};
    const char *cmd = "polis schools derive-zones";
    struct school_zones_options o = {.log = stderr};
    const char **slots[] = {&o.level, &o.municipality};
    for (int i = 2; i < argc; i++)
        if (cli_file_or_option(cmd, argc, argv, &i, names, slots, sizeof names / sizeof names[0],
                               NULL))
            return 2;
    if (o.level && !school_level_from_text(o.level)) {
        fprintf(stderr, "%s: --level: expected nursery, kindergarten, primary, lower_secondary, "
                "upper_secondary or vocational, found \"%s\"\n", cmd, o.level);
        return 2;
    }
    if (o.level)
        o.level = school_level_from_text(o.level);
    return cli_run_step(cmd, derive_step, &o);
}

int cmd_schools(int argc, char **argv)
{
    if (cli_help(argc, argv, 1, usage))
        return 0;
    if (argc >= 2 && !strcmp(argv[1], "import"))
        return import(argc, argv, 0);
    if (argc >= 2 && !strcmp(argv[1], "import-zones"))
        return import(argc, argv, 1);
    if (argc >= 2 && !strcmp(argv[1], "derive-zones"))
        return derive(argc, argv);
    if (argc >= 2)
        fprintf(stderr, "polis schools: unknown subcommand \"%s\"\n\n", argv[1]);
    usage(stderr);
    return 2;
}
