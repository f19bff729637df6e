/* Reading the parameters of an OGC items request (api/ogc.h): crs and
 * bbox-crs, a bbox in any CRS, the parameters a layer allows, property
 * filter values, datetime and the CQL2 filter. Errors are recorded on
 * ex->query; the caller answers them. */
#include "gis/cql2.h"
#include "gis/ogc_sql.h"
#include "gis/rfc3339.h"
#include "gis/translit.h"
#include "api/api.h"
#include "api/ogc.h"

#include <stdio.h>
#include <string.h>

/* Reads crs and bbox-crs (Part 2). */
void ogc_read_crs(struct exchange *ex, const char *name, int *srid, int *latlon,
                  const char **uri)
{
    const char *v = params_get(&ex->query, name);
    *srid = 4326, *latlon = 0;
    if (uri)
        *uri = NULL;
    if (!v)
        return;
    for (int k = 0; k < ogc_crs_count; k++)
        if (!strcmp(v, ogc_crs_list[k].uri)) {
            *srid = ogc_crs_list[k].srid, *latlon = ogc_crs_list[k].latlon;
            if (uri)
                *uri = ogc_crs_list[k].uri;
            return;
        }
    params_error(&ex->query, name,
                 "one of http://www.opengis.net/def/crs/OGC/1.3/CRS84, "
                 "http://www.opengis.net/def/crs/EPSG/0/4326, .../EPSG/0/3857, .../EPSG/0/2100",
                 v);
}

/* bbox in a CRS other than CRS84: four numbers, min < max. */
int ogc_read_bbox_any(struct exchange *ex, double out[4])
{
    const char *v = params_get(&ex->query, "bbox");
    if (!v)
        return 0;
    char extra;
    if (sscanf(v, "%lf,%lf,%lf,%lf%c", &out[0], &out[1], &out[2], &out[3], &extra) != 4 ||
        !(out[0] <= out[2] && out[1] <= out[3])) {
        params_error(&ex->query, "bbox", "four numbers min1,min2,max1,max2 in bbox-crs", v);
        return -1;
    }
    return 1;
}

/* The parameters every items request knows, plus the layer's attributes. */
const char *const *ogc_allowed_for(struct exchange *ex, json_t *attrs, int single)
{
    static const char *const fixed[] = {"f",        "lang",     "limit",      "offset",
                                        "bbox",     "bbox-crs", "crs",        "filter",
                                        "filter-lang", "filter-crs", "datetime"};
    static const char *const fixed_one[] = {"f", "lang", "crs"};
    size_t nf = single ? 3 : sizeof fixed / sizeof fixed[0];
    size_t na = single ? 0 : json_array_size(attrs);
    const char **list = h2o_mem_alloc_pool(&ex->req->pool, sizeof *list * (nf + na + 1));
    size_t n = 0;
    for (size_t i = 0; i < nf; i++)
        list[n++] = single ? fixed_one[i] : fixed[i];
    for (size_t i = 0; i < na; i++) {
        const char *a = json_string_value(json_object_get(json_array_get(attrs, i), "name"));
        if (a)
            list[n++] = exchange_strdup(ex, a);
    }
    list[n] = NULL;
    return list;
}

/* Checks a filter value against its column's type (400 names the
 * parameter rather than a database error later). */
void ogc_check_filter_value(struct exchange *ex, const char *name, const char *type,
                            const char *v)
{
    long l;
    double d;
    if ((!strcmp(type, "integer") || !strcmp(type, "bigint")) &&
        (parse_integer(v, &l) || (!strcmp(type, "integer") && (l > 2147483647L || l < -2147483648L))))
        params_error(&ex->query, name, exchange_printf(ex, "an integer (%s)", type), v);
    else if (!strcmp(type, "double precision") && parse_decimal(v, &d))
        params_error(&ex->query, name, "a number", v);
    else if (!strcmp(type, "boolean") && strcmp(v, "true") && strcmp(v, "false"))
        params_error(&ex->query, name, "true or false", v);
}

