/* SQL on subscriptions and followers (sql/012_subscriptions.sql,
 * sql/006_reports.sql): what a signed-in user follows. Matching reports'
 * events reach their inbox through the trigger on report_history. */
#ifndef POLIS_SUBSCRIPTIONS_SQL_H
#define POLIS_SUBSCRIPTIONS_SQL_H

/* $1 user id, $2 kind (category|area|report), $3 category code|NULL (an
 * area's is optional and narrows it to that category, sql/018),
 * $4 lat|NULL, $5 lon|NULL, $6 radius in metres|NULL, $7 polygon as GeoJSON
 * text|NULL, $8 largest area in km², $9 served municipality code,
 * $10 report id|NULL, $11 admin, $12 staff departments ("{1,2}").
 * One row: (category exists, report exists and is visible to the user,
 * area valid (true when none), area in km², new subscription id|NULL, id of
 * the same subscription made before|NULL). */
extern const char SUBSCRIPTION_CREATE_SQL[];

/* $1 user id. One row: (json array of the user's subscriptions, oldest first). */
extern const char SUBSCRIPTION_LIST_SQL[];

/* $1 subscription id, $2 user id. Zero or one row (id) when it was theirs. */
extern const char SUBSCRIPTION_DELETE_SQL[];

/* $1 report id, $2 user id, $3 admin, $4 staff departments. Zero rows when
 * the report is not visible to the user; else (id, newly followed). */
extern const char REPORT_FOLLOW_SQL[];

/* $1 report id, $2 user id. One row: (follows and report subscriptions removed). */
extern const char REPORT_UNFOLLOW_SQL[];

#endif
