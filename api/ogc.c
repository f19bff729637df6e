/* OGC API - Features (Part 1 core + GeoJSON + OpenAPI 3.0, Part 2 CRS) under
 * /ogc: landing page, conformance, API document, collections (boundaries and
 * every catalogued layer the caller may see), items with bbox, paging by
 * offset (next/prev links), property filters on the layer's attributes, and
 * single items. Staff-only layers are invisible (404) to everyone else. */
#include "gis/cql2.h"
#include "gis/ogc_sql.h"
#include "gis/rfc3339.h"
#include "gis/sql_ident.h"
#include "gis/translit.h"
#include "api/api.h"
#include "api/openapi/openapi.h"
#include "http/paging.h"
#include "http/respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Documented in the API document (api/openapi/ogc.json) and README: a
 * larger limit is clamped. */
#define OGC_LIMIT_DEFAULT 10
#define OGC_LIMIT_MAX 1000

#define CT_OPENAPI "application/vnd.oai.openapi+json;version=3.0"
#define CT_SCHEMA "application/schema+json"
#define REL_QUERYABLES "http://www.opengis.net/def/rel/ogc/1.0/queryables"
#define CRS84 "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

static const struct {
    const char *uri;
    int srid, latlon;
} crs_list[] = {
    {CRS84, 4326, 0},
    {"http://www.opengis.net/def/crs/EPSG/0/4326", 4326, 1},
    {"http://www.opengis.net/def/crs/EPSG/0/3857", 3857, 0},
    {"http://www.opengis.net/def/crs/EPSG/0/2100", 2100, 0},
};
#define NCRS (int)(sizeof crs_list / sizeof crs_list[0])

static int is_staff(const struct exchange *ex)
{
    return ex->who.rank >= 2;
}

/* `f` is the standard format parameter: JSON is all we speak. */
static void check_f(struct exchange *ex)
{
    static const char *const fs[] = {"json", "geojson", "application/json",
                                     "application/geo+json", NULL};
    const char *f;
    params_choice(&ex->query, "f", fs, 0, &f);
}

/* The catalogue lookup every collection route starts with. */
static void lookup(struct exchange *ex, const char *id, exchange_result_cb cb)
{
    const char *args[] = {id, is_staff(ex) ? "t" : "f"};
    exchange_query(ex, OGC_COLLECTIONS_SQL, 2, args, cb);
}

static json_t *ogc_link(struct exchange *ex, const char *rel, const char *type, const char *title,
                    const char *path)
{
    json_t *l = json_pack("{s:s,s:s,s:s}", "rel", rel, "type", type, "href", exchange_url(ex, path));
    if (title)
        json_object_set_new(l, "title", json_string(title));
    return l;
}

static void now_rfc3339(char *buf, size_t len)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- GET /ogc ---- */

void api_ogc_landing(struct exchange *ex)
{
    static const char *const allowed[] = {"f", NULL};
    params_allow_only(&ex->query, allowed);
    check_f(ex);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    json_t *links = json_array();
    json_array_append_new(links, ogc_link(ex, "self", CT_JSON, "this document", "/ogc"));
    json_array_append_new(links, ogc_link(ex, "service-desc", CT_OPENAPI, "the API definition",
                                      "/ogc/api"));
    json_array_append_new(links, ogc_link(ex, "conformance", CT_JSON, "conformance classes",
                                      "/ogc/conformance"));
    json_array_append_new(links, ogc_link(ex, "data", CT_JSON, "collections", "/ogc/collections"));
    respond_json(ex->req, 200,
                 json_pack("{s:s,s:s,s:o}", "title", "polis OGC API - Features", "description",
                           "Municipal layers and administrative boundaries of polis", "links",
                           links));
}

/* ---- GET /ogc/conformance ---- */

void api_ogc_conformance(struct exchange *ex)
{
    static const char *const allowed[] = {"f", NULL};
    params_allow_only(&ex->query, allowed);
    check_f(ex);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    /* Part 3 (OGC 19-079r2) and CQL2 (OGC 21-065r2): queryables, filter with
     * cql2-text, Basic CQL2, LIKE/BETWEEN/IN and all S_* functions on the
     * geometry types gis/cql2.h reads. */
    respond_json(ex->req, 200,
                 json_pack("{s:[s,s,s,s,s,s,s,s,s,s,s,s,s]}", "conformsTo",
                           "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                           "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                           "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
                           "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
                           "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
                           "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
                           "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
                           "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
                           "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
                           "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
                           "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
                           "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
                           "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions"));
}

