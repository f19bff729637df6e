/* Queries on administrative boundaries (table boundaries, sql/001_core.sql).
 * PostGIS builds the GeoJSON; callers pass the bytes through unchanged. */
#ifndef POLIS_BOUNDARIES_H
#define POLIS_BOUNDARIES_H

/* $1 lat, $2 lon (text numbers). One row. */
extern const char BOUNDARIES_LOCATE_SQL[];
enum boundaries_locate_col {
    BOUNDARIES_LOCATE_FOUND,  /* boolean: a municipality holds the point */
    BOUNDARIES_LOCATE_ANSWER, /* {"lat","lon","municipality":{...}|null,"unit":{...}|null} */
};

/* $1 level or NULL, $2..$5 bbox (minlon, minlat, maxlon, maxlat) or NULLs,
 * $6 id to start after (keyset paging), $7 page size. Up to $7 + 1 rows;
 * the extra row only says that more exist, and its feature is NULL. */
extern const char BOUNDARIES_PAGE_SQL[];
enum boundaries_page_param {
    BOUNDARIES_PAGE_P_LEVEL,
    BOUNDARIES_PAGE_P_BBOX, /* 4 slots: minlon, minlat, maxlon, maxlat */
    BOUNDARIES_PAGE_P_AFTER = BOUNDARIES_PAGE_P_BBOX + 4,
    BOUNDARIES_PAGE_P_LIMIT,
    BOUNDARIES_PAGE_NPARAMS
};
enum boundaries_page_col {
    BOUNDARIES_PAGE_ID,
    BOUNDARIES_PAGE_FEATURE, /* Feature json text */
};

/* $1 id. Zero or one row. */
extern const char BOUNDARIES_GET_SQL[];
enum boundaries_get_col {
    BOUNDARIES_GET_FEATURE, /* Feature json text */
};

#endif
