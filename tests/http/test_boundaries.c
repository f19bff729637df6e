/* GET /api/v1/boundaries (bbox query with paging) and /api/v1/boundaries/{id}.
 * What a map client relies on: valid GeoJSON in lon/lat, pages that together
 * hold every boundary in the box exactly once (the count PostGIS gives), a
 * "next" link only while more rows exist, and Greek names that arrive intact
 * from the CP1253 shapefile. */
#include "harness.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Central Macedonia and its neighbours: a few dozen municipalities. */
#define BOX "21.7,39.9,24.2,41.5"
#define BOX_SQL "ST_MakeEnvelope(21.7, 39.9, 24.2, 41.5, 4326)"

/* The longest run of digits after a decimal point in text. */
static int max_decimals(const char *s)
{
    int best = 0;
    for (const char *p = s; *p; p++)
        if (*p == '.' && p > s && isdigit((unsigned char)p[-1])) {
            int n = 0;
            while (isdigit((unsigned char)p[1 + n]))
                n++;
            if (n > best)
                best = n;
        }
    return best;
}

static const char *link_href(json_t *fc, const char *rel)
{
    json_t *l;
    size_t i;
    json_array_foreach(json_object_get(fc, "links"), i, l) {
        const char *r = json_string_value(json_object_get(l, "rel"));
        if (r && strcmp(r, rel) == 0)
            return json_string_value(json_object_get(l, "href"));
    }
    return NULL;
}

/* A Feature of a municipality as the contract describes it. */
static void check_feature(const char *what, json_t *f)
{
    CHECK_STR(what, json_string_value(json_object_get(f, "type")), "Feature");
    CHECK(json_is_integer(json_object_get(f, "id")), "%s: expected an integer \"id\"", what);
    json_t *g = json_object_get(f, "geometry");
    CHECK_STR(what, json_string_value(json_object_get(g, "type")), "MultiPolygon");
    /* First vertex: lon/lat order, inside Greece. */
    /* coordinates[polygon][ring][vertex] = [lon, lat] */
    json_t *pt = json_array_get(
        json_array_get(json_array_get(json_object_get(g, "coordinates"), 0), 0), 0);
    double lon = json_number_value(json_array_get(pt, 0));
    double lat = json_number_value(json_array_get(pt, 1));
    CHECK(json_array_size(pt) == 2 && lon > 19 && lon < 30 && lat > 34 && lat < 42.5,
          "%s: expected a first vertex [lon, lat] in Greece, found [%f, %f]", what, lon, lat);
    json_t *p = json_object_get(f, "properties");
    CHECK_STR(what, json_string_value(json_object_get(p, "level")), "municipality");
    static const char *keys[] = {"level", "code", "name_el", "name_en", "parent_id"};
    for (int i = 0; i < 5; i++)
        CHECK(json_object_get(p, keys[i]) != NULL, "%s: expected property \"%s\"", what, keys[i]);
    CHECK(json_is_null(json_object_get(p, "parent_id")),
          "%s: a municipality has no parent; expected parent_id null", what);
}

/* Follows "next" links from first_path; returns the number of features and
 * checks every page on the way. ids must rise strictly across all pages. */
static int walk_pages(const struct h_server *s, const char *first_path, int limit, int total)
{
    char url[4096];
    snprintf(url, sizeof url, "%s%s", s->base, first_path);
    long long last_id = -1;
    int seen = 0, pages = 0;
    while (url[0] && pages < 100) {
        char what[4200];
        snprintf(what, sizeof what, "page %d (GET %s)", ++pages, url);
        struct h_resp r;
        h_get_url(url, &r);
        url[0] = '\0';
        CHECK(r.status == 200, "%s: expected 200, found %ld %s %.300s", what, r.status, r.error,
              r.body);
        CHECK_STR(what, r.media_type, "application/geo+json");
        if (r.status != 200 || !r.json) {
            h_resp_free(&r);
            break;
        }
        CHECK_STR(what, json_string_value(json_object_get(r.json, "type")), "FeatureCollection");
        json_t *features = json_object_get(r.json, "features");
        int n = (int)json_array_size(features);
        CHECK(n >= 1 && n <= limit, "%s: expected 1..%d features, found %d", what, limit, n);
        CHECK_INT(what, json_integer_value(json_object_get(r.json, "numberReturned")), n);
        CHECK(link_href(r.json, "self") != NULL, "%s: expected a \"self\" link", what);
        CHECK(max_decimals(r.body) <= 7,
              "%s: expected coordinates with at most 7 decimals, found %d", what,
              max_decimals(r.body));
        json_t *f;
        size_t i;
        json_array_foreach(features, i, f) {
            long long id = json_integer_value(json_object_get(f, "id"));
            CHECK(id > last_id, "%s: expected ids in rising order with no repeats, found %lld "
                  "after %lld", what, id, last_id);
            last_id = id;
            if (seen == 0 && i == 0)
                check_feature(what, f);
        }
        seen += n;
        const char *next = link_href(r.json, "next");
        CHECK((next != NULL) == (seen < total),
              "%s: after %d of %d features, expected %s \"next\" link, found %s", what, seen,
              total, seen < total ? "a" : "no", next ? next : "none");
        if (next) {
            if (strncmp(next, "http", 4) == 0)
                snprintf(url, sizeof url, "%s", next);
            else
                snprintf(url, sizeof url, "%s%s", s->base, next);
        }
        h_resp_free(&r);
    }
    return seen;
}

