/* OGC API Features Part 3 on /ogc: queryables as JSON Schema, CQL2 text in
 * `filter` on boundaries and on an imported layer (numberMatched equal to
 * the same count computed in SQL, the right feature for code and point
 * filters, next links that keep the filter), `datetime` on a layer with a
 * time column, and 400s that name filter / filter-lang / filter-crs /
 * datetime with what was expected and where. GDAL's OAPIF driver reads a
 * filtered layer too. */
#include "harness.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct h_server s;
static PGconn *db;

/* GET items of collection with filter (percent-encoded here) and extra
 * query text; the response in *r. */
static void get_filtered(const char *collection, const char *filter, const char *extra,
                         struct h_resp *r)
{
    char *enc = curl_easy_escape(NULL, filter, 0);
    char path[12000];
    snprintf(path, sizeof path, "/ogc/collections/%s/items?filter=%s%s", collection, enc,
             extra ? extra : "");
    curl_free(enc);
    h_get(&s, path, r);
}

static long long sql_count(const char *sql)
{
    char *v = h_pg_value(db, sql, 0, NULL);
    long long n = v ? atoll(v) : -1;
    free(v);
    return n;
}

/* numberMatched of a filter, -status when it is not a 200. */
static long long matched(const char *collection, const char *filter, const char *extra)
{
    struct h_resp r;
    get_filtered(collection, filter, extra, &r);
    long long n = r.status == 200 ? json_integer_value(json_object_get(r.json, "numberMatched"))
                                  : -r.status;
    if (r.status != 200)
        fprintf(stderr, "  %s: %.400s\n", filter, r.body);
    h_resp_free(&r);
    return n;
}

/* The filter matches exactly as many features as the SQL count. */
static void same_count(const char *collection, const char *filter, const char *sql)
{
    long long want = sql_count(sql);
    char what[600];
    snprintf(what, sizeof what, "numberMatched of %s", filter);
    CHECK_INT(what, matched(collection, filter, NULL), want);
}

/* A bad filter: 400 naming param, and the message has needle in it. */
static void bad(const char *collection, const char *filter, const char *extra, const char *param,
                const char *needle)
{
    struct h_resp r;
    get_filtered(collection, filter, extra, &r);
    char what[600];
    snprintf(what, sizeof what, "filter %s%s", filter, extra ? extra : "");
    CHECK_PROBLEM(what, &r, 400, param);
    if (needle)
        CHECK_HAS(what, r.body, needle);
    h_resp_free(&r);
}

static const char *first_prop(json_t *doc, const char *name)
{
    json_t *f = json_array_get(json_object_get(doc, "features"), 0);
    return json_string_value(json_object_get(json_object_get(f, "properties"), name));
}

static void check_conformance(void)
{
    struct h_resp r;
    h_get(&s, "/ogc/conformance", &r);
    CHECK_INT("conformance", r.status, 200);
    static const char *const classes[] = {
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
        "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
        "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
        NULL};
    for (int i = 0; classes[i]; i++)
        CHECK_HAS("conformsTo", r.body, classes[i]);
    h_resp_free(&r);
    h_get(&s, "/ogc/api", &r);
    CHECK_INT("API document", r.status, 200);
    CHECK_HAS("API document lists filter", r.body, "\"name\":\"filter\"");
    CHECK_HAS("API document lists filter-lang", r.body, "\"cql2-text\"");
    CHECK_HAS("API document lists datetime", r.body, "\"name\":\"datetime\"");
    CHECK_HAS("API document lists queryables", r.body, "/collections/{collectionId}/queryables");
    h_resp_free(&r);
}

