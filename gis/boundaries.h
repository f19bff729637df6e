/* Queries on administrative boundaries (table boundaries, sql/001_core.sql).
 * PostGIS builds the GeoJSON; callers pass the bytes through unchanged. */
#ifndef POLIS_BOUNDARIES_H
#define POLIS_BOUNDARIES_H

/* $1 lat, $2 lon (text numbers). One row: (found boolean, answer json text)
 * where answer is {"lat","lon","municipality":{...}|null,"unit":{...}|null}. */
extern const char BOUNDARIES_LOCATE_SQL[];

/* $1 level or NULL, $2..$5 bbox (minlon, minlat, maxlon, maxlat) or NULLs,
 * $6 id to start after (keyset paging), $7 page size. Up to $7 + 1 rows of
 * (id, Feature json text); the extra row only says that more exist, and its
 * feature column is NULL. */
extern const char BOUNDARIES_PAGE_SQL[];

/* $1 id. Zero or one row: (Feature json text). */
extern const char BOUNDARIES_GET_SQL[];

#endif
