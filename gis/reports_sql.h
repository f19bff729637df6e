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

/* $1 category code, $2 served municipality code, $3 lat, $4 lon. One row:
 * (category id|NULL, active, fields json, id of the municipality holding
 * the point|NULL, its code, its name_el, the served municipality's id). */
extern const char REPORT_CREATE_CHECK_SQL[];

/* $1 category id, $2 lat, $3 lon, $4 description, $5 address, $6 attributes
 * (jsonb), $7 user id|NULL, $8 actor role, $9 contact name, $10 email,
 * $11 phone, $12 secret digest (bytea), $13 municipality id, $14 media URL|NULL,
 * then for an Idempotency-Key (all NULL without one): $15 caller, $16 key
 * digest, $17 request hash, $18 encrypted secret (bytea). Inserts the
 * report, its first history row, (signed in) the reporter as follower and
 * the idempotency row. Zero rows when the category was deactivated
 * meanwhile; else (id, status). Fails with 23505 when the caller's key was
 * used meanwhile: nothing is filed then. */
extern const char REPORT_CREATE_SQL[];
#define REPORT_CREATE_PARAMS 18

/* $1 caller, $2 key digest (bytea). Deletes expired keys (older than 24 h)
 * of everyone; zero or one row: (request hash hex, report id, status,
 * encrypted secret hex). */
extern const char REPORT_IDEMPOTENCY_FIND_SQL[];

/* $1 id, $2..$4 VIEWER, $5 secret digest|NULL. Zero or one row: (Feature). */
extern const char REPORT_GET_SQL[];

/* $1..$3 VIEWER, $4..$7 bbox|NULLs, $8 status, $9 category code,
 * $10 department code, $11 since, $12 until (timestamptz text; each filter
 * NULL for none), $13 start below this id (0: from the newest), $14 page
 * size, $15 text|NULL (in the description or address, folded: any case,
 * accents, Greek or Latin letters; or the report id). One row: (features
 * json array, more exist, last id shown). */
extern const char REPORT_LIST_SQL[];

/* $1 user id, $2 start below this id (0: newest), $3 page size. The user's
 * own reports, newest first, each with "following" and "last_event" (the
 * public part of its latest history row). One row: (features json array,
 * more exist, last id shown). */
extern const char REPORT_MINE_SQL[];

/* $1 lat, $2 lon, $3 category code, $4 radius in metres, $5..$7 VIEWER,
 * $8 served municipality code, $9 at most this many. One row: (category
 * exists, features json array nearest first, each with distance_m). */
extern const char REPORT_NEARBY_SQL[];

/* $1 report id, $2 user id, $3..$4 admin, departments. One support per
 * account, idempotent; the supporter follows the report. Zero rows when the
 * report does not exist for them; else (id, support_count, new support). */
extern const char REPORT_SUPPORT_SQL[];

/* $1 report id, $2 department code|NULL, $3 duplicate_of|NULL, $4 served
 * municipality code. Zero or one row: (status, department id, reporter id,
 * private, resolved within the reopen window, new department id|NULL,
 * duplicate_of exists). */
extern const char REPORT_TRANSITION_LOAD_SQL[];

/* $1 id, $2 status expected now, $3 new status, $4 new department id|NULL,
 * $5 duplicate_of|NULL, $6 actor user id, $7 actor role, $8 public comment,
 * $9 internal note. Zero rows when the status changed meanwhile; else
 * (id, status, department code, history id, at). */
extern const char REPORT_TRANSITION_SQL[];

/* $1 id, $2..$4 VIEWER, $5 secret digest|NULL. Zero or one row: (timeline
 * json); internal notes only for staff of the department and admins. */
extern const char REPORT_HISTORY_SQL[];

/* $1 user id, $2 start below this id (0: newest), $3 page size. One row. */
extern const char INBOX_PAGE_SQL[];
enum inbox_page_col {
    INBOX_PAGE_UNREAD,  /* count of unread items */
    INBOX_PAGE_ITEMS,   /* json array, newest first */
    INBOX_PAGE_MORE,    /* boolean: older items exist */
    INBOX_PAGE_LAST_ID, /* id of the last item shown (the next page's after=) */
};

/* $1 inbox id, $2 user id. Zero or one row (id) when it is theirs. */
extern const char INBOX_READ_SQL[];

#endif
