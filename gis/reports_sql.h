/* SQL on citizen reports (sql/006_reports.sql). PostGIS and PostgreSQL
 * build the JSON; callers pass the bytes through.
 *
 * Who is looking is passed to every read as three parameters, called
 * VIEWER below: user id|NULL, admin (boolean), staff departments (bigint[]
 * text such as "{3,4}", "{}" for none). A report's personal data (reporter,
 * contact details) is shown to its reporter, to staff of its department and
 * to admins; a private category's reports exist only for them. */
#ifndef POLIS_REPORTS_SQL_H
#define POLIS_REPORTS_SQL_H

/* Checks and files a report in one statement: $1 category code, $2 served
 * municipality code, $3 lat, $4 lon, $5 the category's extra fields (json
 * text, as column REPORT_CREATE_FIELDS gives them) that the attributes were
 * checked against, NULL to check only; $6 description, $7 address, $8
 * attributes (jsonb), $9 user id|NULL, $10 actor role, $11 contact name,
 * $12 email, $13 phone, $14 secret digest (bytea), $15 media URL|NULL, then
 * for an Idempotency-Key (all NULL without one): $16 caller, $17 key digest,
 * $18 request hash, $19 encrypted secret (bytea); $20 the language of mail
 * to an anonymous reporter ("el" or "en").
 *
 * Files only when the category exists and is active, the point lies in the
 * served municipality and the category's fields are still $5: the report
 * (its department by route_report(), sql/033_routing_rules.sql and
 * sql/045; its due_at by the category's target_hours), its first history
 * row, (signed in) the reporter as follower and the idempotency row. Always
 * one row: what was checked, and the new report's id and status, NULL when
 * nothing was filed. Fails with 23505 when the caller's key was used
 * meanwhile: nothing is filed then. */
extern const char REPORT_CREATE_SQL[];
enum report_create_param {
    REPORT_CREATE_P_CATEGORY,
    REPORT_CREATE_P_MUNICIPALITY,
    REPORT_CREATE_P_LAT,
    REPORT_CREATE_P_LON,
    REPORT_CREATE_P_FIELDS_SEEN,
    REPORT_CREATE_P_DESCRIPTION,
    REPORT_CREATE_P_ADDRESS,
    REPORT_CREATE_P_ATTRIBUTES,
    REPORT_CREATE_P_USER_ID,
    REPORT_CREATE_P_ACTOR_ROLE,
    REPORT_CREATE_P_CONTACT_NAME,
    REPORT_CREATE_P_CONTACT_EMAIL,
    REPORT_CREATE_P_CONTACT_PHONE,
    REPORT_CREATE_P_SECRET_DIGEST,
    REPORT_CREATE_P_MEDIA_URL,
    REPORT_CREATE_P_IDEM_CALLER,
    REPORT_CREATE_P_IDEM_KEY_DIGEST,
    REPORT_CREATE_P_IDEM_REQUEST_HASH,
    REPORT_CREATE_P_IDEM_SECRET_BOX,
    REPORT_CREATE_P_CONTACT_LANGUAGE,
    REPORT_CREATE_NPARAMS
};
enum report_create_col {
    REPORT_CREATE_CATEGORY_ID,  /* the category's id|NULL (no such code) */
    REPORT_CREATE_ACTIVE,       /* boolean: the category is active */
    REPORT_CREATE_FIELDS,       /* the category's extra fields (json array) */
    REPORT_CREATE_HIT_ID,       /* id of the municipality holding the point|NULL */
    REPORT_CREATE_HIT_CODE,     /* its code */
    REPORT_CREATE_HIT_NAME,     /* its name_el */
    REPORT_CREATE_MUNICIPALITY, /* the served municipality's id */
    REPORT_CREATE_ID,           /* the new report's id|NULL (not filed) */
    REPORT_CREATE_STATUS,       /* its status */
};

/* $1 caller, $2 key digest (bytea). Deletes expired keys (older than 24 h)
 * of everyone; zero or one row. */
extern const char REPORT_IDEMPOTENCY_FIND_SQL[];
enum report_idempotency_find_col {
    REPORT_IDEMPOTENCY_FIND_REQUEST_HASH, /* hex */
    REPORT_IDEMPOTENCY_FIND_REPORT_ID,
    REPORT_IDEMPOTENCY_FIND_STATUS,     /* the status it was filed with */
    REPORT_IDEMPOTENCY_FIND_SECRET_BOX, /* the encrypted secret, hex */
};