static void check_queryables(const char *layer)
{
    struct h_resp r;
    h_get(&s, "/ogc/collections/boundaries/queryables", &r);
    CHECK_INT("boundaries queryables", r.status, 200);
    CHECK_STR("queryables media type", r.media_type, "application/schema+json");
    json_t *p = json_object_get(r.json, "properties");
    CHECK_STR("$schema", json_string_value(json_object_get(r.json, "$schema")),
              "https://json-schema.org/draft/2020-12/schema");
    CHECK_HAS("$id", json_string_value(json_object_get(r.json, "$id")) ?: "",
              "/ogc/collections/boundaries/queryables");
    CHECK_STR("type object", json_string_value(json_object_get(r.json, "type")), "object");
    CHECK(json_is_false(json_object_get(r.json, "additionalProperties")),
          "additionalProperties: expected false, found %.200s", r.body);
    static const char *const text[] = {"code", "name_el", "name_en", "level", NULL};
    for (int i = 0; text[i]; i++)
        CHECK_STR(text[i], json_string_value(json_object_get(json_object_get(p, text[i]), "type")),
                  "string");
    CHECK_STR("parent_id", json_string_value(json_object_get(json_object_get(p, "parent_id"),
                                                             "type")), "integer");
    json_t *g = json_object_get(p, "geometry");
    CHECK_STR("geometry format", json_string_value(json_object_get(g, "format")),
              "geometry-multipolygon");
    CHECK_STR("geometry role", json_string_value(json_object_get(g, "x-ogc-role")),
              "primary-geometry");
    h_resp_free(&r);

    char path[256];
    snprintf(path, sizeof path, "/ogc/collections/%s/queryables", layer);
    h_get(&s, path, &r);
    CHECK_INT("layer queryables", r.status, 200);
    p = json_object_get(r.json, "properties");
    CHECK_STR("objectid", json_string_value(json_object_get(json_object_get(p, "objectid"),
                                                            "type")), "integer");
    CHECK_STR("license", json_string_value(json_object_get(json_object_get(p, "license"),
                                                           "type")), "string");
    CHECK_STR("lon", json_string_value(json_object_get(json_object_get(p, "lon"), "type")),
              "number");
    CHECK_STR("point layer geometry", json_string_value(json_object_get(
                  json_object_get(p, "geometry"), "format")), "geometry-point");
    h_resp_free(&r);

    h_get(&s, "/ogc/collections/nosuch/queryables", &r);
    CHECK_PROBLEM("queryables of a missing collection", &r, 404, NULL);
    h_resp_free(&r);
    h_get(&s, "/ogc/collections/boundaries", &r);
    CHECK_HAS("collection links to its queryables", r.body,
              "\"rel\":\"http://www.opengis.net/def/rel/ogc/1.0/queryables\"");
    h_resp_free(&r);
}