/* ---- GET /ogc/api ---- */

/* The document is api/openapi/ogc.json, compiled in; only the server's
 * URL is added here, as it depends on how the request reached us. */
void api_ogc_api(struct exchange *ex)
{
    static const char *const allowed[] = {"f", NULL};
    params_allow_only(&ex->query, allowed);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    json_t *doc = json_loads(polis_openapi_ogc, 0, NULL);
    if (!doc) {
        respond_problem(ex->req, 500, "about:blank", "Internal Server Error", NULL,
                        "the API document is broken");
        return;
    }
    json_object_set_new(doc, "servers", json_pack("[{s:s}]", "url", exchange_url(ex, "/ogc")));
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    respond_bytes(ex->req, 200, CT_OPENAPI, text, strlen(text));
    free(text);
}

/* ---- collections ---- */

/* One collection document from row i of OGC_COLLECTIONS_SQL. */
static json_t *collection_json(struct exchange *ex, PGresult *res, int i)
{
    const char *id = PQgetvalue(res, i, 0);
    json_t *c = json_pack("{s:s,s:s,s:s,s:s}", "id", id, "title", PQgetvalue(res, i, 1),
                          "description", PQgetvalue(res, i, 2), "itemType", "feature");
    json_t *extent = json_object();
    if (!PQgetisnull(res, i, 3)) {
        json_t *bbox = json_array();
        for (int k = 3; k <= 6; k++)
            json_array_append_new(bbox, json_real(atof(PQgetvalue(res, i, k))));
        json_object_set_new(extent, "spatial",
                            json_pack("{s:[o],s:s}", "bbox", bbox, "crs", CRS84));
    }
    if (!PQgetisnull(res, i, 7))
        json_object_set_new(extent, "temporal",
                            json_pack("{s:[[s,s]],s:s}", "interval", PQgetvalue(res, i, 7),
                                      PQgetvalue(res, i, 8), "trs",
                                      "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"));
    json_object_set_new(c, "extent", extent);
    json_t *crs = json_array();
    for (int k = 0; k < NCRS; k++)
        json_array_append_new(crs, json_string(crs_list[k].uri));
    json_object_set_new(c, "crs", crs);
    json_object_set_new(c, "storageCrs", json_string(CRS84));
    json_t *links = json_array();
    const char *base = exchange_printf(ex, "/ogc/collections/%s", id);
    json_array_append_new(links, ogc_link(ex, "self", CT_JSON, "this collection", base));
    json_array_append_new(links, ogc_link(ex, "items", CT_GEOJSON, "the features",
                                      exchange_printf(ex, "%s/items", base)));
    json_array_append_new(links, ogc_link(ex, REL_QUERYABLES, CT_SCHEMA,
                                          "the properties a filter may use",
                                          exchange_printf(ex, "%s/queryables", base)));
    json_object_set_new(c, "links", links);
    return c;
}

static void collections_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    json_t *list = json_array();
    for (int i = 0; i < PQntuples(res); i++)
        json_array_append_new(list, collection_json(ex, res, i));
    json_t *links = json_array();
    json_array_append_new(links, ogc_link(ex, "self", CT_JSON, "this document", "/ogc/collections"));
    respond_json(ex->req, 200, json_pack("{s:o,s:o}", "links", links, "collections", list));
}

void api_ogc_collections(struct exchange *ex)
{
    static const char *const allowed[] = {"f", NULL};
    params_allow_only(&ex->query, allowed);
    check_f(ex);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    lookup(ex, NULL, collections_done);
}

/* 404 for a collection that does not exist or that the caller may not see
 * (a staff layer asked for anonymously): the same answer, nothing revealed. */
static int no_collection(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return 1;
    if (PQntuples(res) > 0)
        return 0;
    respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                    "there is no collection \"%s\"", ex->path_params[0]);
    return 1;
}

static void collection_done(struct exchange *ex, PGresult *res)
{
    if (no_collection(ex, res))
        return;
    respond_json(ex->req, 200, collection_json(ex, res, 0));
}

void api_ogc_collection(struct exchange *ex)
{
    static const char *const allowed[] = {"f", NULL};
    params_allow_only(&ex->query, allowed);
    check_f(ex);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    lookup(ex, ex->path_params[0], collection_done);
}

/* ---- GET /ogc/collections/{id}/queryables (Part 3) ---- */

