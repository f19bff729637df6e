/* OGC API Features under /ogc, checked the way clients use it: the landing
 * page, conformance and API document; collections (boundaries and the public
 * layers; a staff layer is 404 to anonymous callers and 200 to staff);
 * items pages that together hold numberMatched features exactly once;
 * bbox, property filters, crs; 400 for unknown parameters; limit over the
 * maximum clamped to 1000; the routes with and without a trailing slash;
 * and a real client: GDAL's OAPIF driver lists the
 * collections and ogr2ogr fetches every boundary by following next links. */
#include "h_accounts.h"
#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *link_href(json_t *doc, const char *rel)
{
    json_t *l;
    size_t i;
    json_array_foreach(json_object_get(doc, "links"), i, l) {
        const char *r = json_string_value(json_object_get(l, "rel"));
        if (r && !strcmp(r, rel))
            return json_string_value(json_object_get(l, "href"));
    }
    return NULL;
}

static int has_collection(json_t *doc, const char *id)
{
    json_t *c;
    size_t i;
    json_array_foreach(json_object_get(doc, "collections"), i, c)
        if (!strcmp(json_string_value(json_object_get(c, "id")) ?: "", id))
            return 1;
    return 0;
}

/* Follows next links from path; checks every id arrives exactly once and
 * returns the number of features (-1 on a broken page). */
static long walk(const struct h_server *s, const char *path, long *matched)
{
    char url[2048];
    snprintf(url, sizeof url, "%s%s", s->base, path);
    long seen = 0;
    int pages = 0;
    char *ids = calloc(1000000, 1);
    while (url[0] && pages++ < 500) {
        struct h_resp r;
        h_get_url(url, &r);
        if (r.status != 200 || !r.json) {
            CHECK(0, "GET %s: expected 200 JSON, found %ld", url, r.status);
            h_resp_free(&r);
            free(ids);
            return -1;
        }
        CHECK_STR("items media type", r.media_type, "application/geo+json");
        *matched = (long)json_integer_value(json_object_get(r.json, "numberMatched"));
        json_t *feats = json_object_get(r.json, "features"), *f;
        CHECK_INT("numberReturned = features on the page",
                  json_integer_value(json_object_get(r.json, "numberReturned")),
                  (long long)json_array_size(feats));
        size_t i;
        json_array_foreach(feats, i, f) {
            long long id = json_integer_value(json_object_get(f, "id"));
            if (id > 0 && id < 1000000) {
                CHECK(!ids[id], "feature %lld seen twice while paging", id);
                ids[id] = 1;
            }
            seen++;
        }
        const char *next = link_href(r.json, "next");
        snprintf(url, sizeof url, "%s", next ? next : "");
        h_resp_free(&r);
    }
    free(ids);
    return seen;
}