/* The parameters of REPORT_GET_SQL and REPORT_HISTORY_SQL: $1 id,
 * $2..$4 VIEWER, $5 secret digest|NULL. */
enum report_read_param {
    REPORT_READ_P_REPORT_ID,
    REPORT_READ_P_VIEWER, /* the three VIEWER parameters from here */
    REPORT_READ_P_SECRET_DIGEST = REPORT_READ_P_VIEWER + 3,
    REPORT_READ_NPARAMS
};

/* Parameters: enum report_read_param. Zero or one row. */
extern const char REPORT_GET_SQL[];
/* The one column of REPORT_GET_SQL and REPORT_HISTORY_SQL (api/reports.c
 * answers both with the same callback). */
enum report_read_col {
    REPORT_READ_BODY, /* GET: the report as a GeoJSON Feature; HISTORY: its timeline */
};

/* $1..$3 VIEWER, $4..$7 bbox|NULLs, $8 status, $9 category code,
 * $10 department code, $11 since, $12 until (timestamptz text; each filter
 * NULL for none), $13 start below this id (0: from the newest), $14 page
 * size, $15 text|NULL (in the description or address, folded: any case,
 * accents, Greek or Latin letters; or the report id), $16 assignee user id|NULL,
 * $17 overdue (boolean)|NULL. Staff of a report's department and admins also
 * see its due_at, overdue and assignee. One row, the columns of enum
 * geojson_page_col (api/geojson_page.h). */
extern const char REPORT_LIST_SQL[];
enum report_list_param {
    REPORT_LIST_P_VIEWER_USER,
    REPORT_LIST_P_VIEWER_ADMIN,
    REPORT_LIST_P_VIEWER_DEPARTMENTS,
    REPORT_LIST_P_WEST,
    REPORT_LIST_P_SOUTH,
    REPORT_LIST_P_EAST,
    REPORT_LIST_P_NORTH,
    REPORT_LIST_P_STATUS,
    REPORT_LIST_P_CATEGORY,
    REPORT_LIST_P_DEPARTMENT,
    REPORT_LIST_P_SINCE,
    REPORT_LIST_P_UNTIL,
    REPORT_LIST_P_AFTER,
    REPORT_LIST_P_LIMIT,
    REPORT_LIST_P_TEXT,
    REPORT_LIST_P_ASSIGNEE,
    REPORT_LIST_P_OVERDUE,
    REPORT_LIST_NPARAMS
};

/* $1 user id, $2 start below this id (0: newest), $3 page size. The user's
 * own reports, newest first, each with "following" and "last_event" (the
 * public part of its latest history row). One row, the columns of
 * enum geojson_page_col (api/geojson_page.h). */
extern const char REPORT_MINE_SQL[];
enum report_mine_param {
    REPORT_MINE_P_USER_ID,
    REPORT_MINE_P_AFTER,
    REPORT_MINE_P_LIMIT,
    REPORT_MINE_NPARAMS
};

/* $1 lat, $2 lon, $3 category code, $4 radius in metres, $5..$7 VIEWER,
 * $8 served municipality code, $9 at most this many. One row. */
extern const char REPORT_NEARBY_SQL[];
enum report_nearby_param {
    REPORT_NEARBY_P_LAT,
    REPORT_NEARBY_P_LON,
    REPORT_NEARBY_P_CATEGORY,
    REPORT_NEARBY_P_RADIUS,
    REPORT_NEARBY_P_VIEWER_USER,
    REPORT_NEARBY_P_VIEWER_ADMIN,
    REPORT_NEARBY_P_VIEWER_DEPARTMENTS,
    REPORT_NEARBY_P_MUNICIPALITY,
    REPORT_NEARBY_P_LIMIT,
    REPORT_NEARBY_NPARAMS
};
enum report_nearby_col {
    REPORT_NEARBY_CATEGORY_EXISTS, /* boolean */
    REPORT_NEARBY_FEATURES,        /* json array, nearest first, each with distance_m */
};

