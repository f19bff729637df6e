/* OGC API - Features items under /ogc/collections/{id}: a page of items
 * (bbox, paging by offset with next/prev links, property filters on the
 * layer's attributes, datetime, CQL2 filter, output CRS) and one item. The
 * parameters are read by api/ogc_params.c, the SQL built by gis/ogc_sql.c. */
#include "gis/sql_ident.h"
#include "gis/ogc_sql.h"
#include "api/api.h"
#include "api/ogc.h"
#include "api/ogc_html.h"
#include "http/respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Documented in the API document (api/openapi/ogc.json) and README: a
 * larger limit is clamped. */
#define OGC_LIMIT_DEFAULT 10
#define OGC_LIMIT_MAX 1000

static void now_rfc3339(char *buf, size_t len)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The built SQL (malloc'd, freed here) copied into the request's pool, or
 * NULL after answering 500 when the catalogue entry gave no usable names. */
static const char *pooled_sql(struct exchange *ex, char *sql, const char *collection)
{
    if (!sql) {
        respond_problem(ex->req, 500, "about:blank", "Internal Server Error", NULL,
                        "the catalogue entry of \"%s\" is not usable", collection);
        return NULL;
    }
    const char *pooled = exchange_strdup(ex, sql);
    free(sql);
    return pooled;
}

/* ---- items ---- */

struct items_req {
    struct ogc_items_query q;
    long limit, offset;
    int has_bbox;
    double bbox[4];
    const char *crs_uri;
    const char *filter_values[OGC_MAX_FILTERS];
    long fid;
};

/* This items URL with the same parameters and another offset. */
static const char *page_url(struct exchange *ex, const struct items_req *ir, long offset)
{
    const char *q = "";
    for (int i = 0; i < ex->query.n; i++) {
        const char *name = ex->query.items[i].name;
        if (!strcmp(name, "limit") || !strcmp(name, "offset"))
            continue;
        q = exchange_printf(ex, "%s%s=%s&", q, ogc_url_encode(ex, name),
                            ogc_url_encode(ex, ex->query.items[i].value));
    }
    return exchange_url(ex, exchange_printf(ex, "/ogc/collections/%s/items?%slimit=%ld&offset=%ld",
                                            ir->q.collection, q, ir->limit, offset));
}

static void add_content_crs(struct exchange *ex, const struct items_req *ir)
{
    respond_header(ex->req, "content-crs",
                   exchange_printf(ex, "<%s>", ir->crs_uri ? ir->crs_uri : CRS84));
}

static void items_page_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    const struct items_req *ir = ex->handler_data;
    long long matched = atoll(PQgetvalue(res, 0, OGC_ITEMS_MATCHED));
    long long returned = atoll(PQgetvalue(res, 0, OGC_ITEMS_RETURNED));
    const char *features = PQgetvalue(res, 0, OGC_ITEMS_FEATURES);
    int counted = !PQgetisnull(res, 0, OGC_ITEMS_MATCHED); /* else too many to count: left out */
    json_t *links = json_array();
    /* self: the canonical path (without a trailing slash) and the query as given */
    h2o_req_t *req = ex->req;
    const char *query = req->query_at == SIZE_MAX ? "" : exchange_printf(
        ex, "%.*s", (int)(req->path.len - req->query_at), req->path.base + req->query_at);
    json_array_append_new(links, json_pack("{s:s,s:s,s:s}", "rel", "self", "type", CT_GEOJSON,
                                           "href", exchange_url(ex, exchange_printf(
                                               ex, "/ogc/collections/%s/items%s",
                                               ir->q.collection, query))));
    if (counted ? ir->offset + returned < matched : returned == ir->limit)
        json_array_append_new(links, json_pack("{s:s,s:s,s:s}", "rel", "next", "type", CT_GEOJSON,
                                               "href", page_url(ex, ir, ir->offset + ir->limit)));
    if (ir->offset > 0)
        json_array_append_new(links,
                              json_pack("{s:s,s:s,s:s}", "rel", "prev", "type", CT_GEOJSON, "href",
                                        page_url(ex, ir, ir->offset > ir->limit
                                                             ? ir->offset - ir->limit : 0)));
    json_array_append_new(links, json_pack("{s:s,s:s,s:s}", "rel", "collection", "type", CT_JSON,
                                           "href", exchange_url(ex, exchange_printf(
                                               ex, "/ogc/collections/%s", ir->q.collection))));
    json_array_append_new(links, ogc_alternate_html(ex, exchange_printf(ex, "/ogc/collections/%s/items",
                                                                        ir->q.collection)));
    char *links_text = json_dumps(links, JSON_COMPACT);
    json_decref(links);
    char ts[32];
    now_rfc3339(ts, sizeof ts);
    size_t flen = (size_t)PQgetlength(res, 0, OGC_ITEMS_FEATURES);
    size_t total = 256 + flen + strlen(links_text);
    char *body = h2o_mem_alloc_pool(&ex->req->pool, total);
    char matched_member[48] = "";
    if (counted)
        snprintf(matched_member, sizeof matched_member, "\"numberMatched\":%lld,", matched);
    size_t n = (size_t)snprintf(body, total,
                                "{\"type\":\"FeatureCollection\",%s"
                                "\"numberReturned\":%lld,\"timeStamp\":\"%s\",\"features\":[",
                                matched_member, returned, ts);
    memcpy(body + n, features, flen);
    n += flen;
    n += (size_t)snprintf(body + n, total - n, "],\"links\":%s}", links_text);
    free(links_text);
    add_content_crs(ex, ir);
    if (ogc_negotiate(ex)) {
        json_t *doc = json_loadb(body, n, 0, NULL);
        ogc_html_respond(ex, OGC_HTML_ITEMS, ir->q.collection, doc);
        json_decref(doc);
        return;
    }
    respond_bytes(ex->req, 200, CT_GEOJSON, body, n);
}

