/* polis basemap import and the geocoder, on a cluster of the test's own (an
 * import replaces the whole basemap). The test writes a small OpenStreetMap
 * XML file near Serres: Greek streets (one with name:en), numbered address
 * nodes (Ερμού 10 and 20) and a numbered building (Ερμού 30), a town, a
 * river, a railway. Then it checks what a user of the command and of
 * /api/v1/geocode would notice: the tables filled, a re-import replacing
 * rather than adding, a failed import changing nothing, a cut by bbox, and
 * streets found without accents, in Greeklish and with a wrong letter. */
#include "h_basemap.h"
#include "harness.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long long count(PGconn *db, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM basemap.%s", table);
    char *v = h_pg_value(db, sql, 0, NULL);
    long long n = v ? atoll(v) : -1;
    free(v);
    return n;
}

/* The rows an import of the whole file gives, table by table. */
static const struct {
    const char *table;
    long long rows;
} full[] = {
    {"roads", 2},     {"rail", 1},      {"water_lines", 1}, {"water_areas", 0}, {"landuse", 0},
    {"buildings", 1}, {"places", 1},    {"addresses", 3},   {"streets", 2},
};

static void check_full(PGconn *db, const char *when)
{
    for (size_t i = 0; i < sizeof full / sizeof full[0]; i++) {
        char what[160];
        snprintf(what, sizeof what, "%s: rows in basemap.%s", when, full[i].table);
        CHECK_INT(what, count(db, full[i].table), full[i].rows);
    }
}

static int import(const char *dburl, const char *path, const char *opt, const char *value)
{
    const char *const argv[] = {"basemap", "import", path, opt, value, NULL};
    return h_polis_wait(h_polis_spawn(dburl, argv));
}

/* GET /api/v1/geocode?q=<q, escaped>&<extra>; the first feature, or NULL. */
static json_t *geocode_first(const struct h_server *s, const char *q, struct h_resp *r)
{
    char *e = curl_easy_escape(NULL, q, 0);
    char path[512];
    snprintf(path, sizeof path, "/api/v1/geocode?q=%s&near=41.09,23.545", e);
    curl_free(e);
    h_get(s, path, r);
    char what[256];
    snprintf(what, sizeof what, "geocode q=%s: status", q);
    CHECK_INT(what, r->status, 200);
    CHECK(r->json && json_array_size(json_object_get(r->json, "features")) > 0,
          "geocode q=%s: expected at least one feature, found %s", q, r->body ? r->body : "");
    return json_array_get(json_object_get(r->json, "features"), 0);
}

static const char *prop(json_t *feature, const char *name)
{
    return json_string_value(json_object_get(json_object_get(feature, "properties"), name));
}

static double coord(json_t *feature, size_t i)
{
    return json_number_value(
        json_array_get(json_object_get(json_object_get(feature, "geometry"), "coordinates"), i));
}

/* q finds the street Ερμού first. */
static void finds_ermou(const struct h_server *s, const char *q)
{
    struct h_resp r;
    json_t *f = geocode_first(s, q, &r);
    char what[256];
    snprintf(what, sizeof what, "geocode q=%s: the first result's label", q);
    CHECK_STR(what, prop(f, "label"), "Ερμού");
    snprintf(what, sizeof what, "geocode q=%s: the first result's kind", q);
    CHECK_STR(what, prop(f, "kind"), "street");
    h_resp_free(&r);
}

