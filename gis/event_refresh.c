#include "gis/event_refresh.h"
#include "gis/db.h"
#include "gis/event_recurrence.h"
#include "gis/events_sql.h"

#include <stdio.h>
#include <stdlib.h>

/* Expands and rewrites one event. Returns how many occurrences, or -1. */
static long refresh_one(PGconn *db, const char *id, const char *start, const char *rrule,
                        time_t now, event_local_time *times, char *err, size_t errlen)
{
    char why[256], until[21] = "";
    int complete = 1;
    if (rrule)
        event_rrule_check(rrule, until, why, sizeof why);
    int n = event_rrule_expand(rrule, start, now, EVENT_OCCURRENCES_MAX, times, &complete, why,
                               sizeof why);
    if (n < 0) {
        snprintf(err, errlen, "event %s: rrule %s: expected %s", id, rrule ? rrule : "none", why);
        return -1;
    }
    char *lit = event_local_times_literal(times, n);
    if (!lit) {
        snprintf(err, errlen, "event %s: out of memory", id);
        return -1;
    }
    const char *p[EVENT_REFRESH_NPARAMS] = {
        [EVENT_REFRESH_P_ID] = id,
        [EVENT_REFRESH_P_TIMES] = lit,
        [EVENT_REFRESH_P_UNTIL] = until[0] ? until : NULL,
        [EVENT_REFRESH_P_COMPLETE] = complete ? "true" : "false",
    };
    char count[32], e2[512];
    int rc = db_query_value(db, EVENT_REFRESH_SQL, EVENT_REFRESH_NPARAMS, p, count, sizeof count,
                            e2, sizeof e2);
    free(lit);
    if (rc < 0) {
        snprintf(err, errlen, "event %s: %s", id, e2);
        return -1;
    }
    return atol(count);
}

int events_refresh(PGconn *db, time_t now, long *events, long *occurrences, char *err,
                   size_t errlen)
{
    *events = *occurrences = 0;
    PGresult *res = db_query(db, EVENT_REFRESH_LIST_SQL, 0, NULL, err, errlen);
    if (!res)
        return -1;
    event_local_time *times = malloc(sizeof *times * EVENT_OCCURRENCES_MAX);
    int rc = times ? 0 : -1;
    if (!times)
        snprintf(err, errlen, "out of memory");
    for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
        long n = refresh_one(db, PQgetvalue(res, i, EVENT_REFRESH_LIST_ID),
                             PQgetvalue(res, i, EVENT_REFRESH_LIST_START),
                             PQgetisnull(res, i, EVENT_REFRESH_LIST_RRULE)
                                 ? NULL
                                 : PQgetvalue(res, i, EVENT_REFRESH_LIST_RRULE),
                             now, times, err, errlen);
        if (n < 0) {
            rc = -1;
        } else {
            (*events)++;
            *occurrences += n;
        }
    }
    free(times);
    PQclear(res);
    return rc;
}
