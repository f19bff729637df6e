/* SQL on report categories (sql/006_reports.sql): the list citizens pick
 * from, and the admin writes, each with its audit_log row in the same
 * statement. Categories belong to the served municipality (by code). */
#ifndef POLIS_CATEGORIES_SQL_H
#define POLIS_CATEGORIES_SQL_H

/* $1 served municipality code, $2 include inactive ones (boolean). One row:
 * (json array of categories, by code). */
extern const char CATEGORY_LIST_SQL[];

/* $1 served code, $2 code, $3 name_el, $4 name_en, $5 department code,
 * $6 icon, $7 active|NULL, $8 private|NULL, $9 fields jsonb|NULL, $10..$13
 * the actor (api/actor.h). One row: (department exists, category json
 * or NULL when the code is taken). */
extern const char CATEGORY_CREATE_SQL[];

/* $1 id, $2 served code, $3 name_el, $4 name_en, $5 department code,
 * $6 icon, $7 active, $8 private, $9 fields (each NULL: unchanged),
 * $10..$13 the actor. One row: (category exists, department exists or not
 * given, category json after the change). */
extern const char CATEGORY_UPDATE_SQL[];

#endif
