/* The answer of a JSON list with keyset paging (the protocol book, the
 * applications): {"<member>": [...], "links": [self, next]}, where next
 * repeats the filters kept (api/geojson_page.h) and starts after the last
 * id shown; optionally one more member the SQL built (the protocol book's
 * entries per channel). Not stored by caches: these lists are personal or
 * staff's. */
#ifndef POLIS_JSON_PAGE_H
#define POLIS_JSON_PAGE_H

#include "api/geojson_page.h"
#include "http/exchange.h"

/* The columns of the one row such a statement answers. */
enum json_page_col {
    JSON_PAGE_ITEMS,   /* json array */
    JSON_PAGE_MORE,    /* boolean: more exist after this page */
    JSON_PAGE_LAST_ID, /* id of the last item shown (the next page's after=) */
    JSON_PAGE_EXTRA,   /* JSON of the member extra_member, when it is not NULL */
};

struct json_page {
    struct geojson_page *keep; /* the list's path and the filters its next link repeats */
    const char *member;        /* the array's name: "entries", "applications" */
    const char *extra_member;  /* NULL, or the name of column JSON_PAGE_EXTRA's member */
};

/* A page of path answered as member, in the request's pool; reads ?limit=
 * (POLIS_PAGE_DEFAULT, at most POLIS_PAGE_MAX) and ?after= (0: from the
 * start) into *limit and *after, recording errors on ex->query (the caller
 * answers them with its own filters' errors) and keeping limit for the
 * next link. */
struct json_page *json_page_new(struct exchange *ex, const char *path, const char *member,
                                long *limit, long *after);

/* The query callback, with ex->handler_data the json_page: answers 200 with
 * row 0 of res, or the database failure. */
void json_page_done(struct exchange *ex, PGresult *res);

#endif
