/* Points of interest as the tourism office, a visitor and a guide see them:
 *  - a draft is invisible to anonymous callers and citizens (list and GET
 *    404) and visible after publishing; archived ones leave again;
 *  - citizens and staff of another department cannot create or publish;
 *  - bad input (geometry, a self-intersecting polygon, an unknown category,
 *    invalid opening_hours, an unknown field, ...) is a 422 naming the field
 *    and stores nothing;
 *  - create and publish leave audit rows; a photo uploads and is served
 *    without its Exif; the tile layer and the export show published POIs
 *    only; admins manage categories.
 * (Finding POIs by name and distance is test_poi_search.c.) */
#include "../unit/photo_fixtures.h"
#include "h_pois.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- a draft's way to the public ---- */

static void lifecycle(struct poi_world *w)
{
    char name[64], body_q[160];
    snprintf(name, sizeof name, "Κρυφό Μουσείο %d", w->run);
    long id = hp_create(w, TOURISM, hp_poi_body(name, "museum", hp_point(41.0921, 23.5502),
                                          ",\"name_en\":\"Hidden Museum\","
                                          "\"opening_hours\":\"Tu-Su 09:00-15:00\","
                                          "\"tags\":[\"test\"],"
                                          "\"accessibility\":{\"wheelchair\":true}"));
    snprintf(body_q, sizeof body_q,
             "/api/v1/pois?q=%%CE%%BA%%CF%%81%%CF%%85%%CF%%86%%CE%%BF+%%CE%%BC%%CE%%BF%%CF%%85"
             "%%CF%%83%%CE%%B5%%CE%%B9%%CE%%BF+%d", w->run); /* "κρυφο μουσειο <run>" */

    CHECK_INT("a draft to anonymous", hp_status(w, -1, id), 404);
    CHECK_INT("a draft to a citizen", hp_status(w, CITIZEN, id), 404);
    CHECK_INT("a draft to staff of another department", hp_status(w, OTHER_STAFF, id), 404);
    CHECK_INT("a draft to the tourism office", hp_status(w, TOURISM, id), 200);
    CHECK(!hp_listed(w, -1, body_q, id), "a draft is not in the public search");
    CHECK(!hp_listed(w, CITIZEN, "/api/v1/pois?limit=100&category=museum", id),
          "a draft is not in a citizen's list");
    struct h_resp r;
    ha_call(w->s, NULL, "GET", "/api/v1/pois?status=draft", NULL, &r);
    CHECK_PROBLEM("drafts asked for anonymously", &r, 403, NULL);
    h_resp_free(&r);
    ha_call(w->s, &w->u[OTHER_STAFF], "GET", "/api/v1/pois?status=all", NULL, &r);
    CHECK_PROBLEM("all statuses asked for by other staff", &r, 403, NULL);
    h_resp_free(&r);
    CHECK(hp_listed(w, TOURISM, "/api/v1/pois?status=draft&limit=100&category=museum", id),
          "the tourism office lists its drafts");

    /* who may not write */
    ha_call(w->s, &w->u[CITIZEN], "POST", "/api/v1/pois",
            hp_poi_body("Πολίτης", "sight", hp_point(41.09, 23.55), ""), &r);
    CHECK_INT("a citizen creates a POI", r.status, 403);
    h_resp_free(&r);
    ha_call(w->s, &w->u[OTHER_STAFF], "POST", "/api/v1/pois",
            hp_poi_body("Άλλο τμήμα", "sight", hp_point(41.09, 23.55), ""), &r);
    CHECK_INT("staff of another department create a POI", r.status, 403);
    h_resp_free(&r);
    CHECK_INT("a citizen publishes", hp_act(w, CITIZEN, id, "publish"), 403);
    CHECK_INT("staff of another department publish", hp_act(w, OTHER_STAFF, id, "publish"), 403);
    CHECK_INT("anonymous publishes", hp_act(w, -1, id, "publish"), 401);
    CHECK_INT("still a draft to anonymous", hp_status(w, -1, id), 404);

    /* published: everyone sees it */
    CHECK_INT("the tourism office publishes", hp_act(w, TOURISM, id, "publish"), 200);
    CHECK_INT("published, to anonymous", hp_status(w, -1, id), 200);
    CHECK_INT("published, to a citizen", hp_status(w, CITIZEN, id), 200);
    CHECK(hp_listed(w, -1, body_q, id), "published: found by the public search");
    char ids[32];
    snprintf(ids, sizeof ids, "%ld", id);
    const char *p[] = {ids};
    char *by = h_pg_value(w->db, "SELECT published_by FROM pois WHERE id = $1::bigint", 1, p);
    char tourism_id[32];
    snprintf(tourism_id, sizeof tourism_id, "%ld", w->u[TOURISM].id);
    CHECK_STR("published_by", by, tourism_id);
    free(by);
    CHECK_INT("audit rows for the creation", hp_audit_rows(w, id, "poi.create"), 1);
    CHECK_INT("audit rows for the publication", hp_audit_rows(w, id, "poi.publish"), 1);

    /* English, a change, and a member cleared with null */
    char path[64];
    snprintf(path, sizeof path, "/api/v1/pois/%ld?lang=en", id);
    h_get(w->s, path, &r);
    json_t *props = json_object_get(r.json, "properties");
    CHECK_STR("name in English", json_string_value(json_object_get(props, "name")),
              "Hidden Museum");
    CHECK_STR("opening hours", json_string_value(json_object_get(props, "opening_hours")),
              "Tu-Su 09:00-15:00");
    h_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/pois/%ld", id);
    ha_call(w->s, &w->u[TOURISM], "PATCH", path,
            "{\"opening_hours\":\"Mo-Fr 10:00-14:00; PH off\",\"name_en\":null}", &r);
    props = json_object_get(r.json, "properties");
    CHECK(r.status == 200 && json_is_null(json_object_get(props, "name_en")) &&
              !strcmp(json_string_value(json_object_get(props, "opening_hours")) ?: "",
                      "Mo-Fr 10:00-14:00; PH off"),
          "PATCH changes opening_hours and clears name_en: %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    CHECK_INT("audit rows for the change", hp_audit_rows(w, id, "poi.update"), 1);

    /* archived: gone from the public again */
    CHECK_INT("the tourism office archives", hp_act(w, TOURISM, id, "archive"), 200);
    CHECK_INT("archived, to anonymous", hp_status(w, -1, id), 404);
    CHECK(!hp_listed(w, -1, body_q, id), "archived: not in the public search");
    CHECK(hp_listed(w, ADMIN, "/api/v1/pois?status=archived&limit=100&category=museum", id),
          "an admin lists archived POIs");
    CHECK_INT("back to draft", hp_act(w, ADMIN, id, "draft"), 200);
    CHECK_INT("publish again", hp_act(w, ADMIN, id, "publish"), 200);
    CHECK_INT("republished, to anonymous", hp_status(w, -1, id), 200);
    CHECK_INT("archive it again", hp_act(w, TOURISM, id, "archive"), 200);
}


/* ---- bad input ---- */

static void bad_input(struct poi_world *w)
{
    static const struct {
        const char *what, *body, *field, *detail;
    } cases[] = {
        {"latitude out of range",
         "{\"category\":\"sight\",\"name_el\":\"Χ\",\"geometry\":{\"type\":\"Point\","
         "\"coordinates\":[23.5,100]}}", "geometry", "lat in [-90, 90]"},
        {"a LineString",
         "{\"category\":\"sight\",\"name_el\":\"Χ\",\"geometry\":{\"type\":\"LineString\","
         "\"coordinates\":[[23.5,41],[23.6,41]]}}", "geometry", "Point, Polygon or"},
        {"a ring that does not close",
         "{\"category\":\"sight\",\"name_el\":\"Χ\",\"geometry\":{\"type\":\"Polygon\","
         "\"coordinates\":[[[23.5,41],[23.6,41],[23.6,41.1],[23.5,41.1]]]}}", "geometry",
         "closed rings"},
        {"a self-intersecting polygon",
         "{\"category\":\"sight\",\"name_el\":\"Χ\",\"geometry\":{\"type\":\"Polygon\","
         "\"coordinates\":[[[23.5,41],[23.6,41.1],[23.6,41],[23.5,41.1],[23.5,41]]]}}",
         "geometry", "Self-intersection"},
        {"an unknown category",
         "{\"category\":\"spaceport\",\"name_el\":\"Χ\",\"geometry\":{\"type\":\"Point\","
         "\"coordinates\":[23.5,41]}}", "category", "spaceport"},
        {"invalid opening_hours",
         "{\"category\":\"sight\",\"name_el\":\"Χ\",\"opening_hours\":\"Mo-Fr 9am-5pm\","
         "\"geometry\":{\"type\":\"Point\",\"coordinates\":[23.5,41]}}", "opening_hours",
         "at 7: expected a time like 09:00, found \\\"9am-5pm\\\""},
        {"an unknown field",
         "{\"category\":\"sight\",\"name_el\":\"Χ\",\"colour\":\"red\",\"geometry\":"
         "{\"type\":\"Point\",\"coordinates\":[23.5,41]}}", "colour", NULL},
        {"a website that is not http(s)",
         "{\"category\":\"sight\",\"name_el\":\"Χ\",\"website\":\"ftp://example.org\","
         "\"geometry\":{\"type\":\"Point\",\"coordinates\":[23.5,41]}}", "website", NULL},
        {"letters in the phone",
         "{\"category\":\"sight\",\"name_el\":\"Χ\",\"phone\":\"call us\","
         "\"geometry\":{\"type\":\"Point\",\"coordinates\":[23.5,41]}}", "phone", NULL},
        {"no name",
         "{\"category\":\"sight\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[23.5,41]}}",
         "name_el", NULL},
        {"no geometry", "{\"category\":\"sight\",\"name_el\":\"Χ\"}", "geometry", NULL},
    };
    const struct ha_user *t = &w->u[TOURISM];
    long before = ha_count_of(w->db, "pois", "created_by", t),
         audit = ha_count_of(w->db, "audit_log", "actor_user_id", t);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct h_resp r;
        ha_call(w->s, &w->u[TOURISM], "POST", "/api/v1/pois", cases[i].body, &r);
        CHECK_PROBLEM(cases[i].what, &r, 422, cases[i].field);
        if (cases[i].detail)
            CHECK_HAS(cases[i].what, r.body, cases[i].detail);
        h_resp_free(&r);
    }
    /* a change that is wrong changes nothing */
    struct h_resp r;
    ha_call(w->s, &w->u[TOURISM], "PATCH", "/api/v1/pois/1",
            "{\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[23.5,41],[23.6,41.1],"
            "[23.6,41],[23.5,41.1],[23.5,41]]]}}", &r);
    CHECK_PROBLEM("PATCH with a self-intersecting polygon", &r, 422, "geometry");
    h_resp_free(&r);
    ha_call(w->s, &w->u[TOURISM], "PATCH", "/api/v1/pois/1", "{\"name_el\":null}", &r);
    CHECK_PROBLEM("PATCH clearing the required name", &r, 422, "name_el");
    h_resp_free(&r);
    CHECK_INT("POIs of the tourism office after bad input",
              ha_count_of(w->db, "pois", "created_by", t), before);
    CHECK_INT("audit rows by the tourism office after bad input",
              ha_count_of(w->db, "audit_log", "actor_user_id", t), audit);
}

