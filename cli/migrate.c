/* polis migrate: bring the database schema up to the version of this binary. */
#include "gis/db.h"
#include "gis/migrate.h"
#include "cli/commands.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_migrate(int argc, char **argv)
{
    if (argc > 1) {
        int help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
        fprintf(help ? stdout : stderr,
                "usage: polis migrate\n\n"
                "Applies the SQL migrations compiled into this binary (latest: %d) to the\n"
                "database in POLIS_DATABASE_OWNER_URL (else POLIS_DATABASE_URL), each once, in order. Safe to run twice or\n"
                "from several processes at once.\n",
                migrate_latest_version());
        return help ? 0 : 2;
    }
    char err[2048];
    PGconn *db = cli_connect_owner("polis migrate");
    if (!db)
        return 1;
    int n = migrate_run(db, stderr, err, sizeof err);
    PQfinish(db);
    if (n < 0)
        return cli_failed("polis migrate", err);
    fprintf(stderr, "polis migrate: %d applied, schema at version %d\n", n,
            migrate_latest_version());
    return 0;
}
