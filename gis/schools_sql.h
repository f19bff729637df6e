/* SQL on schools and school zones (sql/017_schools.sql) for the HTTP API.
 * PostGIS builds the JSON; callers pass the bytes through. $lang is 'el' or
 * 'en': it picks the "name" and "level_name" shown next to name_el/name_en. */
#ifndef POLIS_SCHOOLS_SQL_H
#define POLIS_SCHOOLS_SQL_H

/* The level codes in school order, NULL-terminated: the rows of the table
 * school_levels (a test compares the two). */
extern const char *const school_levels[];

/* $1 level|NULL, $2..$5 bbox|NULLs, $6 start after this id (0: from the
 * first), $7 page size, $8 lang. One row: (features json array by id, more
 * exist, last id shown). */
extern const char SCHOOL_LIST_SQL[];

/* $1 id, $2 lang. Zero or one row: (Feature, with a summary of its zones). */
extern const char SCHOOL_GET_SQL[];

/* $1 lat, $2 lon, $3 level|NULL, $4 lang. One row: (answer json or NULL when
 * no zone of the level(s) holds the point, name_el of the municipality
 * holding it|NULL, its code, how many zones of the level(s) it has). The
 * answer is {lat, lon, municipality, schools: [{level, level_name,
 * distance_m, zone: {id, provisional, source}, school: Feature}] in level
 * order, missing_levels: [codes with no zone here]}; per level the school of
 * a real zone wins over a provisional one, then the nearest. */
extern const char SCHOOL_ZONE_SQL[];

#endif
