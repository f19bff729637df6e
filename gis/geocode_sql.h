/* The geocoder's SQL (api/geocode.c) over the basemap (sql/031_basemap.sql)
 * and the published POIs: text folded as POI search folds it
 * (polis_search_norm / polis_search_fold, sql/015_pois.sql), so case,
 * accents and Greek or Greeklish (ELOT 743) spelling do not matter, and
 * small typos are matched by trigram word similarity (pg_trgm). */
#ifndef POLIS_GEOCODE_SQL_H
#define POLIS_GEOCODE_SQL_H

/* The longest q= in bytes. */
#define GEOCODE_Q_MAX 200
/* limit=: 1..GEOCODE_LIMIT_MAX, GEOCODE_LIMIT_DEFAULT when absent. */
#define GEOCODE_LIMIT_MAX 50
#define GEOCODE_LIMIT_DEFAULT 10
/* Reverse geocoding looks this far (metres) for an address, then a street. */
#define GEOCODE_REVERSE_RADIUS_M 100

/* Search. The query text is read as "street number" or "number street"
 * when it ends or starts with a house number, and as a whole as well.
 * Addresses with that number on a matching street come first; when the
 * number is not known, a point interpolated along the street between the
 * nearest lower and higher known numbers (interpolated: true); then
 * streets, places and published POIs. Ranked by score (match quality: 1
 * the query is a whole word of the name, 0.9 the start of a word, 0.8 a
 * part, below that by trigram similarity), then by distance to near when
 * given. One row. */
extern const char GEOCODE_SQL[];
enum geocode_param {
    GEOCODE_P_Q,
    GEOCODE_P_LAT, /* near=, or NULL */
    GEOCODE_P_LON,
    GEOCODE_P_LIMIT,
    GEOCODE_NPARAMS
};
enum geocode_col {
    GEOCODE_ANSWER, /* a GeoJSON FeatureCollection, properties {label, kind, street,
                     * housenumber, score, interpolated, distance_m}; and basemap_loaded
                     * (false: no streets imported, so only POIs can be found) */
};

/* Reverse: the nearest address within GEOCODE_REVERSE_RADIUS_M, else the
 * nearest named street. One row. */
extern const char GEOCODE_REVERSE_SQL[];
enum geocode_reverse_param {
    GEOCODE_REVERSE_P_LAT,
    GEOCODE_REVERSE_P_LON,
    GEOCODE_REVERSE_NPARAMS
};
enum geocode_reverse_col {
    GEOCODE_REVERSE_FOUND,  /* boolean */
    GEOCODE_REVERSE_ANSWER, /* a GeoJSON Feature, properties {label, kind, street,
                             * housenumber, distance_m}; NULL when not found */
};

#endif
