/* OGC API - Features (Part 1 core + GeoJSON + OpenAPI 3.0, Part 2 CRS,
 * Part 3 queryables and filters) under /ogc: landing page, conformance, API
 * document, collections (the built-in public datasets of
 * gis/ogc_collections.c and every catalogued layer the caller may see) and
 * their queryables, and the pieces every /ogc route shares (api/ogc.h).
 * Items are api/ogc_items.c, reading their parameters api/ogc_params.c.
 * Staff-only layers are invisible (404) to everyone else. */
#include "gis/sql_ident.h"
#include "gis/ogc_sql.h"
#include "api/api.h"
#include "api/ogc.h"
#include "api/ogc_html.h"
#include "api/openapi/openapi.h"
#include "http/paging.h"
#include "http/respond.h"

#include <stdlib.h>
#include <string.h>

#define CT_OPENAPI "application/vnd.oai.openapi+json;version=3.0"
#define CT_SCHEMA "application/schema+json"
#define REL_QUERYABLES "http://www.opengis.net/def/rel/ogc/1.0/queryables"

const struct ogc_crs ogc_crs_list[] = {
    {CRS84, 4326, 0},
    {"http://www.opengis.net/def/crs/EPSG/0/4326", 4326, 1},
    {"http://www.opengis.net/def/crs/EPSG/0/3857", 3857, 0},
    {"http://www.opengis.net/def/crs/EPSG/0/2100", 2100, 0},
};
const int ogc_crs_count = (int)(sizeof ogc_crs_list / sizeof ogc_crs_list[0]);

static int is_staff(const struct exchange *ex)
{
    return ex->who.rank >= 2;
}

/* `f` is the standard format parameter: JSON (the default) or HTML. */
void ogc_check_f(struct exchange *ex)
{
    static const char *const fs[] = {"json", "geojson", "application/json",
                                     "application/geo+json", "html", "text/html", NULL};
    static const char *const langs[] = {"el", "en", NULL};
    const char *f, *lang;
    params_choice(&ex->query, "f", fs, 0, &f);
    params_choice(&ex->query, "lang", langs, 0, &lang);
}

const char *ogc_url_encode(struct exchange *ex, const char *s)
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

/* For the documents whose only parameters are f and lang: 1 after
 * answering 400 when the query string holds another or f is neither JSON
 * nor HTML. */
static int only_f_problem(struct exchange *ex)
{
    static const char *const allowed[] = {"f", "lang", NULL};
    params_allow_only(&ex->query, allowed);
    ogc_check_f(ex);
    return respond_params_problem(ex->req, &ex->query);
}

/* Collection id (NULL: all) as the caller may see it: sql is
 * ogc_collections_sql (the documents, with extents) or ogc_lookup_sql. */
static void collections_query(struct exchange *ex, const char *sql, const char *id,
                              exchange_result_cb cb)
{
    const char *args[] = {id, is_staff(ex) ? "t" : "f"};
    exchange_query(ex, sql, 2, args, cb);
}

/* The catalogue lookup every collection route starts with. */
void ogc_lookup(struct exchange *ex, const char *id, exchange_result_cb cb)
{
    collections_query(ex, ogc_lookup_sql(), id, cb);
}

static json_t *ogc_link(struct exchange *ex, const char *rel, const char *type,
                        const char *title, const char *path)
{
    json_t *l = json_pack("{s:s,s:s,s:s}", "rel", rel, "type", type, "href", exchange_url(ex, path));
    if (title)
        json_object_set_new(l, "title", json_string(title));
    return l;
}

json_t *ogc_alternate_html(struct exchange *ex, const char *path)
{
    return json_pack("{s:s,s:s,s:s,s:s}", "rel", "alternate", "type", CT_HTML, "title",
                     "this document as HTML", "href", ogc_url_with(ex, path, "f", "html"));
}

/* Answers doc (owned): JSON, or the HTML page kind when the request asks
 * for HTML (api/ogc_html.h). */
static void answer(struct exchange *ex, enum ogc_html_page kind, const char *collection,
                   json_t *doc)
{
    if (ogc_negotiate(ex)) {
        ogc_html_respond(ex, kind, collection, doc);
        json_decref(doc);
        return;
    }
    respond_json(ex->req, 200, doc);
}

