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

/* The refresh as cli_run_step runs it, then how much it rewrote. */
static int refresh_step(PGconn *db, void *arg, char *err, size_t errlen)
{
    (void)arg;
    long events, occurrences;
    if (events_refresh(db, time(NULL), &events, &occurrences, err, errlen) < 0)
        return -1;
    printf("polis events refresh: %ld events, %ld occurrences written\n", events, occurrences);
    return 0;
}

int cmd_events(int argc, char **argv)
{
    int rc = cli_only_subcommand(argc, argv, "refresh", usage);
    return rc >= 0 ? rc : cli_run_step("polis events refresh", refresh_step, NULL);
}