static void items_lookup_done(struct exchange *ex, PGresult *res)
{
    if (ogc_no_collection(ex, res))
        return;
    struct items_req *ir = ex->handler_data;
    ir->q.collection = exchange_strdup(ex, PQgetvalue(res, 0, OGC_COLLECTIONS_NAME));
    json_t *attrs = json_loads(PQgetvalue(res, 0, OGC_COLLECTIONS_ATTRIBUTES), 0, NULL);
    params_allow_only(&ex->query, ogc_allowed_for(ex, attrs, 0));
    ogc_check_f(ex);
    ir->limit = OGC_LIMIT_DEFAULT;
    const char *lim = params_get(&ex->query, "limit");
    if (lim && (parse_integer(lim, &ir->limit) || ir->limit < 1))
        params_error(&ex->query, "limit", "a positive integer (at most 1000; more is clamped)", lim);
    if (ir->limit > OGC_LIMIT_MAX)
        ir->limit = OGC_LIMIT_MAX;
    params_long(&ex->query, "offset", 0, 1000000000L, 0, &ir->offset);
    int latlon;
    ogc_read_crs(ex, "crs", &ir->q.srid, &ir->q.latlon, &ir->crs_uri);
    ogc_read_crs(ex, "bbox-crs", &ir->q.bbox_srid, &ir->q.bbox_latlon, NULL);
    (void)latlon;
    if (ir->q.bbox_srid == 4326 && !ir->q.bbox_latlon)
        ir->has_bbox = params_bbox(&ex->query, "bbox", ex->app->cfg.bbox_max_km2, ir->bbox) == 1;
    else
        ir->has_bbox = ogc_read_bbox_any(ex, ir->bbox) == 1;
    size_t i;
    json_t *a;
    json_array_foreach(attrs, i, a) {
        const char *name = json_string_value(json_object_get(a, "name"));
        const char *type = json_string_value(json_object_get(a, "type"));
        const char *v = name ? params_get(&ex->query, name) : NULL;
        if (!v || !type)
            continue;
        if (ir->q.nfilters == OGC_MAX_FILTERS) {
            params_error(&ex->query, name, "at most 8 property filters", v);
            continue;
        }
        ogc_check_filter_value(ex, name, type, v);
        ir->q.filters[ir->q.nfilters].column = exchange_strdup(ex, name);
        ir->q.filters[ir->q.nfilters].type = exchange_strdup(ex, type);
        ir->filter_values[ir->q.nfilters++] = v;
    }
    /* datetime selects on the layer's time column (layer_catalogue.time_column).
     * Part 1 (OGC 17-069r4, Requirement 24 /req/core/fc-time-response) keeps
     * "only features that have a temporal geometry that intersects" the value;
     * it defines no selection for a collection whose features have no
     * temporal property at all, so there (boundaries, layers without a date
     * column) a well-formed datetime is accepted and ignored, as the
     * parameter is part of every items operation (Requirement 23). A
     * malformed one is a 400 everywhere. Features whose time is NULL have no
     * temporal geometry and are left out when datetime is given. */
    const char *t0, *t1;
    int has_time = ogc_read_datetime(ex, &t0, &t1) == 1;
    const char *tcol = PQgetisnull(res, 0, OGC_COLLECTIONS_TIME_COLUMN)
                           ? NULL
                           : PQgetvalue(res, 0, OGC_COLLECTIONS_TIME_COLUMN);
    int nargs = OGC_ITEMS_P_FILTERS + ir->q.nfilters;
    if (has_time && tcol && sql_ident_ok(tcol)) {
        ir->q.time_column = exchange_strdup(ex, tcol);
        json_array_foreach(attrs, i, a) {
            const char *name = json_string_value(json_object_get(a, "name"));
            const char *type = json_string_value(json_object_get(a, "type"));
            if (name && type && !strcmp(name, tcol))
                ir->q.time_is_date = !strcmp(type, "date");
        }
        ir->q.time_param = nargs + 1;
        nargs += 2;
    }
    const char **cql_params = NULL;
    int ncql = 0;
    ogc_read_filter(ex, attrs, nargs + 1, &ir->q, &cql_params, &ncql);
    json_decref(attrs);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *psql = pooled_sql(ex, ogc_items_sql(&ir->q), ir->q.collection);
    if (!psql)
        return;
    const char **args = h2o_mem_alloc_pool(&ex->req->pool, sizeof *args * (size_t)(nargs + ncql));
    memset(args, 0, sizeof *args * (size_t)(nargs + ncql));
    if (ir->has_bbox)
        for (int k = 0; k < 4; k++)
            args[OGC_ITEMS_P_BBOX + k] = exchange_printf(ex, "%.17g", ir->bbox[k]);
    args[OGC_ITEMS_P_LIMIT] = exchange_printf(ex, "%ld", ir->limit);
    args[OGC_ITEMS_P_OFFSET] = exchange_printf(ex, "%ld", ir->offset);
    args[OGC_ITEMS_P_COUNT_MAX] = exchange_printf(ex, "%d", OGC_COUNT_MAX + 1);
    for (int k = 0; k < ir->q.nfilters; k++)
        args[OGC_ITEMS_P_FILTERS + k] = ir->filter_values[k];
    if (ir->q.time_column)
        args[ir->q.time_param - 1] = t0, args[ir->q.time_param] = t1;
    for (int k = 0; k < ncql; k++)
        args[nargs + k] = cql_params[k];
    exchange_query(ex, psql, nargs + ncql, args, items_page_done);
}

