/* polis photos sweep: removes orphaned photo files now (jobs/photo_sweep.h);
 * `polis serve` does the same when it starts. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "http/config.h"
#include "jobs/photo_sweep.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polis photos sweep\n"
            "\n"
            "Removes the photo files under $POLIS_VAR/photos and $POLIS_VAR/poi-photos that\n"
            "no row of POLIS_DATABASE_URL points to (left by a crash between writing a\n"
            "photo and recording it) and that are older than\n"
            "POLIS_PHOTO_SWEEP_GRACE_MINUTES (default 60). Each removal is logged.\n");
}

int cmd_photos(int argc, char **argv)
{
    int rc = cli_only_subcommand(argc, argv, "sweep", usage);
    if (rc >= 0)
        return rc;
    struct polis_config cfg;
    if (cli_config("polis photos sweep", &cfg))
        return 2;
    PGconn *db = cli_connect("polis photos sweep");
    if (!db)
        return 1;
    char err[1024];
    struct photo_sweep_counts counts;
    rc = photo_sweep(db, cfg.var_dir, cfg.photo_sweep_grace_s, time(NULL), stderr, &counts,
                     err, sizeof err);
    PQfinish(db);
    if (rc)
        return cli_failed("polis photos sweep", err);
    printf("polis photos sweep: %ld orphaned files removed, %ld kept, %ld could not be "
           "removed\n", counts.removed, counts.kept, counts.failed);
    return counts.failed ? 1 : 0;
}
