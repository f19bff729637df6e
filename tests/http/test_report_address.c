/* Reports filed by address, without coordinates: Open311 address_string
 * and the JSON API's address, looked up with the geocoder over the tests'
 * OpenStreetMap file (h_osm.h) imported into a database of the test's own
 * (an import replaces the whole basemap). What a client notices: the report
 * stands at the address (within metres) and keeps the text it was sent
 * with; an address nobody knows and one that names two places are 400s
 * (Open311's error format) or 422s (problem+json) that file nothing; given
 * coordinates win over the text. */
#include "h_accounts.h"
#include "h_osm.h"
#include "harness.h"

#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct h_server *srv;
static PGconn *db;
static char key[128];

/* Metres between two points (short distances). */
static double metres(double lat1, double lon1, double lat2, double lon2)
{
    const double rad = M_PI / 180;
    double x = (lon2 - lon1) * rad * cos((lat1 + lat2) / 2 * rad), y = (lat2 - lat1) * rad;
    return 6371000 * sqrt(x * x + y * y);
}

/* POST requests.json with the key and form (address_string escaped here). */
static void post(const char *address, const char *rest, struct h_resp *r)
{
    char *e = curl_easy_escape(NULL, address, 0);
    char form[1024];
    snprintf(form, sizeof form, "api_key=%s&service_code=cleaning&address_string=%s&%s", key, e,
             rest);
    curl_free(e);
    h_post(srv, "/open311/v2/requests.json", "application/x-www-form-urlencoded", form, r);
}

/* The stored report of description: its point and address; 0 when there is
 * no such report, else how many. */
static int stored(const char *description, double *lat, double *lon, char **address)
{
    const char *args[] = {description};
    char *n = h_pg_value(db, "SELECT count(*) FROM reports WHERE description = $1", 1, args);
    int count = n ? atoi(n) : 0;
    free(n);
    if (count == 1) {
        char *y = h_pg_value(db, "SELECT ST_Y(geom) FROM reports WHERE description = $1", 1, args);
        char *x = h_pg_value(db, "SELECT ST_X(geom) FROM reports WHERE description = $1", 1, args);
        *lat = y ? atof(y) : 0;
        *lon = x ? atof(x) : 0;
        free(y);
        free(x);
        *address = h_pg_value(db, "SELECT address FROM reports WHERE description = $1", 1, args);
    }
    return count;
}

/* address_string alone files a report within a few metres of (lat, lon). */
static void files_at(const char *address, double lat, double lon)
{
    char description[160];
    snprintf(description, sizeof description, "filed at %s", address);
    char rest[256];
    char *e = curl_easy_escape(NULL, description, 0);
    snprintf(rest, sizeof rest, "description=%s", e);
    curl_free(e);
    struct h_resp r;
    post(address, rest, &r);
    CHECK(r.status == 201, "address_string=%s alone: expected 201, found %ld %.300s", address,
          r.status, r.body);
    h_resp_free(&r);
    double y = 0, x = 0;
    char *kept = NULL;
    CHECK(stored(description, &y, &x, &kept) == 1, "address_string=%s: one report stored",
          address);
    double d = metres(y, x, lat, lon);
    CHECK(d < 5, "address_string=%s: expected the report within 5 m of %.5f, %.5f; found %.6f, "
                 "%.6f (%.1f m away)", address, lat, lon, y, x, d);
    CHECK_STR("the report keeps the address it was filed with", kept, address);
    free(kept);
}

/* An Open311 error: the status, and [{"code": 400, "description": ...}]. */
static void refused(const char *what, const struct h_resp *r, const char *part)
{
    json_t *e = r->json ? json_array_get(r->json, 0) : NULL;
    const char *d = e ? json_string_value(json_object_get(e, "description")) : NULL;
    CHECK(r->status == 400 && e && json_integer_value(json_object_get(e, "code")) == 400,
          "%s: expected 400 [{\"code\":400,...}], found %ld %.300s", what, r->status, r->body);
    CHECK(d && strstr(d, part), "%s: the description should say \"%s\": %.300s", what, part,
          r->body);
}

