/* SQL on schools and school zones (sql/017_schools.sql) for the HTTP API.
 * PostGIS builds the JSON; callers pass the bytes through. $lang is 'el' or
 * 'en': it picks the "name" and "level_name" shown next to name_el/name_en. */
#ifndef POLIS_SCHOOLS_SQL_H
#define POLIS_SCHOOLS_SQL_H

/* The level codes in school order, NULL-terminated: the rows of the table
 * school_levels (a test compares the two). */
extern const char *const school_levels[];

/* $1 level|NULL, $2..$5 bbox|NULLs (minlon, minlat, maxlon, maxlat), $6
 * start after this id (0: from the first), $7 page size, $8 lang. One row,
 * in the order api/geojson_page.h reads. */
extern const char SCHOOL_LIST_SQL[];
enum school_list_param {
    SCHOOL_LIST_P_LEVEL,
    SCHOOL_LIST_P_BBOX, /* 4 slots: minlon, minlat, maxlon, maxlat */
    SCHOOL_LIST_P_AFTER = SCHOOL_LIST_P_BBOX + 4,
    SCHOOL_LIST_P_LIMIT,
    SCHOOL_LIST_P_LANG,
    SCHOOL_LIST_NPARAMS
};
enum school_list_col {
    SCHOOL_LIST_FEATURES, /* json array by id */
    SCHOOL_LIST_MORE,     /* boolean: more exist */
    SCHOOL_LIST_LAST_ID,  /* id of the last one shown */
};

/* $1 id, $2 lang. Zero or one row. */
extern const char SCHOOL_GET_SQL[];
enum school_get_col {
    SCHOOL_GET_FEATURE, /* Feature, with a summary of its zones */
};

/* $1 lat, $2 lon, $3 level|NULL, $4 lang. One row (school_zone_col). The
 * answer is {lat, lon, municipality, schools: [{level, level_name,
 * distance_m, zone: {id, provisional, source}, school: Feature}] in level
 * order, missing_levels: [codes with no zone here]}; per level the school of
 * a real zone wins over a provisional one, then the nearest. */
extern const char SCHOOL_ZONE_SQL[];
enum school_zone_param {
    SCHOOL_ZONE_P_LAT,
    SCHOOL_ZONE_P_LON,
    SCHOOL_ZONE_P_LEVEL,
    SCHOOL_ZONE_P_LANG,
    SCHOOL_ZONE_NPARAMS
};
enum school_zone_col {
    SCHOOL_ZONE_ANSWER,            /* json, NULL when no zone of the level(s) holds the point */
    SCHOOL_ZONE_MUNICIPALITY,      /* name_el of the municipality holding it|NULL */
    SCHOOL_ZONE_MUNICIPALITY_CODE, /* its code */
    SCHOOL_ZONE_ZONES,             /* how many zones of the level(s) it has */
};

#endif