/* ---- photos ---- */

static void photos(struct poi_world *w)
{
    char name[64], path[96];
    snprintf(name, sizeof name, "Φωτογενές %d", w->run);
    long id = hp_create(w, TOURISM, hp_poi_body(name, "sight", hp_point(41.0925, 23.5480), ""));
    snprintf(path, sizeof path, "/api/v1/pois/%ld/photos", id);
    uint8_t jpeg[1024];
    size_t len = fx_jpeg_with_exif(jpeg);
    struct h_resp r;
    ha_upload(w->s, &w->u[CITIZEN], path, "image/jpeg", jpeg, len, &r);
    CHECK_INT("a citizen adds a photo", r.status, 403);
    h_resp_free(&r);
    ha_upload(w->s, &w->u[OTHER_STAFF], path, "image/jpeg", jpeg, len, &r);
    CHECK_INT("staff of another department add a photo", r.status, 403);
    h_resp_free(&r);
    ha_upload(w->s, &w->u[TOURISM], path, "image/jpeg", jpeg, len, &r);
    CHECK(r.status == 201, "the tourism office adds a JPEG with Exif GPS: %ld %.300s", r.status,
          r.body);
    const char *u = json_string_value(json_object_get(r.json, "url"));
    char *url = strdup(u ? strstr(u, "/api/") ?: u : "");
    h_resp_free(&r);

    CHECK_INT("a draft's photo to anonymous", (h_get(w->s, url, &r), r.status), 404);
    h_resp_free(&r);
    hp_act(w, TOURISM, id, "publish");
    h_get(w->s, url, &r);
    CHECK_INT("a published POI's photo to anonymous", r.status, 200);
    CHECK_STR("its media type", r.media_type, "image/jpeg");
    CHECK(!fx_contains((const uint8_t *)r.body, r.len, "Exif", 4) &&
              !fx_contains((const uint8_t *)r.body, r.len, "GPS", 3),
          "the photo served has no Exif or GPS left");
    CHECK(r.len == sizeof fx_jpeg && !memcmp(r.body, fx_jpeg, sizeof fx_jpeg),
          "the photo served is the image without its metadata");
    h_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/pois/%ld", id);
    h_get(w->s, path, &r);
    CHECK_HAS("the POI lists its photo", r.body, url);
    h_resp_free(&r);
    CHECK_INT("audit rows for the photo", hp_audit_rows(w, id, "poi.photo_add"), 1);

    ha_call(w->s, &w->u[CITIZEN], "DELETE", url, NULL, &r);
    CHECK_INT("a citizen deletes the photo", r.status, 403);
    h_resp_free(&r);
    ha_call(w->s, &w->u[TOURISM], "DELETE", url, NULL, &r);
    CHECK_INT("the tourism office deletes the photo", r.status, 204);
    h_resp_free(&r);
    CHECK_INT("a deleted photo", (h_get(w->s, url, &r), r.status), 404);
    h_resp_free(&r);
    free(url);

    /* ten photos, not eleven; the refused one leaves no row */
    snprintf(path, sizeof path, "/api/v1/pois/%ld/photos", id);
    int created = 0;
    for (int i = 0; i < 10; i++) {
        ha_upload(w->s, &w->u[TOURISM], path, "image/jpeg", jpeg, len, &r);
        created += r.status == 201;
        h_resp_free(&r);
    }
    CHECK_INT("photos 1 to 10 of a POI", created, 10);
    ha_upload(w->s, &w->u[TOURISM], path, "image/jpeg", jpeg, len, &r);
    CHECK_PROBLEM("an eleventh photo", &r, 409, NULL);
    h_resp_free(&r);
    char ids[32];
    snprintf(ids, sizeof ids, "%ld", id);
    const char *p[] = {ids};
    char *n = h_pg_value(w->db, "SELECT count(*) FROM poi_photos WHERE poi_id = $1::bigint", 1, p);
    CHECK_STR("photo rows of the POI", n, "10");
    free(n);
    hp_act(w, TOURISM, id, "archive");
}

