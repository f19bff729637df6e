/* Event recurrence (RFC 5545 RRULE) with libical: checking a rule and
 * expanding it into the local wall-clock starts of its occurrences.
 *
 * The expansion runs on a floating DTSTART (the event's local start in its
 * zone, no libical timezone): the rule repeats on the wall clock, and
 * PostgreSQL turns each local start into an instant (`local AT TIME ZONE
 * tzid`, gis/events_sql.c), so a weekly 19:00 stays at 19:00 across the DST
 * change. Only per-call libical objects are used (an iterator per call;
 * icalerrno is thread-local), so the functions are safe on any thread.
 *
 * Horizon: occurrences are materialised from one year before the write
 * (older ones are of no use to anyone) up to EVENT_HORIZON_DAYS after it,
 * and at most EVENT_OCCURRENCES_MAX per event (a daily rule over two years
 * fits). A rule that goes on beyond that is re-expanded on every write of
 * the event and by `polis events refresh` (run it daily, e.g. from cron). */
#ifndef POLIS_EVENT_RECURRENCE_H
#define POLIS_EVENT_RECURRENCE_H

#include <stddef.h>
#include <time.h>

#define EVENT_HORIZON_DAYS 730
#define EVENT_KEEP_PAST_DAYS 365
#define EVENT_OCCURRENCES_MAX 1000
#define EVENT_RRULE_MAX 500
#define EVENT_TZID_DEFAULT "Europe/Athens"

/* "YYYY-MM-DD HH:MM:SS": a local wall-clock time, as PostgreSQL's timestamp
 * text. */
#define EVENT_LOCAL_LEN 20
typedef char event_local_time[EVENT_LOCAL_LEN];

/* 1 when events accept the IANA zone tzid (one the iCalendar feed has a
 * VTIMEZONE for: api/ical_format.c). */
int event_tzid_supported(const char *tzid);

/* Checks an RRULE value ("FREQ=WEEKLY;COUNT=4"): FREQ DAILY, WEEKLY,
 * MONTHLY or YEARLY; INTERVAL, COUNT, UNTIL (a UTC date-time such as
 * 20261231T235959Z, as RFC 5545 asks when DTSTART has a TZID), BYDAY,
 * BYMONTHDAY, BYMONTH, WKST; no COUNT with UNTIL; then libical must accept
 * it. Returns 0, or -1 with a message in err saying what is wrong. When
 * until_utc is not NULL it receives UNTIL as RFC 3339 ("" without UNTIL;
 * room for 21 bytes). */
int event_rrule_check(const char *rrule, char *until_utc, char *err, size_t errlen);

/* Expands rrule (checked; NULL for a single occurrence) from dtstart, a
 * local time "YYYY-MM-DD HH:MM:SS", at write time now: the starts from now
 * - EVENT_KEEP_PAST_DAYS to now + EVENT_HORIZON_DAYS, at most max of them,
 * into out. dtstart must itself be the rule's first occurrence (RFC 5545
 * counts it as one; clients differ when it is not). Returns how many, or
 * -1 with a message in err. *complete is 1 when every occurrence of the
 * rule up to its end is in out (or before the kept window), 0 when the
 * horizon or max cut it. */
int event_rrule_expand(const char *rrule, const char *dtstart, time_t now, int max,
                       event_local_time *out, int *complete, char *err, size_t errlen);

/* out as a PostgreSQL array literal of timestamps ({"2026-10-17 19:00:00",...});
 * malloc'd, NULL when out of memory. */
char *event_local_times_literal(const event_local_time *times, int n);

#endif