void api_ogc_items(struct exchange *ex)
{
    struct items_req *ir = h2o_mem_alloc_pool(&ex->req->pool, sizeof *ir);
    memset(ir, 0, sizeof *ir);
    ex->handler_data = ir;
    ogc_lookup(ex, ex->path_params[0], items_lookup_done);
}

/* ---- one item ---- */

static void item_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    const struct items_req *ir = ex->handler_data;
    if (PQntuples(res) == 0) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "collection \"%s\" has no feature %s", ir->q.collection,
                        ex->path_params[1]);
        return;
    }
    /* the Feature from PostGIS, with links put before its closing brace */
    const char *self = exchange_printf(ex, "/ogc/collections/%s/items/%ld", ir->q.collection,
                                       ir->fid);
    const char *links = exchange_printf(
        ex, ",\"links\":[{\"rel\":\"self\",\"type\":\"" CT_GEOJSON "\",\"href\":\"%s\"},"
            "{\"rel\":\"collection\",\"type\":\"" CT_JSON "\",\"href\":\"%s\"},"
            "{\"rel\":\"alternate\",\"type\":\"" CT_HTML "\",\"href\":\"%s\"}]}",
        exchange_url(ex, self),
        exchange_url(ex, exchange_printf(ex, "/ogc/collections/%s", ir->q.collection)),
        ogc_url_with(ex, self, "f", "html"));
    size_t flen = (size_t)PQgetlength(res, 0, OGC_ITEM_FEATURE), llen = strlen(links);
    char *body = h2o_mem_alloc_pool(&ex->req->pool, flen + llen);
    memcpy(body, PQgetvalue(res, 0, OGC_ITEM_FEATURE), flen - 1); /* without the final '}' */
    memcpy(body + flen - 1, links, llen);
    add_content_crs(ex, ir);
    if (ogc_negotiate(ex)) {
        json_t *doc = json_loadb(body, flen - 1 + llen, 0, NULL);
        ogc_html_respond(ex, OGC_HTML_ITEM, ir->q.collection, doc);
        json_decref(doc);
        return;
    }
    if (ogc_negotiate(ex)) {
        json_t *doc = json_loadb(body, flen - 1 + llen, 0, NULL);
        ogc_html_respond(ex, OGC_HTML_ITEM, ir->q.collection, doc);
        json_decref(doc);
        return;
    }
    respond_bytes(ex->req, 200, CT_GEOJSON, body, flen - 1 + llen);
}

static void item_lookup_done(struct exchange *ex, PGresult *res)
{
    if (ogc_no_collection(ex, res))
        return;
    struct items_req *ir = ex->handler_data;
    ir->q.collection = exchange_strdup(ex, PQgetvalue(res, 0, OGC_COLLECTIONS_NAME));
    params_allow_only(&ex->query, ogc_allowed_for(ex, NULL, 1));
    ogc_check_f(ex);
    ogc_read_crs(ex, "crs", &ir->q.srid, &ir->q.latlon, &ir->crs_uri);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    if (parse_integer(ex->path_params[1], &ir->fid) || ir->fid < 0) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "collection \"%s\" has no feature \"%s\" (feature ids are integers)",
                        ir->q.collection, ex->path_params[1]);
        return;
    }
    const char *psql = pooled_sql(ex, ogc_item_sql(&ir->q), ir->q.collection);
    if (!psql)
        return;
    const char *args[] = {exchange_printf(ex, "%ld", ir->fid)};
    exchange_query(ex, psql, 1, args, item_done);
}

void api_ogc_item(struct exchange *ex)
{
    struct items_req *ir = h2o_mem_alloc_pool(&ex->req->pool, sizeof *ir);
    memset(ir, 0, sizeof *ir);
    ex->handler_data = ir;
    ogc_lookup(ex, ex->path_params[0], item_lookup_done);
}