/* 404 for a collection that does not exist or that the caller may not see
 * (a staff layer asked for anonymously): the same answer, nothing revealed. */
int ogc_no_collection(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return 1;
    if (PQntuples(res) > 0)
        return 0;
    respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                    "there is no collection \"%s\"", ex->path_params[0]);
    return 1;
}

/* ---- GET /ogc ---- */

void api_ogc_landing(struct exchange *ex)
{
    if (only_f_problem(ex))
        return;
    json_t *links = json_array();
    json_array_append_new(links, ogc_link(ex, "self", CT_JSON, "this document", "/ogc"));
    json_array_append_new(links, ogc_link(ex, "service-desc", CT_OPENAPI, "the API definition",
                                      "/ogc/api"));
    json_array_append_new(links, ogc_link(ex, "conformance", CT_JSON, "conformance classes",
                                      "/ogc/conformance"));
    json_array_append_new(links, ogc_link(ex, "data", CT_JSON, "collections", "/ogc/collections"));
    json_array_append_new(links, ogc_alternate_html(ex, "/ogc"));
    answer(ex, OGC_HTML_LANDING, NULL,
                 json_pack("{s:s,s:s,s:o}", "title", "polis OGC API - Features", "description",
                           "The public datasets of polis (boundaries, points of interest, events, "
                           "schools, school zones, citizen reports) and its municipal layers",
                           "links",
                           links));
}

/* ---- GET /ogc/conformance ---- */