int main(void)
{
    h_init("test_ogc", 240);
    h_require_tool("ogr2ogr");
    h_require_tool("ogrinfo");
    const char *url = h_shared_dburl();
    h_use_database(url);
    PGconn *db = h_pg_connect(url);
    char pub[64], staff[64];
    snprintf(pub, sizeof pub, "ogc%ld_parking", (long)getpid());
    snprintf(staff, sizeof staff, "ogc%ld_staffonly", (long)getpid());
    const char *data = h_env("POLIS_DATA");
    CHECK(h_run(NULL, "'%s' import '%s/thessaloniki_amea_parking_spots.geojson' --as %s "
              "--title-el 'Θέσεις ΑμεΑ' 2>/dev/null", h_env("POLIS_BIN"), data, pub) == 0,
          "import the public layer");
    CHECK(h_run(NULL, "'%s' import '%s/thessaloniki_amea_parking_spots.geojson' --as %s --staff "
              "2>/dev/null", h_env("POLIS_BIN"), data, staff) == 0, "import the staff layer");

    struct h_server s;
    if (h_server_start(&s, url, NULL) != 0)
        return h_finish();
    struct h_resp r;

    /* landing page, conformance, API document */
    h_get(&s, "/ogc", &r);
    CHECK_INT("GET /ogc", r.status, 200);
    static const char *rels[] = {"self", "conformance", "service-desc", "data"};
    for (int i = 0; i < 4; i++) {
        const char *h = link_href(r.json, rels[i]);
        CHECK(h && !strncmp(h, s.base, strlen(s.base)), "landing link %s: expected absolute URL, "
              "found %s", rels[i], h ? h : "(none)");
    }
    CHECK_HAS("data link", link_href(r.json, "data") ?: "", "/ogc/collections");
    h_resp_free(&r);
    h_get(&s, "/ogc?f=json", &r);
    CHECK_INT("GET /ogc?f=json", r.status, 200);
    h_resp_free(&r);

    /* with a trailing slash, as clients and documents write it: the same
     * answers, and links without the slash */
    static const char *const slashed[][2] = {
        {"/ogc/", "/ogc"},
        {"/ogc/collections/", "/ogc/collections"},
        {"/ogc/collections/boundaries/", "/ogc/collections/boundaries"},
        {"/ogc/collections/boundaries/queryables/", "/ogc/collections/boundaries/queryables"},
        {"/ogc/conformance/", "/ogc/conformance"},
    };
    for (size_t i = 0; i < sizeof slashed / sizeof slashed[0]; i++) {
        struct h_resp a, b;
        h_get(&s, slashed[i][0], &a);
        h_get(&s, slashed[i][1], &b);
        CHECK(a.status == 200 && b.status == 200 && a.len == b.len &&
                  !memcmp(a.body, b.body, a.len),
              "GET %s (%ld) answers as %s (%ld): %.200s", slashed[i][0], a.status,
              slashed[i][1], b.status, a.body);
        CHECK(!strstr(a.body, "/ogc/\"") && !strstr(a.body, "/ogc/collections/\""),
              "%s gives canonical links: %.300s", slashed[i][0], a.body);
        h_resp_free(&a);
        h_resp_free(&b);
    }
    h_get(&s, "/ogc/collections/boundaries/items/?limit=2", &r);
    CHECK_INT("items/ with a slash", r.status, 200);
    CHECK_INT("items/ numberReturned", json_integer_value(json_object_get(r.json,
                                                                         "numberReturned")), 2);
    CHECK(!strstr(link_href(r.json, "self") ?: "/items/", "/items/"),
          "items/ self link is canonical: %s", link_href(r.json, "self") ?: "(none)");
    h_resp_free(&r);
    h_get(&s, "/ogc/collections//", &r);
    CHECK_INT("one slash is left out, not two", r.status, 404);
    h_resp_free(&r);
    h_get(&s, "/ogc/conformance", &r);
    CHECK_HAS("conformance", r.body, "ogcapi-features-1/1.0/conf/core");
    CHECK_HAS("conformance", r.body, "ogcapi-features-1/1.0/conf/geojson");
    CHECK_HAS("conformance", r.body, "ogcapi-features-1/1.0/conf/oas30");
    h_resp_free(&r);
    /* the API document: what a client generator reads, with the server's own
     * address to call (the document is a file; the address is the request's) */
    h_get(&s, "/ogc/api", &r);
    CHECK_INT("GET /ogc/api", r.status, 200);
    CHECK_STR("API document media type", r.media_type, "application/vnd.oai.openapi+json");
    CHECK_STR("openapi version", json_string_value(json_object_get(r.json, "openapi")), "3.0.3");
    json_t *paths = json_object_get(r.json, "paths");
    json_t *items_op = json_object_get(json_object_get(paths, "/collections/{collectionId}/items"),
                                       "get");
    CHECK(items_op, "the API document describes GET /collections/{collectionId}/items");
    char *items_params = json_dumps(json_object_get(items_op, "parameters"), 0);
    CHECK_HAS("items parameters", items_params ?: "", "#/components/parameters/filter");
    free(items_params);
    json_t *server = json_array_get(json_object_get(r.json, "servers"), 0);
    char ogc_url[256];
    snprintf(ogc_url, sizeof ogc_url, "%s/ogc", s.base);
    CHECK_STR("servers[0].url", json_string_value(json_object_get(server, "url")), ogc_url);
    h_resp_free(&r);

    /* collections: boundaries and the public layer; the staff one hidden */
    h_get(&s, "/ogc/collections", &r);
    CHECK(has_collection(r.json, "boundaries"), "collections: boundaries listed");
    CHECK(has_collection(r.json, pub), "collections: public layer listed");
    CHECK(!has_collection(r.json, staff), "collections: staff layer hidden from anonymous");
    h_resp_free(&r);
    char path[512];
    snprintf(path, sizeof path, "/ogc/collections/%s", pub);
    h_get(&s, path, &r);
    CHECK_INT(path, r.status, 200);
    json_t *bbox = json_array_get(json_object_get(json_object_get(json_object_get(
                                      r.json, "extent"), "spatial"), "bbox"), 0);
    double minlon = json_number_value(json_array_get(bbox, 0));
    CHECK(minlon > 22.9 && minlon < 22.92, "extent of the parking layer: minlon %f", minlon);
    CHECK_STR("itemType", json_string_value(json_object_get(r.json, "itemType")), "feature");
    CHECK(link_href(r.json, "items") != NULL, "collection has an items link");
    h_resp_free(&r);
    snprintf(path, sizeof path, "/ogc/collections/%s", staff);
    h_get(&s, path, &r);
    CHECK_INT("staff layer as anonymous", r.status, 404);
    h_resp_free(&r);
    snprintf(path, sizeof path, "/ogc/collections/%s/items", staff);
    h_get(&s, path, &r);
    CHECK_INT("staff layer items as anonymous", r.status, 404);
    h_resp_free(&r);
    struct ha_user st;
    if (ha_new_user(&s, db, "ogc-staff", &st) == 0) {
        ha_set_role(db, &st, "staff", "tourism");
        snprintf(path, sizeof path, "/ogc/collections/%s", staff);
        ha_call(&s, &st, "GET", path, NULL, &r);
        CHECK_INT("staff layer as staff", r.status, 200);
        h_resp_free(&r);
        ha_call(&s, &st, "GET", "/api/v1/layers", NULL, &r);
        CHECK_HAS("/api/v1/layers as staff", r.body, staff);
        h_resp_free(&r);
    }
    h_get(&s, "/api/v1/layers", &r);
    CHECK_HAS("/api/v1/layers anonymous", r.body, pub);
    CHECK(!strstr(r.body, staff), "/api/v1/layers anonymous must not list the staff layer");
    h_resp_free(&r);
    h_get(&s, "/ogc/collections/no_such_layer", &r);
    CHECK_INT("unknown collection", r.status, 404);
    h_resp_free(&r);

    /* paging: every feature exactly once, numberMatched right */
    long matched = 0;
    long seen = walk(&s, "/ogc/collections/boundaries/items?limit=50", &matched);
    char *n = h_pg_value(db, "SELECT count(*) FROM boundaries", 0, NULL);
    CHECK_INT("boundaries numberMatched", matched, atol(n));
    CHECK_INT("boundaries seen by paging", seen, atol(n));
    free(n);
    snprintf(path, sizeof path, "/ogc/collections/%s/items?limit=7", pub);
    seen = walk(&s, path, &matched);
    CHECK_INT("parking numberMatched", matched, 254);
    CHECK_INT("parking seen by paging", seen, 254);

    /* bbox: the count PostGIS gives */
    seen = walk(&s, "/ogc/collections/boundaries/items?bbox=23.2,40.9,23.9,41.3&limit=5", &matched);
    n = h_pg_value(db, "SELECT count(*) FROM boundaries WHERE ST_Intersects(geom,"
                       " ST_MakeEnvelope(23.2, 40.9, 23.9, 41.3, 4326))", 0, NULL);
    CHECK_INT("bbox numberMatched", matched, atol(n));
    CHECK_INT("bbox seen", seen, atol(n));
    free(n);

    /* property filter, prev link, single item */
    h_get(&s, "/ogc/collections/boundaries/items?code=9054", &r);
    CHECK_INT("filter code=9054", json_integer_value(json_object_get(r.json, "numberMatched")), 1);
    json_t *f0 = json_array_get(json_object_get(r.json, "features"), 0);
    CHECK_STR("Σερρών by filter", json_string_value(json_object_get(
                  json_object_get(f0, "properties"), "name_el")), "Δήμος Σερρών");
    long long sid = json_integer_value(json_object_get(f0, "id"));
    h_resp_free(&r);
    snprintf(path, sizeof path, "/ogc/collections/boundaries/items/%lld", sid);
    h_get(&s, path, &r);
    CHECK_INT(path, r.status, 200);
    CHECK_STR("item media type", r.media_type, "application/geo+json");
    CHECK_STR("item type", json_string_value(json_object_get(r.json, "type")), "Feature");
    CHECK(link_href(r.json, "self") != NULL, "item has a self link");
    h_resp_free(&r);
    h_get(&s, "/ogc/collections/boundaries/items/999999999", &r);
    CHECK_INT("absent item", r.status, 404);
    h_resp_free(&r);
    snprintf(path, sizeof path, "/ogc/collections/%s/items?license=Public&limit=100", pub);
    seen = walk(&s, path, &matched);
    CHECK_INT("license=Public", seen, 62);
    h_get(&s, "/ogc/collections/boundaries/items?limit=10&offset=20", &r);
    CHECK_HAS("prev link", link_href(r.json, "prev") ?: "", "offset=10");
    h_resp_free(&r);

    /* bad input: 400 naming the parameter; limit over the maximum clamped */
    h_get(&s, "/ogc/collections/boundaries/items?colour=red", &r);
    CHECK_PROBLEM("unknown parameter", &r, 400, "colour");
    h_resp_free(&r);
    h_get(&s, "/ogc/collections/boundaries/items?limit=0", &r);
    CHECK_PROBLEM("limit=0", &r, 400, "limit");
    h_resp_free(&r);
    h_get(&s, "/ogc/collections/boundaries/items?bbox=1,2,3", &r);
    CHECK_PROBLEM("bad bbox", &r, 400, "bbox");
    h_resp_free(&r);
    snprintf(path, sizeof path, "/ogc/collections/%s/items?objectid=abc", pub);
    h_get(&s, path, &r);
    CHECK_PROBLEM("objectid=abc", &r, 400, "objectid");
    h_resp_free(&r);
    h_get(&s, "/ogc/collections/boundaries/items?limit=5000", &r);
    CHECK_INT("limit=5000 is clamped", r.status, 200);
    CHECK_INT("limit=5000: numberReturned (all 326 fit in 1000)",
              json_integer_value(json_object_get(r.json, "numberReturned")), 326);
    h_resp_free(&r);
    h_get(&s, "/ogc/collections/boundaries/items?limit=5000&offset=300", &r);
    CHECK_HAS("clamped limit in prev link", link_href(r.json, "prev") ?: "", "limit=1000");
    h_resp_free(&r);

    /* crs: EPSG:2100 coordinates and the Content-Crs header */
    snprintf(path, sizeof path, "/ogc/collections/boundaries/items/%lld?crs="
             "http://www.opengis.net/def/crs/EPSG/0/2100", sid);
    h_get(&s, path, &r);
    char *ccrs = h_resp_header(&r, "content-crs");
    CHECK_STR("Content-Crs", ccrs, "<http://www.opengis.net/def/crs/EPSG/0/2100>");
    free(ccrs);
    json_t *pt = json_array_get(json_array_get(json_array_get(json_object_get(
                     json_object_get(r.json, "geometry"), "coordinates"), 0), 0), 0);
    double x = json_number_value(json_array_get(pt, 0));
    CHECK(x > 400000 && x < 600000, "Serres easting in EPSG:2100: found %f", x);
    h_resp_free(&r);

    /* a real client: GDAL's OAPIF driver */
    char *out;
    int rc = h_run(&out, "ogrinfo -ro -so 'OAPIF:%s/ogc' 2>&1", s.base);
    CHECK(rc == 0, "ogrinfo OAPIF: exit %d: %s", rc, out);
    CHECK_HAS("ogrinfo OAPIF", out, "boundaries");
    CHECK_HAS("ogrinfo OAPIF", out, pub);
    free(out);
    char gpkg[256];
    snprintf(gpkg, sizeof gpkg, "/tmp/polis-ogc-%ld.gpkg", (long)getpid());
    unlink(gpkg);
    rc = h_run(&out, "ogr2ogr -f GPKG '%s' 'OAPIF:%s/ogc' boundaries 2>&1", gpkg, s.base);
    CHECK(rc == 0, "ogr2ogr OAPIF: exit %d: %s", rc, out);
    free(out);
    h_run(&out, "ogrinfo -ro -so '%s' boundaries 2>&1", gpkg);
    n = h_pg_value(db, "SELECT 'Feature Count: ' || count(*) FROM boundaries", 0, NULL);
    CHECK_HAS("ogr2ogr fetched every boundary", out, n);
    free(n);
    free(out);
    h_run(&out, "ogrinfo -ro -al '%s' boundaries -where \"code = '9054'\" 2>&1", gpkg);
    CHECK_HAS("Greek name through OAPIF", out, "Δήμος Σερρών");
    free(out);
    unlink(gpkg);

    char sql[512];
    snprintf(sql, sizeof sql, "DROP TABLE layers.%s, layers.%s; DELETE FROM layer_catalogue"
             " WHERE name IN ('%s', '%s')", pub, staff, pub, staff);
    h_owner_exec(url, sql);
    PQfinish(db);
    return h_finish();
}
