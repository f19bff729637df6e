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

#include "common/audit_actor.h"

/* $1 from, $2 to (RFC 3339 date or date-time text|NULL: now, from + 1
 * year; a date to is the end of that day), $3 the zone dates are read in,
 * $4 category|NULL, $5..$8 bbox|NULLs, $9 language, $10 after this start
 * (epoch seconds|NULL) and $11 occurrence id, $12 page size, $13 status
 * 'published', 'draft', 'archived' or NULL for all (anything but published
 * only for the tourism office), $14..$16 TOURISM. One row. */
extern const char EVENT_LIST_SQL[];
enum event_list_param {
    EVENT_LIST_P_FROM,
    EVENT_LIST_P_TO,
    EVENT_LIST_P_ZONE,
    EVENT_LIST_P_CATEGORY,
    EVENT_LIST_P_BBOX, /* 4 slots: minlon, minlat, maxlon, maxlat */
    EVENT_LIST_P_LANG = EVENT_LIST_P_BBOX + 4,
    EVENT_LIST_P_AFTER_START,
    EVENT_LIST_P_AFTER_ID,
    EVENT_LIST_P_LIMIT,
    EVENT_LIST_P_STATUS,
    EVENT_LIST_P_TOURISM, /* 3 slots: TOURISM */
    EVENT_LIST_NPARAMS = EVENT_LIST_P_TOURISM + 3
};
enum event_list_col {
    EVENT_LIST_TO_BEFORE_FROM, /* boolean */
    EVENT_LIST_RANGE_TOO_LONG, /* boolean: longer than a year and a day */
    EVENT_LIST_FEATURES,       /* json array by start */
    EVENT_LIST_MORE,           /* boolean: more exist */
    EVENT_LIST_LAST_CURSOR,    /* of the last one shown, "epoch_id" */
    EVENT_LIST_TOURISM,        /* boolean: the caller is the tourism office */
};

/* $1 id, $2..$4 TOURISM. Zero or one row; drafts and archived ones only
 * for TOURISM. */
extern const char EVENT_GET_SQL[];
enum event_get_param {
    EVENT_GET_P_ID,
    EVENT_GET_P_TOURISM, /* 3 slots */
    EVENT_GET_NPARAMS = EVENT_GET_P_TOURISM + 3
};
enum event_get_col {
    EVENT_GET_FEATURE, /* with rrule, status and the next 20 occurrences */
};

/* $1..$3 TOURISM, $4 event id|NULL (create), $5 starts_at, $6 ends_at
 * (RFC 3339, or a local date-time without offset; NULL: unchanged), $7
 * tzid|NULL (unchanged), $8 venue POI id|NULL. One row. */
extern const char EVENT_WRITE_CHECK_SQL[];
enum event_write_check_param {
    EVENT_WRITE_CHECK_P_TOURISM, /* 3 slots */
    EVENT_WRITE_CHECK_P_ID = EVENT_WRITE_CHECK_P_TOURISM + 3,
    EVENT_WRITE_CHECK_P_STARTS,
    EVENT_WRITE_CHECK_P_ENDS,
    EVENT_WRITE_CHECK_P_TZID,
    EVENT_WRITE_CHECK_P_POI,
    EVENT_WRITE_CHECK_NPARAMS
};
enum event_write_check_col {
    EVENT_WRITE_CHECK_MAY_WRITE,       /* boolean */
    EVENT_WRITE_CHECK_EXISTS,          /* boolean: the event exists */
    EVENT_WRITE_CHECK_ZONE,            /* tzid */
    EVENT_WRITE_CHECK_START_LOCAL,     /* "YYYY-MM-DD HH:MM:SS" */
    EVENT_WRITE_CHECK_END_LOCAL,       /* "YYYY-MM-DD HH:MM:SS" */
    EVENT_WRITE_CHECK_END_AFTER_START, /* boolean */
    EVENT_WRITE_CHECK_POI_OK,          /* boolean: the POI exists and is not archived */
    EVENT_WRITE_CHECK_RRULE,           /* the current rrule|NULL */
};

/* $1 the event as JSON: columns of events as members (title_el, ...,
 * tzid, rrule, category, venue_poi_id, ...) plus starts_local, ends_local
 * and lat/lon when the venue is a point; $2..$4 OCCURRENCES, $5..$8 the
 * actor (api/actor.h): enum event_write_param. One row. */
extern const char EVENT_CREATE_SQL[];
/* The parameters of EVENT_CREATE_SQL, and of EVENT_UPDATE_SQL after its id. */
enum event_write_param {
    EVENT_WRITE_P_EVENT,  /* the event, or the changes, as JSON */
    EVENT_WRITE_P_STARTS, /* OCCURRENCES */
    EVENT_WRITE_P_UNTIL,
    EVENT_WRITE_P_COMPLETE,
    EVENT_WRITE_P_ACTOR,  /* 4 slots, as actor_args fills them */
    EVENT_WRITE_NPARAMS = EVENT_WRITE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum event_create_col {
    EVENT_CREATE_ID,
    EVENT_CREATE_FEATURE,
};

/* $1 id, $2 the changes as JSON as for create (members present are set,
 * null clears; starts_local and ends_local always), $3..$5 OCCURRENCES,
 * $6..$9 the actor: $1, then enum event_write_param. Zero or one row. */
extern const char EVENT_UPDATE_SQL[];
enum event_update_param {
    EVENT_UPDATE_P_ID,
    EVENT_UPDATE_P_WRITE, /* enum event_write_param from here */
    EVENT_UPDATE_NPARAMS = EVENT_UPDATE_P_WRITE + EVENT_WRITE_NPARAMS
};
enum event_update_col {
    EVENT_UPDATE_FEATURE, /* after the change */
};

/* $1 id, $2 'published' or 'archived', $3..$5 TOURISM, $6..$9 the actor.
 * One row. */
extern const char EVENT_STATUS_SQL[];
enum event_status_param {
    EVENT_STATUS_P_ID,
    EVENT_STATUS_P_STATUS,
    EVENT_STATUS_P_TOURISM, /* 3 slots */
    EVENT_STATUS_P_ACTOR = EVENT_STATUS_P_TOURISM + 3, /* 4 slots */
    EVENT_STATUS_NPARAMS = EVENT_STATUS_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum event_status_col {
    EVENT_STATUS_MAY_WRITE, /* boolean */
    EVENT_STATUS_EXISTS,    /* boolean: the event exists */
    EVENT_STATUS_BEFORE,    /* the status before */
    EVENT_STATUS_FEATURE,   /* after the change|NULL when it was in that status already */
};

/* $1 language. Rows of published events with an occurrence that ended at
 * most 90 days ago, by start. */
extern const char EVENT_ICAL_SQL[];
enum event_ical_col {
    EVENT_ICAL_ID,
    EVENT_ICAL_START,   /* local, YYYYMMDDTHHMMSS */
    EVENT_ICAL_END,     /* local, YYYYMMDDTHHMMSS */
    EVENT_ICAL_TZID,
    EVENT_ICAL_RRULE,   /* |NULL */
    EVENT_ICAL_SUMMARY,
    EVENT_ICAL_DESCRIPTION,
    EVENT_ICAL_LOCATION,
    EVENT_ICAL_LAT,
    EVENT_ICAL_LON,
    EVENT_ICAL_URL,     /* |NULL */
    EVENT_ICAL_DTSTAMP, /* UTC */
    EVENT_ICAL_CATEGORY,
};

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
