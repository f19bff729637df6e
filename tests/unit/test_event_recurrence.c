/* Event recurrence: which RRULEs are accepted (and why not), and the local
 * wall-clock starts a rule expands to, across the DST change. */
#include "check.h"
#include "gis/event_recurrence.h"

#include <stdlib.h>

/* 1 when rrule is refused with a message containing part */
static int refused(const char *rrule, const char *part)
{
    char err[256] = "";
    if (event_rrule_check(rrule, NULL, err, sizeof err) == 0)
        return 0;
    if (!strstr(err, part)) {
        fprintf(stderr, "  %s: message \"%s\" lacks \"%s\"\n", rrule, err, part);
        return 0;
    }
    return 1;
}

int main(void)
{
    char err[256], until[21];
    /* accepted */
    CHECK_INT(event_rrule_check("FREQ=WEEKLY;COUNT=4", until, err, sizeof err), 0);
    CHECK_STR(until, "");
    CHECK_INT(event_rrule_check("FREQ=DAILY;INTERVAL=2", NULL, err, sizeof err), 0);
    CHECK_INT(event_rrule_check("FREQ=MONTHLY;BYDAY=-1SU", NULL, err, sizeof err), 0);
    CHECK_INT(event_rrule_check("FREQ=MONTHLY;BYMONTHDAY=15", NULL, err, sizeof err), 0);
    CHECK_INT(event_rrule_check("FREQ=YEARLY;BYMONTH=8;BYMONTHDAY=15", NULL, err, sizeof err), 0);
    CHECK_INT(event_rrule_check("FREQ=WEEKLY;BYDAY=SA,SU;UNTIL=20261231T235959Z", until, err,
                                sizeof err), 0);
    CHECK_STR(until, "2026-12-31T23:59:59Z");
    /* refused, each saying why */
    CHECK(refused("FREQ=HOURLY", "FREQ=HOURLY is not supported"));
    CHECK(refused("FREQ=MINUTELY;COUNT=3", "not supported"));
    CHECK(refused("FREQ=SECONDLY", "not supported"));
    CHECK(refused("FREQ=WEEKLY;COUNT=2;UNTIL=20261231T000000Z", "not both"));
    CHECK(refused("COUNT=2", "a FREQ part"));
    CHECK(refused("FREQ=WEEKLY;BYHOUR=10", "BYHOUR is not supported"));
    CHECK(refused("FREQ=WEEKLY;COUNT=0", "COUNT from 1"));
    CHECK(refused("FREQ=WEEKLY;COUNT=abc", "COUNT from 1"));
    CHECK(refused("FREQ=WEEKLY;INTERVAL=0", "INTERVAL from 1"));
    CHECK(refused("FREQ=WEEKLY;UNTIL=20261231", "UNTIL as a UTC date-time"));
    CHECK(refused("FREQ=WEEKLY;FREQ=DAILY", "more than once"));
    CHECK(refused("FREQ=WEEKLY;BYDAY=XX", "libical rejects it"));
    CHECK(refused("FREQ=MONTHLY;BYMONTHDAY=40", "libical rejects it"));
    CHECK(refused("FREQ=WEEKLY;BYDAY=1MO", "with a position"));
    CHECK(refused("FREQ=WEEKLY;BYMONTHDAY=3", "no BYMONTHDAY"));
    CHECK(refused("RRULE:FREQ=WEEKLY", "without \"RRULE:\""));
    CHECK(refused("FREQ=WEEKLY;;COUNT=2", "NAME=VALUE"));

    /* expansion: the wall clock stays at 19:00 (PostgreSQL makes instants) */
    time_t now = 1790000000; /* 2026-09-21 */
    event_local_time out[EVENT_OCCURRENCES_MAX];
    int complete = -1;
    int n = event_rrule_expand("FREQ=WEEKLY;COUNT=4", "2026-10-17 19:00:00", now,
                               EVENT_OCCURRENCES_MAX, out, &complete, err, sizeof err);
    CHECK_INT(n, 4);
    CHECK_INT(complete, 1);
    if (n == 4) {
        CHECK_STR(out[0], "2026-10-17 19:00:00");
        CHECK_STR(out[1], "2026-10-24 19:00:00");
        CHECK_STR(out[2], "2026-10-31 19:00:00");
        CHECK_STR(out[3], "2026-11-07 19:00:00");
    }
    /* a single event */
    n = event_rrule_expand(NULL, "2026-10-17 19:00:00", now, 10, out, &complete, err, sizeof err);
    CHECK(n == 1 && complete == 1);
    CHECK_STR(out[0], "2026-10-17 19:00:00");
    /* no end: cut at the horizon (two years), incomplete */
    n = event_rrule_expand("FREQ=WEEKLY", "2026-10-17 19:00:00", now, EVENT_OCCURRENCES_MAX, out,
                           &complete, err, sizeof err);
    CHECK(n >= 100 && n <= 106);
    CHECK_INT(complete, 0);
    /* ... or at max */
    n = event_rrule_expand("FREQ=DAILY", "2026-10-17 19:00:00", now, 30, out, &complete, err,
                           sizeof err);
    CHECK(n == 30 && complete == 0);
    CHECK_STR(out[29], "2026-11-15 19:00:00");
    /* UNTIL within the horizon: complete; the day after UNTIL is the last
     * one C keeps (PostgreSQL cuts at the exact instant) */
    n = event_rrule_expand("FREQ=DAILY;UNTIL=20261020T170000Z", "2026-10-17 19:00:00", now, 30,
                           out, &complete, err, sizeof err);
    CHECK(n >= 4 && n <= 5 && complete == 1);
    /* monthly on the last Sunday, across a year */
    n = event_rrule_expand("FREQ=MONTHLY;BYDAY=-1SU;COUNT=3", "2026-10-25 20:00:00", now, 10, out,
                           &complete, err, sizeof err);
    CHECK_INT(n, 3);
    CHECK_STR(out[1], "2026-11-29 20:00:00");
    CHECK_STR(out[2], "2026-12-27 20:00:00");
    /* occurrences more than a year before now are not kept */
    n = event_rrule_expand("FREQ=MONTHLY;COUNT=36", "2024-01-05 10:00:00", now, 100, out,
                           &complete, err, sizeof err);
    CHECK(n > 0 && n < 36);
    CHECK(n > 0 && strcmp(out[0], "2025-09-05 10:00:00") >= 0);
    /* the start must be the rule's first occurrence */
    err[0] = '\0';
    n = event_rrule_expand("FREQ=WEEKLY;BYDAY=MO", "2026-10-17 19:00:00", now, 10, out,
                           &complete, err, sizeof err);
    CHECK(n == -1 && strstr(err, "first occurrence") && strstr(err, "2026-10-19"));
    n = event_rrule_expand("FREQ=WEEKLY", "2026-13-17 19:00", now, 10, out, &complete, err,
                           sizeof err);
    CHECK_INT(n, -1);

    char *lit = event_local_times_literal((const event_local_time[]){"2026-10-17 19:00:00",
                                                                    "2026-10-24 19:00:00"}, 2);
    CHECK_STR(lit, "{\"2026-10-17 19:00:00\",\"2026-10-24 19:00:00\"}");
    free(lit);
    lit = event_local_times_literal(NULL, 0);
    CHECK_STR(lit, "{}");
    free(lit);

    CHECK(event_tzid_supported("Europe/Athens"));
    CHECK(!event_tzid_supported("Mars/Olympus"));
    CHECK(!event_tzid_supported("europe/athens"));
    return check_summary();
}