static void bad_request(const struct h_server *s, const char *query, const char *param)
{
    struct h_resp r;
    char path[512];
    snprintf(path, sizeof path, "/api/v1/geocode%s", query);
    h_get(s, path, &r);
    CHECK_PROBLEM(path, &r, 400, param);
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_basemap", 240);
    struct h_cluster cl;
    h_cluster_create(&cl);
    static const char *const migrate[] = {"migrate", NULL};
    if (h_polis_wait(h_polis_spawn(cl.url, migrate)) != 0)
        h_fatal("polis migrate on the test's cluster failed");
    char osm[300], bogus[300];
    snprintf(osm, sizeof osm, "%s/serres.osm", cl.var);
    snprintf(bogus, sizeof bogus, "%s/not-osm.osm", cl.var);
    h_write_basemap_osm(osm);
    FILE *f = fopen(bogus, "w");
    if (!f)
        h_fatal("cannot write %s", bogus);
    fputs("this is not OpenStreetMap\n", f);
    fclose(f);
    PGconn *db = h_pg_connect(cl.url);

    CHECK_INT("polis basemap import serres.osm: exit status", import(cl.url, osm, NULL, NULL), 0);
    check_full(db, "after the first import");
    char *latin = h_pg_value(db, "SELECT name_latin FROM basemap.roads WHERE name = 'Ερμού'", 0,
                             NULL);
    CHECK_STR("the Latin name of Ερμού (ELOT 743, no name:en)", latin, "Ermou");
    free(latin);
    char *en = h_pg_value(db, "SELECT name_latin FROM basemap.roads WHERE class = 'primary'", 0,
                          NULL);
    CHECK_STR("the Latin name of the primary road (its name:en)", en, "Megalou Alexandrou");
    free(en);

    CHECK_INT("a second import: exit status", import(cl.url, osm, NULL, NULL), 0);
    check_full(db, "after importing the same file again (replaced, not added)");

    CHECK_INT("importing a file that is not OSM: exit status", import(cl.url, bogus, NULL, NULL), 1);
    check_full(db, "after a failed import");
    CHECK_INT("--municipality with a code no boundary has: exit status",
              import(cl.url, osm, "--municipality", "no-such-code"), 1);
    check_full(db, "after an import refused for its municipality");

    /* a bbox holding the west end of Ερμού: one address, the streets cut */
    CHECK_INT("--bbox import: exit status",
              import(cl.url, osm, "--bbox", "23.539,41.085,23.544,41.093"), 0);
    CHECK_INT("--bbox: addresses inside the box", count(db, "addresses"), 1);
    char *east = h_pg_value(db, "SELECT round(max(ST_XMax(geom))::numeric, 4) FROM basemap.roads",
                            0, NULL);
    CHECK_STR("--bbox: the roads end at the box's east side", east, "23.5440");
    free(east);
    CHECK_INT("--bbox: the river lies outside", count(db, "water_lines"), 0);
    /* a municipality over the east end: Ερμού 20 and 30 and the town */
    free(h_pg_value(db, "INSERT INTO boundaries (level, code, natural_key, name_el, name_en,"
                        " name_source, source, geom) VALUES ('municipality', 'T-EAST', 'T-EAST',"
                        " 'Δήμος Ανατολής', 'Dimos Anatolis', 'Ανατολής', 'test_basemap',"
                        " ST_Multi(ST_GeomFromText('POLYGON((23.544 41.085, 23.56 41.085,"
                        " 23.56 41.093, 23.544 41.093, 23.544 41.085))', 4326))) RETURNING id",
                    0, NULL));
    CHECK_INT("--municipality import: exit status",
              import(cl.url, osm, "--municipality", "T-EAST"), 0);
    CHECK_INT("--municipality: addresses inside it", count(db, "addresses"), 2);
    CHECK_INT("--municipality: places inside it", count(db, "places"), 1);
    char *west = h_pg_value(db, "SELECT round(min(ST_XMin(geom))::numeric, 4) FROM basemap.roads",
                            0, NULL);
    CHECK_STR("--municipality: the roads start at its west border", west, "23.5440");
    free(west);
    CHECK_INT("the whole file again: exit status", import(cl.url, osm, NULL, NULL), 0);
    check_full(db, "after importing the whole file again");

    char var[300];
    snprintf(var, sizeof var, "POLIS_VAR=%s", cl.var);
    const char *env[] = {var, "POLIS_EXPENSIVE_PER_CLIENT=100000", NULL};
    struct h_server s;
    if (h_server_start(&s, cl.url, env) != 0)
        return h_finish();

    finds_ermou(&s, "ερμου");  /* no accent */
    finds_ermou(&s, "ΕΡΜΟΥ");  /* capitals */
    finds_ermou(&s, "ermou");  /* Greeklish */
    finds_ermou(&s, "Ερμύ");   /* one letter wrong */
    finds_ermou(&s, "Ermoy");  /* Greeklish with a typo */

    struct h_resp r;
    json_t *ft = geocode_first(&s, "megalou alexandrou", &r);
    CHECK_STR("geocode by name:en finds the Greek street", prop(ft, "label"), "Μεγάλου Αλεξάνδρου");
    h_resp_free(&r);

    ft = geocode_first(&s, "Ερμού 10", &r);
    CHECK_STR("Ερμού 10: kind", prop(ft, "kind"), "address");
    CHECK_STR("Ερμού 10: housenumber", prop(ft, "housenumber"), "10");
    CHECK(json_is_false(json_object_get(json_object_get(ft, "properties"), "interpolated")),
          "Ερμού 10 is a known address: expected interpolated false, found %s", r.body);
    CHECK(coord(ft, 0) == ERMOU_10_LON, "Ερμού 10: expected lon %.4f, found %.7f", ERMOU_10_LON,
          coord(ft, 0));
    h_resp_free(&r);

    ft = geocode_first(&s, "Ερμού 15", &r);
    CHECK_STR("Ερμού 15: kind", prop(ft, "kind"), "address");
    CHECK_STR("Ερμού 15: label", prop(ft, "label"), "Ερμού 15");
    CHECK(json_is_true(json_object_get(json_object_get(ft, "properties"), "interpolated")),
          "Ερμού 15 is not in the data: expected interpolated true, found %s", r.body);
    double lon = coord(ft, 0), lat = coord(ft, 1);
    CHECK(lon > ERMOU_10_LON && lon < ERMOU_20_LON,
          "Ερμού 15: expected lon between numbers 10 (%.4f) and 20 (%.4f), found %.7f",
          ERMOU_10_LON, ERMOU_20_LON, lon);
    CHECK(lat > 41.0899 && lat < 41.0901, "Ερμού 15: expected a point on the street (lat "
          "41.0900), found lat %.7f", lat);
    h_resp_free(&r);

    ft = geocode_first(&s, "15 ermou", &r);
    CHECK_STR("15 ermou (number first, Greeklish): label", prop(ft, "label"), "Ερμού 15");
    h_resp_free(&r);

    ft = geocode_first(&s, "serres", &r);
    CHECK_STR("serres: kind", prop(ft, "kind"), "place");
    CHECK_STR("serres: label", prop(ft, "label"), "Σέρρες");
    h_resp_free(&r);

    /* limit= caps the answer */
    h_get(&s, "/api/v1/geocode?q=ermou&limit=1", &r);
    CHECK_INT("limit=1: features", (long long)json_array_size(json_object_get(r.json, "features")),
              1);
    h_resp_free(&r);

    /* reverse: 5 m from Ερμού 10; a point in the sea finds nothing */
    char path[256];
    snprintf(path, sizeof path, "/api/v1/geocode/reverse?lat=%.5f&lon=%.5f", ADDR_LAT + 0.00004,
             ERMOU_10_LON);
    h_get(&s, path, &r);
    CHECK_INT("reverse next to Ερμού 10: status", r.status, 200);
    CHECK_STR("reverse next to Ερμού 10: label",
              json_string_value(json_object_get(json_object_get(r.json, "properties"), "label")),
              "Ερμού 10");
    h_resp_free(&r);
    h_get(&s, "/api/v1/geocode/reverse?lat=40.5&lon=24.5", &r);
    CHECK_PROBLEM("reverse in the sea", &r, 404, NULL);
    h_resp_free(&r);

    bad_request(&s, "", "q");
    bad_request(&s, "?q=", "q");
    bad_request(&s, "?q=%20%2C", "q");
    char longq[256] = "?q=";
    memset(longq + 3, 'a', 201);
    longq[204] = '\0';
    bad_request(&s, longq, "q");
    bad_request(&s, "?q=ermou&near=abc", "near");
    bad_request(&s, "?q=ermou&near=91,23", "near");
    bad_request(&s, "?q=ermou&limit=0", "limit");
    bad_request(&s, "?q=ermou&limit=51", "limit");
    bad_request(&s, "?q=ermou&color=red", "color");
    h_get(&s, "/api/v1/geocode/reverse?lat=41.09", &r);
    CHECK_PROBLEM("reverse without lon", &r, 400, "lon");
    h_resp_free(&r);
    h_get(&s, "/api/v1/geocode/reverse?lat=95&lon=23", &r);
    CHECK_PROBLEM("reverse with lat=95", &r, 400, "lat");
    h_resp_free(&r);

    PQfinish(db);
    return h_finish();
}
