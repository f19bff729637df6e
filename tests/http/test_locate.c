/* GET /api/v1/locate: "which municipality am I in?" for real places, checked
 * against the loaded Kallikratis boundaries. The answer must agree with
 * PostGIS asked directly (ST_Contains on the fixture database). */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct place {
    const char *what;
    const char *lat, *lon;
    const char *code;          /* expected KWD_YPES, NULL when the source has none */
    const char *name_el;       /* exact name_el, or NULL to check name_has only */
    const char *name_has;      /* a part name_el must contain */
};

static const struct place places[] = {
    {"Serres centre", "41.0910", "23.5496", "9054", "Δήμος Σερρών", "Σερρών"},
    {"Nigrita", "40.9058", "23.4976", "9050", "Δήμος Βισαλτίας", "Βισαλτίας"},
    {"Pylaia", "40.6000", "22.9870", "9037", "Δήμος Πυλαίας - Χορτιάτη", "Πυλαίας"},
    /* The brief gave 37.8400, 24.9370: 14 m off the coastline of the source
     * data; 250 m to the west, in Chora of Andros, is inside. */
    {"Andros town", "37.8390", "24.9340", NULL, NULL, "Άνδρου"},
    {"Karyes, Mount Athos", "40.2550", "24.2460", NULL, NULL, "Άθως"},
};

/* The boundary PostGIS says contains the point: "id|code" or NULL. */
static char *sql_contains(PGconn *db, const char *lat, const char *lon)
{
    const char *p[] = {lon, lat};
    return h_pg_value(db,
                      "SELECT id || '|' || coalesce(code, '') FROM boundaries "
                      "WHERE level = 'municipality' AND ST_Contains(geom, "
                      "ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326))",
                      2, p);
}

static void check_place(const struct h_server *s, PGconn *db, const struct place *pl)
{
    char path[256], what[512];
    snprintf(path, sizeof path, "/api/v1/locate?lat=%s&lon=%s", pl->lat, pl->lon);
    snprintf(what, sizeof what, "%s (GET %s)", pl->what, path);
    struct h_resp r;
    h_get(s, path, &r);
    CHECK(r.status == 200, "%s: expected 200, found %ld %s %.300s", what, r.status, r.error,
          r.body);
    CHECK_STR(what, r.media_type, "application/json");
    CHECK(json_is_object(r.json), "%s: expected a JSON object, found %.300s", what, r.body);

    json_t *lat = json_object_get(r.json, "lat"), *lon = json_object_get(r.json, "lon");
    CHECK(json_is_number(lat) && fabs(json_number_value(lat) - atof(pl->lat)) < 1e-9,
          "%s: expected \"lat\": %s echoed, found %.300s", what, pl->lat, r.body);
    CHECK(json_is_number(lon) && fabs(json_number_value(lon) - atof(pl->lon)) < 1e-9,
          "%s: expected \"lon\": %s echoed, found %.300s", what, pl->lon, r.body);
    CHECK(json_is_null(json_object_get(r.json, "unit")),
          "%s: expected \"unit\": null (no units loaded), found %.300s", what, r.body);

    json_t *m = json_object_get(r.json, "municipality");
    CHECK(json_is_object(m), "%s: expected a \"municipality\" object, found %.300s", what,
          r.body);
    const char *name_el = json_string_value(json_object_get(m, "name_el"));
    json_t *code = json_object_get(m, "code");
    if (pl->code)
        CHECK_STR(what, json_string_value(code), pl->code);
    if (pl->name_el)
        CHECK_STR(what, name_el, pl->name_el);
    CHECK_HAS(what, name_el, pl->name_has);
    CHECK(json_is_string(json_object_get(m, "name_en")) &&
              strlen(json_string_value(json_object_get(m, "name_en"))) > 0,
          "%s: expected a non-empty name_en, found %.300s", what, r.body);
    if (strstr(pl->name_has, "Άθως"))
        CHECK(json_is_null(code), "%s: Mount Athos has no KWD_YPES code; expected "
              "\"code\": null, found %.300s", what, r.body);

    /* Same boundary as PostGIS says, by id. */
    char *want = sql_contains(db, pl->lat, pl->lon);
    char got[64];
    snprintf(got, sizeof got, "%lld|%s", (long long)json_integer_value(json_object_get(m, "id")),
             json_is_string(code) ? json_string_value(code) : "");
    CHECK(want && strcmp(want, got) == 0,
          "%s: expected the boundary PostGIS finds (id|code %s), found %s", what,
          want ? want : "(none)", got);
    free(want);
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_locate", 240);
    const char *url = h_shared_dburl();
    PGconn *db = h_pg_connect(url);
    struct h_server s;
    if (h_server_start(&s, url, NULL) != 0)
        return h_finish();

    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++)
        check_place(&s, db, &places[i]);

    /* Outside every boundary: the Ionian Sea, and Paris. */
    static const char *outside[] = {"/api/v1/locate?lat=36&lon=20",
                                    "/api/v1/locate?lat=48.85&lon=2.35"};
    for (int i = 0; i < 2; i++) {
        struct h_resp r;
        h_get(&s, outside[i], &r);
        CHECK_PROBLEM(outside[i], &r, 404, NULL);
        h_resp_free(&r);
    }

    PQfinish(db);
    return h_finish();
}
