/* What the OGC API - Features routes share (api/ogc.c, api/ogc_items.c):
 * the CRSs spoken, the format parameter, the catalogue lookup every
 * collection route starts with and its 404, and the readers of an items
 * request's parameters (api/ogc_params.c). */
#ifndef POLIS_API_OGC_H
#define POLIS_API_OGC_H

#include "gis/ogc_sql.h"
#include "http/exchange.h"

#include <jansson.h>
#include <libpq-fe.h>

#define CRS84 "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

/* The CRSs of crs= and bbox-crs= (Part 2), CRS84 first. */
struct ogc_crs {
    const char *uri;
    int srid, latlon; /* latlon: axes in lat, lon order */
};
extern const struct ogc_crs ogc_crs_list[];
extern const int ogc_crs_count;

/* `f` is the standard format parameter: JSON (the default) or HTML
 * (api/ogc_html.h); lang= (el, en) picks the language of HTML pages. */
void ogc_check_f(struct exchange *ex);

/* s percent-encoded for a query string (in the request pool). */
const char *ogc_url_encode(struct exchange *ex, const char *s);

/* {rel: alternate, type: text/html} to the HTML page of path (the
 * request's query kept, f=html), for the links of a JSON answer. */
json_t *ogc_alternate_html(struct exchange *ex, const char *path);

/* Runs ogc_lookup_sql() for collection id (NULL: all) as the caller may
 * see them, then cb. */
void ogc_lookup(struct exchange *ex, const char *id, exchange_result_cb cb);

/* 1 after answering: the database failed, or 404 for a collection that does
 * not exist or that the caller may not see (a staff layer asked for
 * anonymously): the same answer, nothing revealed. 0 when res has the row. */
int ogc_no_collection(struct exchange *ex, PGresult *res);

/* Reads crs or bbox-crs (name) into *srid and *latlon (CRS84 when absent)
 * and, when uri is not NULL, the URI given. */
void ogc_read_crs(struct exchange *ex, const char *name, int *srid, int *latlon,
                  const char **uri);

/* bbox in a CRS other than CRS84: four numbers, min < max. 1 read, 0
 * absent, -1 invalid (error recorded). */
int ogc_read_bbox_any(struct exchange *ex, double out[4]);

/* The parameters an items request allows (single: one item), plus the
 * layer's attributes (attrs, the catalogue's array), NULL-terminated. */
const char *const *ogc_allowed_for(struct exchange *ex, json_t *attrs, int single);

/* Checks a property filter value against its column's type. */
void ogc_check_filter_value(struct exchange *ex, const char *name, const char *type,
                            const char *v);

/* datetime: *start and *end (NULL: open). 1 present and valid, 0 absent,
 * -1 invalid (error recorded). */
int ogc_read_datetime(struct exchange *ex, const char **start, const char **end);

/* filter, filter-lang, filter-crs (Part 3): the CQL2 text translated into
 * q->cql_where, its parameters (numbered from first_param) into *params and
 * *nparams. */
void ogc_read_filter(struct exchange *ex, json_t *attrs, int first_param,
                     struct ogc_items_query *q, const char ***params, int *nparams);

#endif