void api_ogc_conformance(struct exchange *ex)
{
    if (only_f_problem(ex))
        return;
    /* Part 3 (OGC 19-079r2) and CQL2 (OGC 21-065r2): queryables, filter with
     * cql2-text, Basic CQL2, LIKE/BETWEEN/IN and all S_* functions on the
     * geometry types gis/cql2.h reads. */
    json_t *doc =
        json_pack("{s:[s,s,s,s,s,s,s,s,s,s,s,s,s,s],s:[o]}", "conformsTo",
                           "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                           "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                           "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
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
                           "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
                  "links", ogc_alternate_html(ex, "/ogc/conformance"));
    answer(ex, OGC_HTML_CONFORMANCE, NULL, doc);
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

/* Row i's title in the answer's language (ogc_english). */
static const char *collection_title(struct exchange *ex, PGresult *res, int i)
{
    return PQgetvalue(res, i, ogc_english(ex) ? OGC_COLLECTIONS_TITLE_EN : OGC_COLLECTIONS_TITLE);
}

/* One collection document from row i of OGC_COLLECTIONS_SQL. */
static json_t *collection_json(struct exchange *ex, PGresult *res, int i)
{
    const char *id = PQgetvalue(res, i, OGC_COLLECTIONS_NAME);
    json_t *c = json_pack("{s:s,s:s,s:s,s:s}", "id", id, "title", collection_title(ex, res, i),
                          "description",
                          PQgetvalue(res, i, OGC_COLLECTIONS_DESCRIPTION), "itemType", "feature");
    json_t *extent = json_object();
    if (!PQgetisnull(res, i, OGC_COLLECTIONS_XMIN)) {
        static const int corners[] = {OGC_COLLECTIONS_XMIN, OGC_COLLECTIONS_YMIN,
                                      OGC_COLLECTIONS_XMAX, OGC_COLLECTIONS_YMAX};
        json_t *bbox = json_array();
        for (int k = 0; k < 4; k++)
            json_array_append_new(bbox, json_real(atof(PQgetvalue(res, i, corners[k]))));
        json_object_set_new(extent, "spatial",
                            json_pack("{s:[o],s:s}", "bbox", bbox, "crs", CRS84));
    }
    if (!PQgetisnull(res, i, OGC_COLLECTIONS_TIME_MIN))
        json_object_set_new(extent, "temporal",
                            json_pack("{s:[[s,s]],s:s}", "interval",
                                      PQgetvalue(res, i, OGC_COLLECTIONS_TIME_MIN),
                                      PQgetvalue(res, i, OGC_COLLECTIONS_TIME_MAX), "trs",
                                      "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"));
    json_object_set_new(c, "extent", extent);
    json_t *crs = json_array();
    for (int k = 0; k < ogc_crs_count; k++)
        json_array_append_new(crs, json_string(ogc_crs_list[k].uri));
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
    json_array_append_new(links, ogc_link(ex, "alternate", CT_HTML, "this collection as HTML",
                                          exchange_printf(ex, "%s?f=html", base)));
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
    json_array_append_new(links, ogc_alternate_html(ex, "/ogc/collections"));
    answer(ex, OGC_HTML_COLLECTIONS, NULL, json_pack("{s:o,s:o}", "links", links, "collections", list));
}

void api_ogc_collections(struct exchange *ex)
{
    if (!only_f_problem(ex))
        collections_query(ex, ogc_collections_sql(), NULL, collections_done);
}


static void collection_done(struct exchange *ex, PGresult *res)
{
    if (ogc_no_collection(ex, res))
        return;
    answer(ex, OGC_HTML_COLLECTION, PQgetvalue(res, 0, OGC_COLLECTIONS_NAME),
           collection_json(ex, res, 0));
}

void api_ogc_collection(struct exchange *ex)
{
    if (!only_f_problem(ex))
        collections_query(ex, ogc_collections_sql(), ex->path_params[0], collection_done);
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
    if (ogc_no_collection(ex, res))
        return;
    const char *id = PQgetvalue(res, 0, OGC_COLLECTIONS_NAME);
    const char *gtype = PQgetvalue(res, 0, OGC_COLLECTIONS_GEOMETRY_TYPE);
    const char *tcol = PQgetisnull(res, 0, OGC_COLLECTIONS_TIME_COLUMN)
                           ? NULL
                           : PQgetvalue(res, 0, OGC_COLLECTIONS_TIME_COLUMN);
    const char *tend = PQgetisnull(res, 0, OGC_COLLECTIONS_TIME_END_COLUMN)
                           ? NULL
                           : PQgetvalue(res, 0, OGC_COLLECTIONS_TIME_END_COLUMN);
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
    json_t *attrs = json_loads(PQgetvalue(res, 0, OGC_COLLECTIONS_ATTRIBUTES), 0, NULL), *a;
    size_t i;
    json_array_foreach(attrs, i, a) {
        const char *name = json_string_value(json_object_get(a, "name"));
        const char *type = json_string_value(json_object_get(a, "type"));
        const char *src = json_string_value(json_object_get(a, "title"));
        if (!src)
            src = json_string_value(json_object_get(a, "source_name"));
        if (!name || !type || !sql_ident_ok(name) || !strcmp(name, "geometry"))
            continue;
        json_t *s = queryable_schema(type, src && *src ? src : name);
        if (tcol && !strcmp(name, tcol))
            json_object_set_new(s, "x-ogc-role", json_string(tend ? "primary-interval-start"
                                                                  : "primary-instant"));
        else if (tend && !strcmp(name, tend))
            json_object_set_new(s, "x-ogc-role", json_string("primary-interval-end"));
        json_object_set_new(props, name, s);
    }
    json_decref(attrs);
    json_t *doc = json_pack(
        "{s:s,s:s,s:s,s:s,s:o,s:b}", "$schema", "https://json-schema.org/draft/2020-12/schema",
        "$id", exchange_url(ex, exchange_printf(ex, "/ogc/collections/%s/queryables", id)),
        "type", "object", "title", collection_title(ex, res, 0), "properties", props,
        "additionalProperties", 0);
    json_object_set_new(
        doc, "links",
        json_pack("[o]", ogc_alternate_html(ex, exchange_printf(ex, "/ogc/collections/%s/queryables", id))));
    if (ogc_negotiate(ex)) {
        ogc_html_respond(ex, OGC_HTML_QUERYABLES, id, doc);
        json_decref(doc);
        return;
    }
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    respond_bytes(ex->req, 200, CT_SCHEMA, text, strlen(text));
    free(text);
}

void api_ogc_queryables(struct exchange *ex)
{
    if (!only_f_problem(ex))
        ogc_lookup(ex, ex->path_params[0], queryables_done);
}
