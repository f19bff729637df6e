/* SQL on subscriptions and followers (sql/012_subscriptions.sql,
 * sql/006_reports.sql): what a signed-in user follows. Matching reports'
 * events reach their inbox through the trigger on report_history. */
#ifndef POLIS_SUBSCRIPTIONS_SQL_H
#define POLIS_SUBSCRIPTIONS_SQL_H

/* $1 user id, $2 kind (category|area|report), $3 category code|NULL (an
 * area's is optional and narrows it to that category, sql/018),
 * $4 lat|NULL, $5 lon|NULL, $6 radius in metres|NULL, $7 polygon as GeoJSON
 * text|NULL, $8 largest area in km², $9 served municipality code,
 * $10 report id|NULL, $11 admin, $12 staff departments ("{1,2}"). One row. */
extern const char SUBSCRIPTION_CREATE_SQL[];
enum subscription_create_param {
    SUBSCRIPTION_CREATE_P_USER_ID,
    SUBSCRIPTION_CREATE_P_KIND,
    SUBSCRIPTION_CREATE_P_CATEGORY,
    SUBSCRIPTION_CREATE_P_LAT,
    SUBSCRIPTION_CREATE_P_LON,
    SUBSCRIPTION_CREATE_P_RADIUS,
    SUBSCRIPTION_CREATE_P_POLYGON,
    SUBSCRIPTION_CREATE_P_MAX_KM2,
    SUBSCRIPTION_CREATE_P_MUNICIPALITY,
    SUBSCRIPTION_CREATE_P_REPORT_ID,
    SUBSCRIPTION_CREATE_P_ADMIN,
    SUBSCRIPTION_CREATE_P_DEPARTMENTS,
    SUBSCRIPTION_CREATE_NPARAMS
};
enum subscription_create_col {
    SUBSCRIPTION_CREATE_CATEGORY_FOUND, /* boolean: the category exists */
    SUBSCRIPTION_CREATE_REPORT_FOUND,   /* boolean: the report exists and the user sees it */
    SUBSCRIPTION_CREATE_AREA_VALID,     /* boolean, true when there is no area */
    SUBSCRIPTION_CREATE_AREA_KM2,
    SUBSCRIPTION_CREATE_NEW_ID,      /* the new subscription's id|NULL */
    SUBSCRIPTION_CREATE_EXISTING_ID, /* id of the same subscription made before|NULL */
};

/* $1 user id. One row. */
extern const char SUBSCRIPTION_LIST_SQL[];
enum subscription_list_col {
    SUBSCRIPTION_LIST_ITEMS, /* json array of the user's subscriptions, oldest first */
};

/* $1 subscription id, $2 user id. Zero or one row when it was theirs. */
extern const char SUBSCRIPTION_DELETE_SQL[];
enum subscription_delete_col {
    SUBSCRIPTION_DELETE_ID,
};

/* $1 report id, $2 user id, $3 admin, $4 staff departments. Zero rows when
 * the report is not visible to the user; else one row. */
extern const char REPORT_FOLLOW_SQL[];
enum report_follow_param {
    REPORT_FOLLOW_P_REPORT_ID,
    REPORT_FOLLOW_P_USER_ID,
    REPORT_FOLLOW_P_ADMIN,
    REPORT_FOLLOW_P_DEPARTMENTS,
    REPORT_FOLLOW_NPARAMS
};
enum report_follow_col {
    REPORT_FOLLOW_ID,
    REPORT_FOLLOW_NEW, /* boolean: newly followed */
};

/* $1 report id, $2 user id. One row. */
extern const char REPORT_UNFOLLOW_SQL[];
enum report_unfollow_col {
    REPORT_UNFOLLOW_REMOVED, /* count of follows and report subscriptions removed */
};

#endif