/* datetime (Part 1, 7.15.4 and its OpenAPI fragment): an RFC 3339
 * date-time, or an interval start/end where either side may be ".." or
 * empty (open). Sets *start / *end (NULL: open). Returns 1 when present and
 * valid, 0 when absent, -1 when invalid (error recorded). An interval whose
 * end is before its start is valid and matches nothing. */
int ogc_read_datetime(struct exchange *ex, const char **start, const char **end)
{
    static const char expected[] =
        "an RFC 3339 date-time (2024-05-01T12:00:00Z) or an interval start/end, where "
        "either side may be .. (open): 2024-01-01T00:00:00Z/.., ../2024-12-31T23:59:59Z";
    const char *v = params_get(&ex->query, "datetime");
    *start = *end = NULL;
    if (!v)
        return 0;
    const char *slash = strchr(v, '/');
    if (!slash) {
        if (!rfc3339_valid(v)) {
            params_error(&ex->query, "datetime", expected, v);
            return -1;
        }
        *start = *end = v;
        return 1;
    }
    const char *a = exchange_printf(ex, "%.*s", (int)(slash - v), v), *b = slash + 1;
    int a_open = !*a || !strcmp(a, ".."), b_open = !*b || !strcmp(b, "..");
    if ((a_open && b_open) || (!a_open && !rfc3339_valid(a)) || (!b_open && !rfc3339_valid(b))) {
        params_error(&ex->query, "datetime", expected, v);
        return -1;
    }
    *start = a_open ? NULL : a;
    *end = b_open ? NULL : b;
    return 1;
}

/* filter / filter-lang / filter-crs (Part 3): parses and translates the
 * CQL2 text against the layer's attributes; its parameters are numbered
 * from first_param. Errors are recorded on the filter parameter with the
 * character position. */
void ogc_read_filter(struct exchange *ex, json_t *attrs, int first_param,
                     struct ogc_items_query *q, const char ***params, int *nparams)
{
    static const char *const langs[] = {"cql2-text", NULL};
    static const char *const crss[] = {CRS84, NULL};
    const char *lang, *fcrs;
    params_choice(&ex->query, "filter-lang", langs, 0, &lang);
    params_choice(&ex->query, "filter-crs", crss, 0, &fcrs);
    const char *text = params_get(&ex->query, "filter");
    if (!text)
        return;
    if (!utf8_valid(text)) {
        params_error(&ex->query, "filter", "CQL2 text in UTF-8", text);
        return;
    }
    size_t na = json_array_size(attrs);
    struct cql2_queryable *qs = h2o_mem_alloc_pool(&ex->req->pool, sizeof *qs * (na + 1));
    int nq = 0;
    for (size_t i = 0; i < na; i++) {
        json_t *a = json_array_get(attrs, i);
        const char *name = json_string_value(json_object_get(a, "name"));
        const char *type = json_string_value(json_object_get(a, "type"));
        if (name && type)
            qs[nq].name = name, qs[nq++].type = type;
    }
    struct cql2_error err;
    struct cql2_sql sql;
    struct cql2_expr *e = cql2_parse(text, &err);
    if (!e || cql2_to_sql(e, qs, nq, first_param, &sql, &err)) {
        cql2_free(e);
        params_error(&ex->query, "filter",
                     exchange_printf(ex, "%s at character %d", err.expected, err.pos),
                     err.found);
        return;
    }
    cql2_free(e);
    q->cql_where = exchange_strdup(ex, sql.where);
    *params = h2o_mem_alloc_pool(&ex->req->pool, sizeof **params * (size_t)(sql.nparams + 1));
    for (int i = 0; i < sql.nparams; i++)
        (*params)[i] = exchange_strdup(ex, sql.params[i]);
    *nparams = sql.nparams;
    cql2_sql_free(&sql);
}
