/* SQL on report categories (sql/006_reports.sql): the list citizens pick
 * from, and the admin writes, each with its audit_log row in the same
 * statement. Categories belong to the served municipality (by code). */
#ifndef POLIS_CATEGORIES_SQL_H
#define POLIS_CATEGORIES_SQL_H

#include "common/audit_actor.h"

/* $1 served municipality code, $2 include inactive ones (boolean). One row. */
extern const char CATEGORY_LIST_SQL[];
enum category_list_col {
    CATEGORY_LIST_ITEMS, /* json array of categories, by code */
};

/* The parameters of CATEGORY_CREATE_SQL and CATEGORY_UPDATE_SQL, in the
 * same places: $1 served code, $2 the category (create: its new code;
 * update: its id), $3 name_el, $4 name_en, $5 department code, $6 icon,
 * $7 active, $8 private, $9 fields jsonb, $10 target_hours (an integer as
 * text, "none" for no target, NULL: the default none / unchanged), $11..$14
 * the actor (api/actor.h). */
enum category_write_param {
    CATEGORY_WRITE_P_MUNICIPALITY,
    CATEGORY_WRITE_P_CATEGORY,
    CATEGORY_WRITE_P_NAME_EL,
    CATEGORY_WRITE_P_NAME_EN,
    CATEGORY_WRITE_P_DEPARTMENT,
    CATEGORY_WRITE_P_ICON,
    CATEGORY_WRITE_P_ACTIVE,
    CATEGORY_WRITE_P_PRIVATE,
    CATEGORY_WRITE_P_FIELDS,
    CATEGORY_WRITE_P_TARGET_HOURS,
    CATEGORY_WRITE_P_ACTOR, /* the four actor parameters from here */
    CATEGORY_WRITE_NPARAMS = CATEGORY_WRITE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};

/* Parameters: enum category_write_param; active, private and fields NULL
 * for the defaults. One row. */
extern const char CATEGORY_CREATE_SQL[];
enum category_create_col {
    CATEGORY_CREATE_DEPARTMENT_FOUND, /* boolean */
    CATEGORY_CREATE_JSON,             /* the category|NULL when the code is taken */
};

/* Parameters: enum category_write_param, each member NULL: unchanged. One row. */
extern const char CATEGORY_UPDATE_SQL[];
enum category_update_col {
    CATEGORY_UPDATE_FOUND,            /* boolean: the category exists */
    CATEGORY_UPDATE_DEPARTMENT_FOUND, /* boolean: it exists or none was given */
    CATEGORY_UPDATE_JSON,             /* the category after the change */
};

#endif