/* ---- tiles and the export ---- */

static int compare_ids(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static void tiles_and_export(struct poi_world *w)
{
    char pub[64], draft[64];
    snprintf(pub, sizeof pub, "Tile published %d", w->run);
    snprintf(draft, sizeof draft, "Tile draft %d", w->run);
    char extra[128];
    snprintf(extra, sizeof extra, ",\"name_en\":\"%s\"", pub);
    long id = hp_create(w, TOURISM, hp_poi_body("Δημοσιευμένο", "sight", hp_point(41.0935, 23.5470),
                                          extra));
    snprintf(extra, sizeof extra, ",\"name_en\":\"%s\"", draft);
    long did = hp_create(w, TOURISM, hp_poi_body("Πρόχειρο", "sight", hp_point(41.0936, 23.5471), extra));
    hp_act(w, TOURISM, id, "publish");
    long x, y;
    h_tile_of(41.0935, 23.5470, 16, &x, &y);
    char path[96];
    snprintf(path, sizeof path, "/tiles/pois/16/%ld/%ld.mvt", x, y);
    struct h_resp r;
    h_get(w->s, path, &r);
    CHECK(r.status == 200 && memmem(r.body, r.len, pub, strlen(pub)),
          "the pois tile over it holds the published POI (%ld, %zu bytes)", r.status, r.len);
    CHECK(!memmem(r.body, r.len, draft, strlen(draft)), "the pois tile holds no draft");
    h_resp_free(&r);

    h_get(w->s, "/api/v1/pois/export.geojson", &r);
    char *cd = h_resp_header(&r, "content-disposition");
    char *etag = h_resp_header(&r, "etag");
    CHECK(r.status == 200 && cd && strstr(cd, "attachment") && strstr(cd, ".geojson"),
          "the export is a download: %ld %s", r.status, cd ? cd : "(no Content-Disposition)");
    CHECK_STR("the export's type", r.media_type, "application/geo+json");
    CHECK(r.body && strstr(r.body, pub) && !strstr(r.body, draft) &&
              strstr(r.body, "Acropolis of Serres"),
          "the export holds the published POIs and no draft");
    h_resp_free(&r);
    if (etag) {
        char inm[200];
        snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
        const char *hdrs[] = {inm, NULL};
        h_request(w->s, "GET", "/api/v1/pois/export.geojson", hdrs, NULL, &r);
        CHECK_INT("the export again with If-None-Match", r.status, 304);
        h_resp_free(&r);
    }
    free(cd);
    free(etag);
    hp_act(w, TOURISM, id, "archive");
    hp_act(w, TOURISM, did, "archive");

    /* more POIs than one page of the stream (500): still one valid document
     * with every published POI, each once. Other tests publish POIs of their
     * own meanwhile, so the test counts its own 1100: all there, and no POI
     * twice (ids ascend). */
    char tag[48];
    snprintf(tag, sizeof tag, "export-%d", w->run);
    const char *p[] = {tag};
    free(h_pg_value(w->db, "INSERT INTO pois (category, name_el, geom, status, published_at, tags)"
                           " SELECT 'sight', 'Εξαγωγή ' || g, ST_SetSRID(ST_MakePoint("
                           "   23.5 + g * 0.0001, 41.0), 4326), 'published', now(), ARRAY[$1]"
                           " FROM generate_series(1, 1100) g", 1, p));
    char *ids = h_pg_value(w->db, "SELECT string_agg(id::text, ',' ORDER BY id) FROM pois"
                                  " WHERE $1 = ANY (tags)", 1, p);
    long *own_ids = calloc(1100, sizeof *own_ids);
    size_t n_own = 0;
    for (const char *q = ids; q && *q && n_own < 1100;) {
        char *end;
        own_ids[n_own++] = strtol(q, &end, 10);
        q = *end == ',' ? end + 1 : end;
    }
    h_get(w->s, "/api/v1/pois/export.geojson?lang=en", &r);
    CHECK(r.status == 200 && json_is_array(json_object_get(r.json, "features")),
          "the export over 3 pages is one FeatureCollection: %ld %.200s", r.status, r.body);
    json_t *features = json_object_get(r.json, "features");
    long ascending = 0, prev = 0, own = 0;
    size_t i;
    json_t *f;
    json_array_foreach(features, i, f) {
        long fid = (long)json_integer_value(json_object_get(f, "id"));
        ascending += fid > prev;
        prev = fid;
        own += bsearch(&fid, own_ids, n_own, sizeof *own_ids, compare_ids) != NULL;
    }
    CHECK_INT("the export: the test's 1100 published POIs in it", own, 1100);
    CHECK_INT("the export: features with an id above the one before (each POI once)",
              ascending, (long long)json_array_size(features));
    h_resp_free(&r);
    free(ids);
    free(own_ids);
    free(h_pg_value(w->db, "DELETE FROM pois WHERE $1 = ANY (tags)", 1, p));
}

/* ---- categories ---- */

static void categories(struct poi_world *w)
{
    char code[48], body[200], path[96];
    snprintf(code, sizeof code, "winery_%d", w->run);
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"name_el\":\"Οινοποιείο\",\"name_en\":\"Winery\","
             "\"icon\":\"wine\",\"sort_order\":95}", code);
    struct h_resp r;
    ha_call(w->s, &w->u[TOURISM], "POST", "/api/v1/poi-categories", body, &r);
    CHECK_INT("staff create a category", r.status, 403);
    h_resp_free(&r);
    ha_call(w->s, &w->u[ADMIN], "POST", "/api/v1/poi-categories", body, &r);
    CHECK_INT("an admin creates a category", r.status, 201);
    h_resp_free(&r);
    ha_call(w->s, &w->u[ADMIN], "POST", "/api/v1/poi-categories", body, &r);
    CHECK_INT("the same code again", r.status, 409);
    h_resp_free(&r);
    h_get(w->s, "/api/v1/poi-categories", &r);
    CHECK_HAS("the public list of categories", r.body, code);
    h_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/poi-categories/%s", code);
    ha_call(w->s, &w->u[ADMIN], "PATCH", path,
            "{\"name_en\":\"Winery and cellar\",\"active\":false}", &r);
    CHECK(r.status == 200 && strstr(r.body, "Winery and cellar"),
          "an admin renames and hides a category: %ld %.200s", r.status, r.body);
    h_resp_free(&r);
    h_get(w->s, "/api/v1/poi-categories", &r);
    CHECK(!strstr(r.body, code), "a hidden category is not in the public list");
    h_resp_free(&r);
    ha_call(w->s, &w->u[ADMIN], "PATCH", "/api/v1/poi-categories/no_such_category",
            "{\"active\":true}", &r);
    CHECK_INT("PATCH of a category that does not exist", r.status, 404);
    h_resp_free(&r);
    const char *p[] = {code};
    char *n = h_pg_value(w->db, "SELECT count(*) FROM audit_log WHERE entity = 'poi_category'"
                                " AND entity_id = $1", 1, p);
    CHECK_STR("audit rows for the category", n, "2");
    free(n);
}

int main(void)
{
    h_init("test_pois", 240);
    struct poi_world w = {0};
    struct h_server s;
    if (hp_world_start(&w, &s) != 0)
        return h_finish();
    lifecycle(&w);
    bad_input(&w);
    photos(&w);
    tiles_and_export(&w);
    categories(&w);
    hp_world_end(&w);
    return h_finish();
}
