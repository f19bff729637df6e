/* The answer of a GeoJSON list with keyset paging (reports, schools): the
 * features the SQL built, as a FeatureCollection with a "self" link and,
 * while more exist, a "next" link that repeats the filters and starts
 * after the last id shown. */
#ifndef POLIS_GEOJSON_PAGE_H
#define POLIS_GEOJSON_PAGE_H

#include "http/exchange.h"

struct geojson_page {
    const char *path;    /* of the list, e.g. "/api/v1/reports" */
    const char *filters; /* "name=value&" for each filter kept, percent-encoded; "" */
};

/* A page of path, in the request's pool, with no filters yet. */
struct geojson_page *geojson_page_new(struct exchange *ex, const char *path);

/* Keeps name=value (nothing when value is NULL) for the next link. */
void geojson_page_keep(struct exchange *ex, struct geojson_page *p, const char *name,
                       const char *value);

/* Answers 200: features (a JSON array text) as a FeatureCollection with a
 * self link and, when more exist, a next link: the path, the filters kept
 * and cursor, the parameter that starts the next page ("after=42",
 * "offset=20"). */
void geojson_page_respond(struct exchange *ex, const struct geojson_page *p,
                          const char *features, int more, const char *cursor);

/* The columns a statement answered by geojson_page_done emits, in one row
 * (REPORT_LIST_SQL, REPORT_MINE_SQL, SCHOOL_LIST_SQL). */
enum geojson_page_col {
    GEOJSON_PAGE_FEATURES, /* json array */
    GEOJSON_PAGE_MORE,     /* boolean: more exist after this page */
    GEOJSON_PAGE_LAST_ID,  /* id of the last feature shown (the next page's after=) */
};

/* The query callback (exchange_query_prepared) of a list whose handler_data
 * is its page: answers 200 with row 0 of res (enum geojson_page_col), or
 * the database failure. */
void geojson_page_done(struct exchange *ex, PGresult *res);

#endif