static void check_boundaries(void)
{
    struct h_resp r;
    get_filtered("boundaries", "code='9054'", NULL, &r);
    CHECK_INT("code='9054'", r.status, 200);
    CHECK_INT("code='9054' matches one", json_integer_value(json_object_get(r.json,
                                                                             "numberMatched")), 1);
    CHECK_STR("code='9054' is Serres", first_prop(r.json, "name_el"), "Δήμος Σερρών");
    h_resp_free(&r);
    get_filtered("boundaries", "S_INTERSECTS(geometry, POINT(23.5496 41.0910))",
                 "&limit=50", &r);
    CHECK_INT("point in Serres", r.status, 200);
    int serres = 0;
    json_t *f;
    size_t i;
    json_array_foreach(json_object_get(r.json, "features"), i, f) {
        const char *code = json_string_value(json_object_get(json_object_get(f, "properties"),
                                                             "code"));
        if (code && !strcmp(code, "9054"))
            serres = 1;
    }
    CHECK(serres, "S_INTERSECTS(geometry, POINT(23.5496 41.0910)): Serres expected, found %.300s",
          r.body);
    h_resp_free(&r);
    same_count("boundaries", "S_INTERSECTS(geometry, POINT(23.5496 41.0910))",
               "SELECT count(*) FROM boundaries WHERE ST_Intersects(geom, "
               "ST_SetSRID(ST_MakePoint(23.5496, 41.0910), 4326))");
    CHECK(sql_count("SELECT count(*) FROM boundaries WHERE name_el LIKE 'Δήμος Σ%'") > 1,
          "fixture: several municipalities start with Δήμος Σ");
    same_count("boundaries", "name_el LIKE 'Δήμος Σ%'",
               "SELECT count(*) FROM boundaries WHERE name_el LIKE 'Δήμος Σ%'");
    same_count("boundaries", "name_el NOT LIKE 'Δήμος Σ%'",
               "SELECT count(*) FROM boundaries WHERE name_el NOT LIKE 'Δήμος Σ%'");
    same_count("boundaries", "code IN ('9054', '9055', 'none')",
               "SELECT count(*) FROM boundaries WHERE code IN ('9054', '9055', 'none')");
    same_count("boundaries", "code IS NULL", "SELECT count(*) FROM boundaries WHERE code IS NULL");
    CHECK(sql_count("SELECT count(*) FROM boundaries WHERE code IS NULL AND name_el LIKE '%Άθως%'")
              >= 1, "fixture: Mount Athos has no code");
    get_filtered("boundaries", "code IS NULL AND name_el LIKE '%Άθως%'", NULL, &r);
    CHECK_INT("Athos by IS NULL", json_integer_value(json_object_get(r.json, "numberMatched")),
              sql_count("SELECT count(*) FROM boundaries WHERE code IS NULL AND name_el LIKE "
                        "'%Άθως%'"));
    h_resp_free(&r);
    same_count("boundaries", "code IS NOT NULL",
               "SELECT count(*) FROM boundaries WHERE code IS NOT NULL");
    same_count("boundaries", "NOT (level = 'municipality') OR code = '9054'",
               "SELECT count(*) FROM boundaries WHERE NOT (level = 'municipality') OR code = "
               "'9054'");
    same_count("boundaries", "parent_id BETWEEN 1 AND 100000",
               "SELECT count(*) FROM boundaries WHERE parent_id BETWEEN 1 AND 100000");
    same_count("boundaries", "code >= '9000' AND code < '9100'",
               "SELECT count(*) FROM boundaries WHERE code >= '9000' AND code < '9100'");
    same_count("boundaries",
               "S_INTERSECTS(geometry, BBOX(23.3, 40.9, 23.8, 41.3)) AND level = 'municipality'",
               "SELECT count(*) FROM boundaries WHERE ST_Intersects(geom, ST_MakeEnvelope(23.3, "
               "40.9, 23.8, 41.3, 4326)) AND level = 'municipality'");
    /* filter and the older ?attribute=value and bbox combine (AND) */
    same_count("boundaries", "name_el LIKE 'Δήμος%'",
               "SELECT count(*) FROM boundaries WHERE name_el LIKE 'Δήμος%'");
    CHECK_INT("filter AND code=9054 AND bbox",
              matched("boundaries", "name_el LIKE 'Δήμος%'", "&code=9054&bbox=23,40,24,42"), 1);
    /* a self-intersecting polygon is still a 200 (PostGIS decides) */
    CHECK(matched("boundaries", "S_INTERSECTS(geometry, POLYGON((23 41, 24 42, 24 41, 23 42, 23 41)))",
                  NULL) >= 0, "bow-tie polygon: expected 200");
    CHECK(matched("boundaries", "S_CONTAINS(geometry, POLYGON((23 41, 24 42, 24 41, 23 42, 23 41)))",
                  NULL) >= 0, "bow-tie polygon in S_CONTAINS: expected 200");
    /* quotes inside a literal stay a value */
    CHECK_INT("injection stays a value",
              matched("boundaries", "code = '9054'' OR ''1''=''1'", NULL), 0);
    CHECK(sql_count("SELECT count(*) FROM boundaries") > 0, "boundaries still there");

    /* the next link keeps the filter; the pages hold numberMatched features */
    long long want = sql_count("SELECT count(*) FROM boundaries WHERE name_el LIKE 'Δήμος Σ%'");
    get_filtered("boundaries", "name_el LIKE 'Δήμος Σ%'", "&limit=2", &r);
    long long seen = 0;
    for (int pages = 0; r.status == 200 && pages < 100; pages++) {
        seen += (long long)json_array_size(json_object_get(r.json, "features"));
        const char *next = NULL;
        json_t *l;
        json_array_foreach(json_object_get(r.json, "links"), i, l)
            if (!strcmp(json_string_value(json_object_get(l, "rel")) ?: "", "next"))
                next = json_string_value(json_object_get(l, "href"));
        if (!next)
            break;
        CHECK_HAS("next link keeps the filter", next, "filter=");
        char url[4096];
        snprintf(url, sizeof url, "%s", next);
        h_resp_free(&r);
        h_get_url(url, &r);
    }
    h_resp_free(&r);
    CHECK_INT("features over the filtered pages", seen, want);
}