/* $1 report id, $2 user id, $3..$4 admin, departments. One support per
 * account, idempotent; the supporter follows the report. Zero rows when the
 * report does not exist for them; else one row. */
extern const char REPORT_SUPPORT_SQL[];
enum report_support_param {
    REPORT_SUPPORT_P_REPORT_ID,
    REPORT_SUPPORT_P_VIEWER, /* VIEWER from here: the user id (the supporter), admin, departments */
    REPORT_SUPPORT_NPARAMS = REPORT_SUPPORT_P_VIEWER + 3
};
enum report_support_col {
    REPORT_SUPPORT_ID,
    REPORT_SUPPORT_COUNT, /* support_count after this support */
    REPORT_SUPPORT_NEW,   /* boolean: this support is new */
};

/* $1 report id, $2 department code|NULL, $3 duplicate_of|NULL, $4 served
 * municipality code. Zero or one row. */
extern const char REPORT_TRANSITION_LOAD_SQL[];
enum report_transition_load_param {
    REPORT_TRANSITION_LOAD_P_REPORT_ID,
    REPORT_TRANSITION_LOAD_P_DEPARTMENT,
    REPORT_TRANSITION_LOAD_P_DUPLICATE_OF,
    REPORT_TRANSITION_LOAD_P_MUNICIPALITY,
    REPORT_TRANSITION_LOAD_NPARAMS
};
enum report_transition_load_col {
    REPORT_TRANSITION_LOAD_STATUS,
    REPORT_TRANSITION_LOAD_DEPARTMENT_ID,
    REPORT_TRANSITION_LOAD_REPORTER_ID,     /* NULL when filed anonymously */
    REPORT_TRANSITION_LOAD_PRIVATE,         /* boolean: its category is private */
    REPORT_TRANSITION_LOAD_REOPENABLE,      /* boolean: resolved within the reopen window */
    REPORT_TRANSITION_LOAD_NEW_DEPARTMENT,  /* id of the department asked for|NULL */
    REPORT_TRANSITION_LOAD_DUPLICATE_FOUND, /* boolean: duplicate_of exists */
};

/* $1 id, $2 status expected now, $3 new status, $4 new department id|NULL,
 * $5 duplicate_of|NULL, $6 actor user id, $7 actor role, $8 public comment,
 * $9 internal note. Zero rows when the status changed meanwhile; else one row. */
extern const char REPORT_TRANSITION_SQL[];
enum report_transition_param {
    REPORT_TRANSITION_P_REPORT_ID,
    REPORT_TRANSITION_P_FROM,
    REPORT_TRANSITION_P_TO,
    REPORT_TRANSITION_P_DEPARTMENT_ID,
    REPORT_TRANSITION_P_DUPLICATE_OF,
    REPORT_TRANSITION_P_ACTOR_ID,
    REPORT_TRANSITION_P_ACTOR_ROLE,
    REPORT_TRANSITION_P_COMMENT,
    REPORT_TRANSITION_P_NOTE,
    REPORT_TRANSITION_NPARAMS
};
enum report_transition_col {
    REPORT_TRANSITION_ID,
    REPORT_TRANSITION_STATUS,
    REPORT_TRANSITION_DEPARTMENT, /* the department's code after the move */
    REPORT_TRANSITION_HISTORY_ID,
    REPORT_TRANSITION_AT, /* when, RFC 3339 */
};

/* Parameters: enum report_read_param. Zero or one row, enum
 * report_read_col: the timeline (report_id, status, events); internal notes
 * only for staff of the department and admins. */
extern const char REPORT_HISTORY_SQL[];

/* $1 user id, $2 start below this id (0: newest), $3 page size. One row. */
extern const char INBOX_PAGE_SQL[];
enum inbox_page_col {
    INBOX_PAGE_UNREAD,  /* count of unread items */
    INBOX_PAGE_ITEMS,   /* json array, newest first */
    INBOX_PAGE_MORE,    /* boolean: older items exist */
    INBOX_PAGE_LAST_ID, /* id of the last item shown (the next page's after=) */
};

/* $1 inbox id, $2 user id. Zero or one row when it is theirs. */
extern const char INBOX_READ_SQL[];
enum inbox_read_col {
    INBOX_READ_ID,
};

#endif