/* JSON Schema of one attribute from its SQL type in the catalogue. */
static json_t *queryable_schema(const char *type, const char *title)
{
    json_t *s;
    if (!strcmp(type, "integer") || !strcmp(type, "bigint"))
        s = json_pack("{s:s}", "type", "integer");
    else if (!strcmp(type, "double precision"))
        s = json_pack("{s:s}", "type", "number");
    else if (!strcmp(type, "boolean"))
        s = json_pack("{s:s}", "type", "boolean");
    else if (!strcmp(type, "date"))
        s = json_pack("{s:s,s:s}", "type", "string", "format", "date");
    else if (!strcmp(type, "timestamptz"))
        s = json_pack("{s:s,s:s}", "type", "string", "format", "date-time");
    else
        s = json_pack("{s:s}", "type", "string");
    json_object_set_new(s, "title", json_string(title));
    return s;
}

static void queryables_done(struct exchange *ex, PGresult *res)
{
    if (no_collection(ex, res))
        return;
    const char *id = PQgetvalue(res, 0, 0);
    const char *gtype = PQgetvalue(res, 0, 10);
    const char *tcol = PQgetisnull(res, 0, 14) ? NULL : PQgetvalue(res, 0, 14);
    static const char *const gformats[][2] = {
        {"POINT", "geometry-point"},           {"MULTIPOINT", "geometry-multipoint"},
        {"LINESTRING", "geometry-linestring"}, {"MULTILINESTRING", "geometry-multilinestring"},
        {"POLYGON", "geometry-polygon"},       {"MULTIPOLYGON", "geometry-multipolygon"},
    };
    const char *gformat = "geometry-any";
    for (size_t k = 0; k < sizeof gformats / sizeof gformats[0]; k++)
        if (!strcmp(gtype, gformats[k][0]))
            gformat = gformats[k][1];
    json_t *props = json_object();
    json_object_set_new(props, "geometry",
                        json_pack("{s:s,s:s,s:s}", "title", "Geometry", "format", gformat,
                                  "x-ogc-role", "primary-geometry"));
    json_t *attrs = json_loads(PQgetvalue(res, 0, 9), 0, NULL), *a;
    size_t i;
    json_array_foreach(attrs, i, a) {
        const char *name = json_string_value(json_object_get(a, "name"));
        const char *type = json_string_value(json_object_get(a, "type"));
        const char *src = json_string_value(json_object_get(a, "source_name"));
        if (!name || !type || !sql_ident_ok(name) || !strcmp(name, "geometry"))
            continue;
        json_t *s = queryable_schema(type, src && *src ? src : name);
        if (tcol && !strcmp(name, tcol))
            json_object_set_new(s, "x-ogc-role", json_string("primary-instant"));
        json_object_set_new(props, name, s);
    }
    json_decref(attrs);
    json_t *doc = json_pack(
        "{s:s,s:s,s:s,s:s,s:o,s:b}", "$schema", "https://json-schema.org/draft/2020-12/schema",
        "$id", exchange_url(ex, exchange_printf(ex, "/ogc/collections/%s/queryables", id)),
        "type", "object", "title", PQgetvalue(res, 0, 1), "properties", props,
        "additionalProperties", 0);
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    respond_bytes(ex->req, 200, CT_SCHEMA, text, strlen(text));
    free(text);
}

