/* polis: one binary, several subcommands. */
#include "cli/commands.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary; /* NULL: not listed (started by the server itself) */
} commands[] = {
    {"serve", cmd_serve, "serve the HTTP API (configuration from POLIS_* variables)"},
    {"migrate", cmd_migrate, "apply pending SQL migrations (as POLIS_DATABASE_OWNER_URL)"},
    {"boundaries", cmd_boundaries, "import administrative boundaries from a GDAL source"},
    {"import", cmd_import, "import a layer (any GDAL vector source) into schema layers"},
    {"export", cmd_export, "export a layer to a file (GPKG, Shapefile, GeoJSON, CSV, KML, FlatGeobuf)"},
    {"tiles", cmd_tiles, "seed vector tiles: into an MBTiles file, or into a running server's cache"},
    {"schools", cmd_schools, "import schools and school zones, derive provisional zones"},
    {"basemap", cmd_basemap, "import an OpenStreetMap extract (.osm, .osm.pbf) as the basemap"},
    {"demo", cmd_demo, "load the demo municipality (boundaries, departments) and its users"},
    {"user", cmd_user, "add a user (admin, staff, citizen) or list the users"},
    {"key", cmd_key, "create an API key for a user (printed once)"},
    {"photos", cmd_photos, "remove orphaned photo files (no row, older than the grace period)"},
    {"mail", cmd_mail, "send the outbox over SMTP (POLIS_SMTP_URL), once or until stopped"},
    {"events", cmd_events, "expand recurring events again up to the horizon (run daily)"},
    {"backup", cmd_backup, "back up the database and the stored files into a directory"},
    {"restore", cmd_restore, "restore a backup into an empty database (checksums first)"},
    {"signing", cmd_signing, "make a demo key and certificate for signing answer documents"},
    {"version", cmd_version, "print versions of polis and its libraries"},
    {"import-job", cmd_import_job, NULL},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: polis COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (commands[i].summary)
            fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'polis COMMAND --help' describes a command.\n");
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "polis: libsodium failed to initialise\n");
        return 1;
    }
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "polis: unknown command \"%s\"\n\n", argv[1]);
    usage(stderr);
    return 2;
}
