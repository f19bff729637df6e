/* Paging of lists, one way for all: the "links" of a page (reports,
 * boundaries, schools, OGC items, jobs, the admin lists, the inbox), where
 * "self" is the request's own URL and "next", while more exist, the list's
 * path with the query that starts the next page (every link absolute:
 * POLIS_PUBLIC_URL or the Host); and the plain lists paged by id
 * (?limit=&after=, newest or lowest first as their SQL orders them). */
#ifndef POLIS_PAGING_H
#define POLIS_PAGING_H

#include "http/exchange.h"

#include <jansson.h>
#include <libpq-fe.h>

/* A new array [self, next]: type is each link's media type (NULL: none),
 * next the path and query of the next page (NULL: this is the last page).
 * The caller may append more links and owns the array. */
json_t *page_links(struct exchange *ex, const char *type, const char *next);

/* The same array as JSON text, in the request's pool. */
const char *page_links_text(struct exchange *ex, const char *type, const char *next);

/* Answers 200 with prefix, then the values of column in rows 0..rows-1
 * joined by commas, then suffix: a page whose members PostgreSQL built one
 * row each. */
void page_respond_rows(struct exchange *ex, const char *content_type, const char *prefix,
                       const PGresult *res, int rows, int column, const char *suffix);

/* A list paged by id: its SQL takes $1 after (0: from the start) and
 * $2 limit + 1, and returns rows of these columns; the extra row tells that
 * a next page exists. */
enum id_page_col {
    ID_PAGE_ID,   /* the row's id: the next page starts after the last shown */
    ID_PAGE_JSON, /* the row as a JSON object */
};

struct id_page {
    const char *path;   /* of the list, for the links */
    const char *member; /* the array's name in the answer: "users", "jobs" */
    long limit;
};

/* Reads ?limit= (POLIS_PAGE_DEFAULT, at most POLIS_PAGE_MAX) and ?after=
 * (nothing else is allowed) into pg and *after; answers 400 and returns -1
 * when one is wrong. */
int id_page_parse(struct exchange *ex, struct id_page *pg, long *after);

/* The query callback, with ex->handler_data the id_page: answers 200
 * {member: [rows' JSON...], "links": [self, next]}, not cached. */
void id_page_done(struct exchange *ex, PGresult *res);

#endif
