/* polis events refresh: moves the occurrence horizon of recurring events
 * on (gis/event_refresh.h). Run it daily, e.g. from cron; every write of an
 * event through the API does the same for that event. */
#include "gis/event_recurrence.h"
#include "gis/event_refresh.h"
#include "cli/cli.h"
#include "cli/commands.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polis events refresh\n"
            "\n"
            "Expands again the occurrences of every event in POLIS_DATABASE_URL whose rule\n"
            "goes on past the horizon (%d days ahead, at most %d occurrences an event),\n"
            "and of events that have none yet. Prints how many it rewrote.\n",
            EVENT_HORIZON_DAYS, EVENT_OCCURRENCES_MAX);
}

int cmd_events(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    if (argc != 2 || strcmp(argv[1], "refresh")) {
        usage(stderr);
        return 2;
    }
    PGconn *db = cli_connect("polis events refresh");
    if (!db)
        return 1;
    char err[1024];
    long events, occurrences;
    int rc = events_refresh(db, time(NULL), &events, &occurrences, err, sizeof err);
    PQfinish(db);
    if (rc < 0)
        return cli_failed("polis events refresh", err);
    printf("polis events refresh: %ld events, %ld occurrences written\n", events, occurrences);
    return 0;
}