/* GET /api/v1/boundaries/{id}; returns the response for more checks. */
static void get_one(const struct h_server *s, const char *id, struct h_resp *r, char *what,
                    size_t wlen)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/boundaries/%s", id);
    snprintf(what, wlen, "GET %s", path);
    h_get(s, path, r);
    CHECK(r->status == 200, "%s: expected 200, found %ld %s %.300s", what, r->status, r->error,
          r->body);
    CHECK_STR(what, r->media_type, "application/geo+json");
    if (r->json)
        check_feature(what, r->json);
}

int main(void)
{
    h_init("test_boundaries", 240);
    const char *url = h_shared_dburl();
    PGconn *db = h_pg_connect(url);
    struct h_server s;
    if (h_server_start(&s, url, NULL) != 0)
        return h_finish();

    char *total_s = h_pg_value(db, "SELECT count(*) FROM boundaries WHERE level = 'municipality' "
                                   "AND ST_Intersects(geom, " BOX_SQL ")", 0, NULL);
    char *bbox_s = h_pg_value(db, "SELECT count(*) FROM boundaries WHERE level = 'municipality' "
                                  "AND geom && " BOX_SQL, 0, NULL);
    int total = atoi(total_s);
    printf("bbox %s: %d municipalities intersect it (%s by bounding box only)\n", BOX, total,
           bbox_s);
    CHECK(total > 20, "fixture: expected more than 20 municipalities in " BOX ", found %d", total);

    /* Paging: small pages, pages of exactly the total (no "next" after a
     * full last page), one short of the total (two pages). */
    int limits[] = {7, total, total - 1};
    for (int i = 0; i < 3; i++) {
        char path[256];
        snprintf(path, sizeof path, "/api/v1/boundaries?bbox=" BOX "&level=municipality&limit=%d",
                 limits[i]);
        int seen = walk_pages(&s, path, limits[i], total);
        CHECK(seen == total, "paging with limit=%d over %s: expected %d features (PostGIS "
              "ST_Intersects; %s by bounding box), found %d", limits[i], BOX, total, bbox_s, seen);
    }

    /* Default page size is 10. */
    struct h_resp r;
    h_get(&s, "/api/v1/boundaries?bbox=" BOX, &r);
    CHECK(r.status == 200, "default limit: expected 200, found %ld %.300s", r.status, r.body);
    CHECK_INT("default limit: numberReturned",
              json_integer_value(json_object_get(r.json, "numberReturned")), 10);
    CHECK_INT("default limit: features", json_array_size(json_object_get(r.json, "features")), 10);
    h_resp_free(&r);

    /* One boundary by id; Greek text as exact UTF-8 bytes, straight from
     * the CP1253 shapefile (where capital Ά is the trap byte 0xA2). */
    char what[256];
    char *serres = h_pg_value(db, "SELECT id FROM boundaries WHERE level = 'municipality' "
                                  "AND code = '9054'", 0, NULL);
    char *athos = h_pg_value(db, "SELECT id FROM boundaries WHERE level = 'municipality' "
                                 "AND code IS NULL", 0, NULL);
    char *andros = h_pg_value(db, "SELECT id FROM boundaries WHERE level = 'municipality' AND "
                                  "ST_Contains(geom, ST_SetSRID(ST_MakePoint(24.934, 37.839), 4326))",
                              0, NULL);
    if (!serres || !athos || !andros)
        h_fatal("fixture: Serres (9054), Mount Athos (NULL code) or Andros not in boundaries");

    get_one(&s, serres, &r, what, sizeof what);
    json_t *p = json_object_get(r.json, "properties");
    CHECK_STR(what, json_string_value(json_object_get(p, "code")), "9054");
    CHECK_STR(what, json_string_value(json_object_get(p, "name_el")),
              "\xce\x94\xce\xae\xce\xbc\xce\xbf\xcf\x82 \xce\xa3\xce\xb5\xcf\x81\xcf\x81\xcf\x8e\xce\xbd");
    CHECK_STR(what, json_string_value(json_object_get(p, "name_en")), "Serres");
    CHECK_HAS(what, r.body, "\xce\x94\xce\xae\xce\xbc\xce\xbf\xcf\x82 \xce\xa3\xce\xb5\xcf\x81\xcf\x81\xcf\x8e\xce\xbd");
    CHECK_INT(what, json_integer_value(json_object_get(r.json, "id")), atoll(serres));
    h_resp_free(&r);

    get_one(&s, athos, &r, what, sizeof what);
    CHECK_HAS(what, r.body, "\xce\x86\xce\xb8\xcf\x89\xcf\x82"); /* Άθως */
    CHECK(json_is_null(json_object_get(json_object_get(r.json, "properties"), "code")),
          "%s: Mount Athos: expected code null, found %.300s", what, r.body);
    h_resp_free(&r);

    get_one(&s, andros, &r, what, sizeof what);
    CHECK_HAS(what, r.body, "\xce\x86\xce\xbd\xce\xb4\xcf\x81\xce\xbf\xcf\x85"); /* Άνδρου */
    h_resp_free(&r);

    /* The loader kept the source spelling too (what the tables say). */
    char *src = h_pg_value(db, "SELECT name_source FROM boundaries WHERE id = $1", 1,
                           (const char *const[]){athos});
    CHECK_STR("boundaries.name_source of Mount Athos", src, "\xce\x86\xce\xb8\xcf\x89\xcf\x82");
    free(src);

    h_get(&s, "/api/v1/boundaries/999999999", &r);
    CHECK_PROBLEM("GET /api/v1/boundaries/999999999", &r, 404, NULL);
    h_resp_free(&r);

    free(total_s);
    free(bbox_s);
    free(serres);
    free(athos);
    free(andros);
    PQfinish(db);
    return h_finish();
}