static void check_layer(const char *layer)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM layers.%s WHERE license = 'Public' AND objectid < 100", layer);
    CHECK(sql_count(sql) > 0, "fixture: some public spots below objectid 100");
    same_count(layer, "license='Public' AND objectid < 100", sql);
    CHECK_INT("objectid BETWEEN 10 AND 20", matched(layer, "objectid BETWEEN 10 AND 20", NULL),
              11);
    CHECK_INT("objectid IN (1, 2, 3)", matched(layer, "objectid IN (1, 2, 3)", NULL), 3);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM layers.%s WHERE lon > 22.94", layer);
    same_count(layer, "lon > 22.94", sql);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM layers.%s WHERE ST_Intersects(geom, "
             "ST_MakeEnvelope(22.93, 40.63, 22.95, 40.65, 4326))", layer);
    same_count(layer, "S_INTERSECTS(geometry, BBOX(22.93, 40.63, 22.95, 40.65))", sql);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM layers.%s WHERE ST_Within(geom, ST_GeomFromText("
             "'POLYGON((22.93 40.63, 22.95 40.63, 22.95 40.65, 22.93 40.65, 22.93 40.63))', "
             "4326)) AND NOT objectid = 1", layer);
    same_count(layer, "S_WITHIN(geometry, POLYGON((22.93 40.63, 22.95 40.63, 22.95 40.65, "
                      "22.93 40.65, 22.93 40.63))) AND NOT objectid = 1", sql);
    bad(layer, "objectid = 'one'", NULL, "filter", "a number to compare with objectid");
    bad(layer, "license LIKE 5", NULL, "filter", "a string pattern after LIKE");
}

/* The harness keeps URLs under 4 KB; a filter past the limit goes out
 * through libcurl here. Returns the status; the body in *body (malloc'd). */
static long get_long(const char *collection, const char *filter, char **body)
{
    CURL *c = curl_easy_init();
    char *enc = curl_easy_escape(c, filter, 0);
    size_t len = strlen(enc) + 256;
    char *url = malloc(len);
    snprintf(url, len, "%s/ogc/collections/%s/items?filter=%s", s.base, collection, enc);
    struct h_body got = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, h_body_append);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &got);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_free(enc);
    free(url);
    curl_easy_cleanup(c);
    *body = got.p;
    return status;
}

static void check_errors(void)
{
    bad("boundaries", "code = ", NULL, "filter", "at character 8");
    bad("boundaries", "code = '9054", NULL, "filter", "a closing ' for the quote");
    bad("boundaries", "(code = '9054'", NULL, "filter", "at character 15");
    bad("boundaries", "code = '1'; DROP TABLE boundaries", NULL, "filter",
        "AND, OR or the end of the filter at character 11");
    bad("boundaries", "nosuch = 1", NULL, "filter", "nosuch");
    bad("boundaries", "nosuch = 1", NULL, "filter", "a queryable of this collection");
    bad("boundaries", "code = 9054", NULL, "filter", "a string to compare with code");
    bad("boundaries", "S_INTERSECTS(geometry, POINT(123.5 91))", NULL, "filter", "CRS84");
    bad("boundaries", "code = '9054'", "&filter-lang=cql2-json", "filter-lang", "cql2-text");
    bad("boundaries", "code = '9054'", "&filter-lang=cql-text", "filter-lang", NULL);
    bad("boundaries", "code = '9054'",
        "&filter-crs=http%3A%2F%2Fwww.opengis.net%2Fdef%2Fcrs%2FEPSG%2F0%2F2100", "filter-crs",
        NULL);
    CHECK_INT("filter-lang and filter-crs spelled out",
              matched("boundaries", "code = '9054'",
                      "&filter-lang=cql2-text&filter-crs=http%3A%2F%2Fwww.opengis.net%2Fdef%2Fcrs"
                      "%2FOGC%2F1.3%2FCRS84"), 1);
    /* limits: 4 KB and 100 terms */
    char *big = malloc(5000);
    memset(big, 'x', 4999);
    memcpy(big, "code='", 6);
    big[4998] = '\'', big[4999] = '\0';
    char *body;
    CHECK_INT("a 5000-byte filter", get_long("boundaries", big, &body), 400);
    CHECK_HAS("a 5000-byte filter", body ? body : "", "at most 4096 bytes");
    CHECK_HAS("a 5000-byte filter", body ? body : "", "\"name\":\"filter\"");
    free(body);
    char many[4096] = "code='0'";
    for (int i = 1; i < 60; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), " OR code='%d'", i);
    bad("boundaries", many, NULL, "filter", "at most 100 terms");
    free(big);
    struct h_resp r;
    h_get(&s, "/ogc/collections/boundaries/items?filter=code%3D%27%FF%27", &r);
    CHECK_PROBLEM("filter not UTF-8", &r, 400, "filter");
    h_resp_free(&r);
}

/* A layer with a timestamp column: datetime instants and intervals. */
/* Regression: a filter with more parameters than the 16 slots the database
 * layer once held crashed the server (30 literals) or sent memory contents
 * to PostgreSQL as values (17-23). Each answer is 200 or a 400 naming the
 * limit, the right features are matched, and the server stays up. */
