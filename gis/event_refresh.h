/* Moving the occurrence horizon on (gis/event_recurrence.h): expands again
 * every event whose occurrences were cut at the horizon, or that has none
 * yet (demo rows inserted by SQL), and rewrites its occurrences. Used by
 * `polis events refresh` and by `polis demo load`. Blocking libpq: for the
 * command-line tools only. */
#ifndef POLIS_EVENT_REFRESH_H
#define POLIS_EVENT_REFRESH_H

#include <libpq-fe.h>
#include <stddef.h>
#include <time.h>

/* Refreshes as of now; *events and *occurrences count what was rewritten.
 * Each event is one statement (the caller's transaction, if any). Returns
 * 0, or -1 with the event and the reason in err. */
int events_refresh(PGconn *db, time_t now, long *events, long *occurrences, char *err,
                   size_t errlen);

#endif