int main(void)
{
    h_init("test_report_address", 240);
    char url[1024];
    snprintf(url, sizeof url, "%s", h_private_db("report_address"));
    char osm[128];
    snprintf(osm, sizeof osm, "/tmp/polis-test-osm-%d.osm", (int)getpid());
    h_write_osm(osm);
    const char *const import[] = {"basemap", "import", osm, NULL};
    int st = h_polis_wait(h_polis_spawn(url, import));
    unlink(osm);
    if (st != 0)
        h_fatal("polis basemap import of the tests' OSM file failed (%d)", st);
    db = h_pg_connect(url);
    struct h_server s;
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                         "POLIS_RATE_ANON_WRITE=100000", "POLIS_EXPENSIVE_PER_CLIENT=100000",
                         NULL};
    if (h_server_start(&s, url, env) != 0)
        return h_finish();
    srv = &s;
    struct ha_user app;
    if (ha_new_user(&s, db, "address-app", &app))
        return h_finish();
    CHECK(ha_make_key(&s, &app, "address app", "[\"report\"]", key, sizeof key) == 201,
          "create an API key with the report scope");

    /* a known number; one between two known ones (on the street, halfway);
     * Greeklish and number first */
    files_at("Ερμού 20", ADDR_LAT, ERMOU_20_LON);
    files_at("Ermou 15", 41.0900, (ERMOU_10_LON + ERMOU_20_LON) / 2);
    files_at("10 ερμου", ADDR_LAT, ERMOU_10_LON);

    struct h_resp r;
    double y, x;
    char *kept = NULL;
    /* nobody knows it: 400, nothing filed */
    post("Zzyzx Qwvbk 7", "description=nowhere+at+all", &r);
    refused("an unknown address_string", &r, "address_string: no address matches 'Zzyzx Qwvbk 7'");
    h_resp_free(&r);
    CHECK_INT("reports filed for the unknown address", stored("nowhere at all", &y, &x, &kept), 0);

    /* lat and long win; the text is kept as given, even one nobody knows */
    post("Zzyzx Qwvbk 7", "lat=41.0912&long=23.5490&description=placed+by+coordinates", &r);
    CHECK(r.status == 201, "address_string with lat and long: expected 201, found %ld %.300s",
          r.status, r.body);
    h_resp_free(&r);
    CHECK_INT("reports placed by coordinates", stored("placed by coordinates", &y, &x, &kept), 1);
    CHECK(fabs(y - 41.0912) < 1e-7 && fabs(x - 23.5490) < 1e-7,
          "lat and long win over address_string: expected 41.0912, 23.5490, found %.7f, %.7f", y,
          x);
    CHECK_STR("address_string stored as given beside coordinates", kept, "Zzyzx Qwvbk 7");
    free(kept);

    /* one coordinate without the other is still refused */
    post("Ερμού 20", "lat=41.0912&description=half+a+point", &r);
    refused("lat without long", &r, "long");
    h_resp_free(&r);

    /* the JSON API's address does the same */
    h_request(&s, "POST", "/api/v1/reports", NULL,
              "{\"category\":\"cleaning\",\"description\":\"json by address\","
              "\"address\":\"Ερμού 20\"}", &r);
    CHECK(r.status == 201, "POST /api/v1/reports with an address only: expected 201, found %ld "
                           "%.300s", r.status, r.body);
    h_resp_free(&r);
    kept = NULL;
    CHECK_INT("the JSON API's report by address", stored("json by address", &y, &x, &kept), 1);
    CHECK(metres(y, x, ADDR_LAT, ERMOU_20_LON) < 5, "the JSON API's report stands at Ερμού 20: "
          "found %.6f, %.6f", y, x);
    free(kept);
    h_request(&s, "POST", "/api/v1/reports", NULL,
              "{\"category\":\"cleaning\",\"description\":\"json nowhere\","
              "\"address\":\"Zzyzx Qwvbk 7\"}", &r);
    CHECK_PROBLEM("POST /api/v1/reports with an unknown address", &r, 422, "address");
    h_resp_free(&r);
    CHECK_INT("reports filed for the JSON API's unknown address",
              stored("json nowhere", &y, &x, &kept), 0);

    /* a second Ερμού, 5 km east, with its own number 10 */
    free(h_pg_value(db, "INSERT INTO basemap.streets (name, geom) VALUES ('Ερμού',"
                        " ST_GeomFromText('LINESTRING(23.60 41.09, 23.61 41.09)', 4326))",
                    0, NULL));
    free(h_pg_value(db, "INSERT INTO basemap.addresses (osm_id, street, housenumber, number, geom)"
                        " VALUES (-1, 'Ερμού', '10', 10,"
                        " ST_SetSRID(ST_MakePoint(23.602, 41.09005), 4326))", 0, NULL));
    post("Ερμού 10", "description=which+ermou", &r);
    refused("an address_string on two streets", &r, "matches more than one place");
    const char *d = json_string_value(json_object_get(json_array_get(r.json, 0), "description"));
    CHECK(d && strstr(d, "23.54200") && strstr(d, "23.60200"),
          "the ambiguous answer names both places: %.300s", r.body);
    h_resp_free(&r);
    CHECK_INT("reports filed for the ambiguous address", stored("which ermou", &y, &x, &kept), 0);
    h_request(&s, "POST", "/api/v1/reports", NULL,
              "{\"category\":\"cleaning\",\"description\":\"json which ermou\","
              "\"address\":\"Ερμού 10\"}", &r);
    CHECK_PROBLEM("POST /api/v1/reports with an ambiguous address", &r, 422, "address");
    h_resp_free(&r);
    /* a number only the first Ερμού has is still clear */
    files_at("Ερμού 30", 41.0903, 23.5481);

    PQfinish(db);
    return h_finish();
}