static void check_many_parameters(void)
{
    char filter[8192];
    int n = 0;
    for (int count = 17; count <= 30; count += 13) {
        /* code IN ('9054','1',...): Serres plus codes no boundary has */
        n = snprintf(filter, sizeof filter, "code IN ('9054'");
        for (int i = 1; i < count; i++)
            n += snprintf(filter + n, sizeof filter - (size_t)n, ",'x%d'", i);
        snprintf(filter + n, sizeof filter - (size_t)n, ")");
        char what[64];
        snprintf(what, sizeof what, "IN with %d literals matches Serres alone", count);
        CHECK_INT(what, matched("boundaries", filter, NULL), 1);
        CHECK(h_server_alive(&s), "the server is up after %d literals", count);
    }
    /* 200 terms: more than the documented 100, refused by name */
    n = snprintf(filter, sizeof filter, "code='a'");
    for (int i = 1; i < 100; i++)
        n += snprintf(filter + n, sizeof filter - (size_t)n, " OR code='%d'", i);
    struct h_resp r;
    get_filtered("boundaries", filter, NULL, &r);
    CHECK_INT("a 200-term filter", r.status, 400);
    CHECK_HAS("the 400 names the limit", r.body, "at most 100 terms");
    h_resp_free(&r);
    CHECK(h_server_alive(&s), "the server is up after a 200-term filter");
}

static void check_datetime(const char *layer)
{
    CHECK_INT("instant", matched(layer, "objectid > 0", "&datetime=2024-05-01T10:00:00Z"), 1);
    CHECK_INT("closed interval",
              matched(layer, "objectid > 0",
                      "&datetime=2024-05-01T00:00:00Z/2024-06-30T23:59:59Z"), 2);
    CHECK_INT("open end", matched(layer, "objectid > 0", "&datetime=2024-05-02T00:00:00Z/.."), 2);
    CHECK_INT("open start", matched(layer, "objectid > 0", "&datetime=../2024-05-02T00:00:00Z"),
              1);
    CHECK_INT("empty start", matched(layer, "objectid > 0", "&datetime=/2024-12-31T00:00:00Z"),
              3);
    CHECK_INT("offset in the value",
              matched(layer, "objectid > 0", "&datetime=2024-05-01T13:00:00%2B03:00"), 1);
    CHECK_INT("datetime and filter",
              matched(layer, "objectid <> 1", "&datetime=2024-01-01T00:00:00Z/.."), 2);
    CHECK_INT("a timestamp in the filter",
              matched(layer, "seen >= TIMESTAMP('2024-06-01T00:00:00Z')", NULL), 2);
    bad(layer, "objectid > 0", "&datetime=yesterday", "datetime", "RFC 3339");
    bad(layer, "objectid > 0", "&datetime=../..", "datetime", NULL);
    bad(layer, "objectid > 0", "&datetime=2024-02-30T00:00:00Z", "datetime", NULL);
    /* boundaries have no temporal property: a valid datetime is ignored */
    long long all = sql_count("SELECT count(*) FROM boundaries WHERE code = '9054'");
    CHECK_INT("datetime on boundaries is ignored",
              matched("boundaries", "code = '9054'", "&datetime=2024-05-01T10:00:00Z"), all);
    bad("boundaries", "code = '9054'", "&datetime=2024-13-01T00:00:00Z", "datetime", NULL);
}

/* A layer whose time column is a date: a day is the whole UTC day. */
static void check_dated(const char *layer)
{
    CHECK_INT("an instant inside a day", matched(layer, "objectid > 0",
                                                  "&datetime=2024-05-01T23:59:59Z"), 1);
    CHECK_INT("an interval from the end of a day",
              matched(layer, "objectid > 0", "&datetime=2024-05-02T00:00:00Z/2024-05-03T00:00:00Z"),
              1);
    CHECK_INT("an interval over both days",
              matched(layer, "objectid > 0", "&datetime=2024-05-01T12:00:00Z/.."), 2);
    CHECK_INT("a date literal in the filter", matched(layer, "day = DATE('2024-05-03')", NULL), 1);
}