void api_ogc_queryables(struct exchange *ex)
{
    static const char *const allowed[] = {"f", NULL};
    params_allow_only(&ex->query, allowed);
    check_f(ex);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    lookup(ex, ex->path_params[0], queryables_done);
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

/* Percent-encodes a query value into the request pool. */
static const char *url_encode(struct exchange *ex, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    char *out = h2o_mem_alloc_pool(&ex->req->pool, 3 * n + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-_.~,:/", *p))
            *o++ = (char)*p;
        else
            *o++ = '%', *o++ = hex[*p >> 4], *o++ = hex[*p & 15];
    }
    *o = '\0';
    return out;
}

/* The path and query of this items page with another offset. */
static const char *page_url(struct exchange *ex, const struct items_req *ir, long offset)
{
    const char *q = "";
    for (int i = 0; i < ex->query.n; i++) {
        const char *name = ex->query.items[i].name;
        if (!strcmp(name, "limit") || !strcmp(name, "offset"))
            continue;
        q = exchange_printf(ex, "%s%s=%s&", q, url_encode(ex, name),
                            url_encode(ex, ex->query.items[i].value));
    }
    return exchange_printf(ex, "/ogc/collections/%s/items?%slimit=%ld&offset=%ld",
                           ir->q.collection, q, ir->limit, offset);
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
    long long matched = atoll(PQgetvalue(res, 0, 0));
    const char *features = PQgetvalue(res, 0, 1);
    long long returned = 0;
    if (*features) {
        /* features are joined by ',' between objects: count the top-level
         * Features the cheap way, from the range the page asked for */
        long long left = matched - ir->offset;
        returned = left < 0 ? 0 : left < ir->limit ? left : ir->limit;
    }
    json_t *links = page_links(ex, CT_GEOJSON, ir->offset + returned < matched
                                                   ? page_url(ex, ir, ir->offset + ir->limit)
                                                   : NULL);
    if (ir->offset > 0)
        json_array_append_new(links,
                              json_pack("{s:s,s:s,s:s}", "rel", "prev", "type", CT_GEOJSON, "href",
                                        exchange_url(ex, page_url(ex, ir, ir->offset > ir->limit
                                                                  ? ir->offset - ir->limit : 0))));
    json_array_append_new(links, json_pack("{s:s,s:s,s:s}", "rel", "collection", "type", CT_JSON,
                                           "href", exchange_url(ex, exchange_printf(
                                               ex, "/ogc/collections/%s", ir->q.collection))));
    char *links_text = json_dumps(links, JSON_COMPACT);
    json_decref(links);
    char ts[32];
    now_rfc3339(ts, sizeof ts);
    size_t flen = (size_t)PQgetlength(res, 0, 1);
    size_t total = 256 + flen + strlen(links_text);
    char *body = h2o_mem_alloc_pool(&ex->req->pool, total);
    size_t n = (size_t)snprintf(body, total,
                                "{\"type\":\"FeatureCollection\",\"numberMatched\":%lld,"
                                "\"numberReturned\":%lld,\"timeStamp\":\"%s\",\"features\":[",
                                matched, returned, ts);
    memcpy(body + n, features, flen);
    n += flen;
    n += (size_t)snprintf(body + n, total - n, "],\"links\":%s}", links_text);
    free(links_text);
    add_content_crs(ex, ir);
    respond_bytes(ex->req, 200, CT_GEOJSON, body, n);
}

/* Reads crs and bbox-crs (Part 2). */
static void read_crs(struct exchange *ex, const char *name, int *srid, int *latlon,
                     const char **uri)
{
    const char *v = params_get(&ex->query, name);
    *srid = 4326, *latlon = 0;
    if (uri)
        *uri = NULL;
    if (!v)
        return;
    for (int k = 0; k < NCRS; k++)
        if (!strcmp(v, crs_list[k].uri)) {
            *srid = crs_list[k].srid, *latlon = crs_list[k].latlon;
            if (uri)
                *uri = crs_list[k].uri;
            return;
        }
    params_error(&ex->query, name,
                 "one of http://www.opengis.net/def/crs/OGC/1.3/CRS84, "
                 "http://www.opengis.net/def/crs/EPSG/0/4326, .../EPSG/0/3857, .../EPSG/0/2100",
                 v);
}

/* bbox in a CRS other than CRS84: four numbers, min < max. */
static int read_bbox_any(struct exchange *ex, double out[4])
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
static const char *const *allowed_for(struct exchange *ex, json_t *attrs, int single)
{
    static const char *const fixed[] = {"f",      "limit",       "offset",     "bbox",
                                        "bbox-crs", "crs",       "filter",     "filter-lang",
                                        "filter-crs", "datetime"};
    static const char *const fixed_one[] = {"f", "crs"};
    size_t nf = single ? 2 : sizeof fixed / sizeof fixed[0];
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
static void check_filter_value(struct exchange *ex, const char *name, const char *type,
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
static int read_datetime(struct exchange *ex, const char **start, const char **end)
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
static void read_filter(struct exchange *ex, json_t *attrs, int first_param,
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

static void items_lookup_done(struct exchange *ex, PGresult *res)
{
    if (no_collection(ex, res))
        return;
    struct items_req *ir = ex->handler_data;
    ir->q.collection = exchange_strdup(ex, PQgetvalue(res, 0, 0));
    json_t *attrs = json_loads(PQgetvalue(res, 0, 9), 0, NULL);
    params_allow_only(&ex->query, allowed_for(ex, attrs, 0));
    check_f(ex);
    ir->limit = OGC_LIMIT_DEFAULT;
    const char *lim = params_get(&ex->query, "limit");
    if (lim && (parse_integer(lim, &ir->limit) || ir->limit < 1))
        params_error(&ex->query, "limit", "a positive integer (at most 1000; more is clamped)", lim);
    if (ir->limit > OGC_LIMIT_MAX)
        ir->limit = OGC_LIMIT_MAX;
    params_long(&ex->query, "offset", 0, 1000000000L, 0, &ir->offset);
    int latlon;
    read_crs(ex, "crs", &ir->q.srid, &ir->q.latlon, &ir->crs_uri);
    read_crs(ex, "bbox-crs", &ir->q.bbox_srid, &ir->q.bbox_latlon, NULL);
    (void)latlon;
    if (ir->q.bbox_srid == 4326 && !ir->q.bbox_latlon)
        ir->has_bbox = params_bbox(&ex->query, "bbox", ex->app->cfg.bbox_max_km2, ir->bbox) == 1;
    else
        ir->has_bbox = read_bbox_any(ex, ir->bbox) == 1;
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
        check_filter_value(ex, name, type, v);
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
    int has_time = read_datetime(ex, &t0, &t1) == 1;
    const char *tcol = PQgetisnull(res, 0, 14) ? NULL : PQgetvalue(res, 0, 14);
    int nargs = 6 + ir->q.nfilters;
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
    read_filter(ex, attrs, nargs + 1, &ir->q, &cql_params, &ncql);
    json_decref(attrs);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    char *sql = ogc_items_sql(&ir->q);
    if (!sql) {
        respond_problem(ex->req, 500, "about:blank", "Internal Server Error", NULL,
                        "the catalogue entry of \"%s\" is not usable", ir->q.collection);
        return;
    }
    const char *psql = exchange_strdup(ex, sql);
    free(sql);
    const char **args = h2o_mem_alloc_pool(&ex->req->pool, sizeof *args * (size_t)(nargs + ncql));
    memset(args, 0, sizeof *args * (size_t)(nargs + ncql));
    if (ir->has_bbox)
        for (int k = 0; k < 4; k++)
            args[k] = exchange_printf(ex, "%.17g", ir->bbox[k]);
    args[4] = exchange_printf(ex, "%ld", ir->limit);
    args[5] = exchange_printf(ex, "%ld", ir->offset);
    for (int k = 0; k < ir->q.nfilters; k++)
        args[6 + k] = ir->filter_values[k];
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
    lookup(ex, ex->path_params[0], items_lookup_done);
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
            "{\"rel\":\"collection\",\"type\":\"" CT_JSON "\",\"href\":\"%s\"}]}",
        exchange_url(ex, self),
        exchange_url(ex, exchange_printf(ex, "/ogc/collections/%s", ir->q.collection)));
    size_t flen = (size_t)PQgetlength(res, 0, 0), llen = strlen(links);
    char *body = h2o_mem_alloc_pool(&ex->req->pool, flen + llen);
    memcpy(body, PQgetvalue(res, 0, 0), flen - 1); /* without the final '}' */
    memcpy(body + flen - 1, links, llen);
    add_content_crs(ex, ir);
    respond_bytes(ex->req, 200, CT_GEOJSON, body, flen - 1 + llen);
}

static void item_lookup_done(struct exchange *ex, PGresult *res)
{
    if (no_collection(ex, res))
        return;
    struct items_req *ir = ex->handler_data;
    ir->q.collection = exchange_strdup(ex, PQgetvalue(res, 0, 0));
    params_allow_only(&ex->query, allowed_for(ex, NULL, 1));
    check_f(ex);
    read_crs(ex, "crs", &ir->q.srid, &ir->q.latlon, &ir->crs_uri);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    if (parse_integer(ex->path_params[1], &ir->fid) || ir->fid < 0) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "collection \"%s\" has no feature \"%s\" (feature ids are integers)",
                        ir->q.collection, ex->path_params[1]);
        return;
    }
    char *sql = ogc_item_sql(&ir->q);
    if (!sql) {
        respond_problem(ex->req, 500, "about:blank", "Internal Server Error", NULL,
                        "the catalogue entry of \"%s\" is not usable", ir->q.collection);
        return;
    }
    const char *psql = exchange_strdup(ex, sql);
    free(sql);
    const char *args[] = {exchange_printf(ex, "%ld", ir->fid)};
    exchange_query(ex, psql, 1, args, item_done);
}

void api_ogc_item(struct exchange *ex)
{
    struct items_req *ir = h2o_mem_alloc_pool(&ex->req->pool, sizeof *ir);
    memset(ir, 0, sizeof *ir);
    ex->handler_data = ir;
    lookup(ex, ex->path_params[0], item_lookup_done);
}
