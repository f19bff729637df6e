/* SQL on events and their occurrences (sql/016_events.sql). PostgreSQL
 * builds the JSON; the writes carry their audit_log row and rewrite the
 * event's occurrences in the same statement.
 *
 * Who may write, and see drafts, is passed as TOURISM parameters: admin
 * (boolean), the caller's staff departments (bigint[] text, "{}" for none),
 * the served municipality code: admins and staff of its department
 * 'tourism'.
 *
 * Occurrences come from C (gis/event_recurrence.h) as OCCURRENCES
 * parameters: the local starts as a timestamp[] literal, the rule's UNTIL
 * as timestamptz|NULL (the exact cut), and whether the expansion is
 * complete (boolean; when not, expanded_until records the horizon). Each
 * occurrence lasts, on the wall clock, as long as the event's first. */
#ifndef POLIS_EVENTS_SQL_H
#define POLIS_EVENTS_SQL_H

/* $1 from, $2 to (RFC 3339 date or date-time text|NULL: now, from + 1
 * year; a date to is the end of that day), $3 the zone dates are read in,
 * $4 category|NULL, $5..$8 bbox|NULLs, $9 language, $10 after this start
 * (epoch seconds|NULL) and $11 occurrence id, $12 page size, $13 status
 * 'published', 'draft', 'archived' or NULL for all (anything but published
 * only for the tourism office), $14..$16 TOURISM. One row: (to before from,
 * range longer than a year and a day, features json array by start, more
 * exist, cursor of the last one shown "epoch_id", caller is the tourism
 * office). */
extern const char EVENT_LIST_SQL[];

/* $1 id, $2..$4 TOURISM. Zero or one row: (Feature with rrule, status and
 * the next 20 occurrences); drafts and archived ones only for TOURISM. */
extern const char EVENT_GET_SQL[];

/* $1..$3 TOURISM, $4 event id|NULL (create), $5 starts_at, $6 ends_at
 * (RFC 3339, or a local date-time without offset; NULL: unchanged), $7
 * tzid|NULL (unchanged), $8 venue POI id|NULL. One row: (may write, event
 * exists, zone, local start, local end "YYYY-MM-DD HH:MM:SS", end after
 * start, POI exists and is not archived, current rrule). */
extern const char EVENT_WRITE_CHECK_SQL[];

/* $1 the event as JSON: columns of events as members (title_el, ...,
 * tzid, rrule, category, venue_poi_id, ...) plus starts_local, ends_local
 * and lat/lon when the venue is a point; $2..$4 OCCURRENCES, $5..$8 the
 * actor (api/actor.h). One row: (id, Feature). */
extern const char EVENT_CREATE_SQL[];

/* $1 id, $2 the changes as JSON as for create (members present are set,
 * null clears; starts_local and ends_local always), $3..$5 OCCURRENCES,
 * $6..$9 the actor. Zero or one row: (Feature after the change). */
extern const char EVENT_UPDATE_SQL[];

/* $1 id, $2 'published' or 'archived', $3..$5 TOURISM, $6..$9 the actor.
 * One row: (may write, event exists, status before, Feature after the
 * change|NULL when it was in that status already). */
extern const char EVENT_STATUS_SQL[];

/* $1 language. Rows: (id, local start and end as YYYYMMDDTHHMMSS, tzid,
 * rrule, summary, description, location, lat, lon, url, DTSTAMP in UTC,
 * category) of published events with an occurrence that ended at most 90
 * days ago, by start. */
extern const char EVENT_ICAL_SQL[];

/* No parameters. Rows: (id, local start, rrule) of the events whose
 * occurrences need expanding again (cut at the horizon, or none yet). */
extern const char EVENT_REFRESH_LIST_SQL[];
enum event_refresh_list_col {
    EVENT_REFRESH_LIST_ID,
    EVENT_REFRESH_LIST_START, /* local start */
    EVENT_REFRESH_LIST_RRULE, /* NULL for a single occurrence */
};

/* $1 id, $2..$4 OCCURRENCES. Rewrites the event's occurrences; one row:
 * (how many). */
extern const char EVENT_REFRESH_SQL[];
enum event_refresh_param {
    EVENT_REFRESH_P_ID,
    EVENT_REFRESH_P_TIMES,    /* OCCURRENCES: local times literal */
    EVENT_REFRESH_P_UNTIL,    /* |NULL */
    EVENT_REFRESH_P_COMPLETE, /* boolean */
    EVENT_REFRESH_NPARAMS
};

#endif