int main(void)
{
    h_init("test_ogc_filter", 240);
    h_require_tool("ogrinfo");
    const char *url = h_shared_dburl();
    h_use_database(url);
    db = h_pg_connect(url);
    char layer[64], timed[64], dated[64], tmp[128];
    snprintf(layer, sizeof layer, "cql%ld_amea", (long)getpid());
    snprintf(timed, sizeof timed, "cql%ld_timed", (long)getpid());
    snprintf(dated, sizeof dated, "cql%ld_dated", (long)getpid());
    char *out;
    int rc = h_run(&out, "'%s' import '%s/thessaloniki_amea_parking_spots.geojson' --as %s 2>&1",
                 h_env("POLIS_BIN"), h_env("POLIS_DATA"), layer);
    CHECK(rc == 0, "import the parking layer: %s", out);
    free(out);
    /* events in May, June and November 2024, and one without a time */
    snprintf(tmp, sizeof tmp, "/tmp/polis-cql-%ld.geojson", (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f)
        h_fatal("cannot write %s", tmp);
    fprintf(f, "{\"type\":\"FeatureCollection\",\"features\":["
               "{\"type\":\"Feature\",\"properties\":{\"objectid\":1,\"seen\":\"2024-05-01T10:00:00Z\"},"
               "\"geometry\":{\"type\":\"Point\",\"coordinates\":[22.94,40.63]}},"
               "{\"type\":\"Feature\",\"properties\":{\"objectid\":2,\"seen\":\"2024-06-15T08:30:00Z\"},"
               "\"geometry\":{\"type\":\"Point\",\"coordinates\":[22.95,40.64]}},"
               "{\"type\":\"Feature\",\"properties\":{\"objectid\":3,\"seen\":\"2024-11-02T18:00:00Z\"},"
               "\"geometry\":{\"type\":\"Point\",\"coordinates\":[22.96,40.65]}},"
               "{\"type\":\"Feature\",\"properties\":{\"objectid\":4,\"seen\":null},"
               "\"geometry\":{\"type\":\"Point\",\"coordinates\":[22.97,40.66]}}]}");
    fclose(f);
    rc = h_run(&out, "'%s' import '%s' --as %s 2>&1", h_env("POLIS_BIN"), tmp, timed);
    CHECK(rc == 0, "import the timed layer: %s", out);
    free(out);
    f = fopen(tmp, "w");
    if (!f)
        h_fatal("cannot write %s", tmp);
    fprintf(f, "{\"type\":\"FeatureCollection\",\"features\":["
               "{\"type\":\"Feature\",\"properties\":{\"objectid\":1,\"day\":\"2024-05-01\"},"
               "\"geometry\":{\"type\":\"Point\",\"coordinates\":[22.94,40.63]}},"
               "{\"type\":\"Feature\",\"properties\":{\"objectid\":2,\"day\":\"2024-05-03\"},"
               "\"geometry\":{\"type\":\"Point\",\"coordinates\":[22.95,40.64]}}]}");
    fclose(f);
    rc = h_run(&out, "'%s' import '%s' --as %s 2>&1", h_env("POLIS_BIN"), tmp, dated);
    CHECK(rc == 0, "import the dated layer: %s", out);
    free(out);
    unlink(tmp);
    const char *p[] = {timed};
    char *tc = h_pg_value(db, "SELECT time_column FROM layer_catalogue WHERE name = $1", 1, p);
    CHECK_STR("the timed layer's time column", tc, "seen");
    free(tc);

    if (h_server_start(&s, url, NULL) != 0)
        return h_finish();
    check_conformance();
    check_queryables(layer);
    check_boundaries();
    check_errors();
    check_many_parameters();

    /* GDAL's OAPIF driver: a -where on boundaries gives Serres alone */
    rc = h_run(&out, "ogrinfo -ro -al -so 'OAPIF:%s/ogc' boundaries -where \"code = '9054'\" 2>&1",
             s.base);
    CHECK(rc == 0, "ogrinfo OAPIF -where: exit %d: %s", rc, out);
    CHECK_HAS("ogrinfo OAPIF -where count", out, "Feature Count: 1\n");
    free(out);
    check_layer(layer);
    check_datetime(timed);
    check_dated(dated);

    char drop[1024];
    snprintf(drop, sizeof drop, "DROP TABLE layers.%s; DROP TABLE layers.%s; DROP TABLE layers.%s;"
                                " DELETE FROM layer_catalogue WHERE name IN ('%s', '%s', '%s')",
             layer, timed, dated, layer, timed, dated);
    h_owner_exec(url, drop);
    PQfinish(db);
    return h_finish();
}
