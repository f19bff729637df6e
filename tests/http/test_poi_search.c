/* Finding points of interest as a visitor types: σερρες, ΣΕΡΡΕΣ, Σέρρες and
 * serres all find «Σέρρες», ranked first; the SQL transliteration agrees
 * with gis/translit.c on 326 names; near= is sorted by distance, and a
 * distance is right to a few metres. (Split from test_pois.c, which follows
 * a POI's life.) */
#include "gis/translit.h"
#include "h_pois.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Greek search ---- */

static void greek_search(struct poi_world *w)
{
    long id = hp_create(w, ADMIN, hp_poi_body("Σέρρες", "sight", hp_point(41.0911, 23.5497), ""));
    CHECK_INT("publish «Σέρρες»", hp_act(w, ADMIN, id, "publish"), 200);
    /* σερρες, ΣΕΡΡΕΣ, Σέρρες, serres */
    static const char *const queries[] = {
        "%CF%83%CE%B5%CF%81%CF%81%CE%B5%CF%82",
        "%CE%A3%CE%95%CE%A1%CE%A1%CE%95%CE%A3",
        "%CE%A3%CE%AD%CF%81%CF%81%CE%B5%CF%82",
        "serres",
    };
    static const char *const shown[] = {"σερρες", "ΣΕΡΡΕΣ", "Σέρρες", "serres"};
    for (int i = 0; i < 4; i++) {
        char path[160];
        snprintf(path, sizeof path, "/api/v1/pois?q=%s&limit=5", queries[i]);
        struct h_resp r;
        h_get(w->s, path, &r);
        json_t *first = json_array_get(json_object_get(r.json, "features"), 0);
        CHECK(r.status == 200 && json_integer_value(json_object_get(first, "id")) == id,
              "q=%s finds «Σέρρες» (POI %ld) first: %ld %.300s", shown[i], id, r.status, r.body);
        h_resp_free(&r);
    }
    /* a demo POI through its transliteration, and a prefix */
    struct h_resp r;
    h_get(w->s, "/api/v1/pois?q=bezesten", &r);
    json_t *first = json_array_get(json_object_get(r.json, "features"), 0);
    CHECK_HAS("q=bezesten", json_string_value(json_object_get(
                                json_object_get(first, "properties"), "name_el")) ?: "(none)",
              "Μπεζεστένι");
    h_resp_free(&r);
    /* several words, in any order, without accents: each must be in the name */
    h_get(w->s, "/api/v1/pois?q=%CE%BC%CE%BF%CF%85%CF%83%CE%B5%CE%B9%CE%BF+"
                "%CE%B1%CF%81%CF%87%CE%B1%CE%B9%CE%BF%CE%BB%CE%BF%CE%B3%CE%B9%CE%BA%CE%BF", &r);
    first = json_array_get(json_object_get(r.json, "features"), 0);
    CHECK_HAS("q=μουσειο αρχαιολογικο",
              json_string_value(json_object_get(json_object_get(first, "properties"),
                                                "name_el")) ?: "(none)",
              "Αρχαιολογικό Μουσείο");
    CHECK(json_array_size(json_object_get(r.json, "features")) == 1,
          "q=μουσειο αρχαιολογικο: only the archaeological museum (the folklore one lacks a "
          "word): %.300s", r.body);
    h_resp_free(&r);
    /* a typo: no exact match, so the names that resemble it */
    h_get(w->s, "/api/v1/pois?q=bezestani", &r);
    first = json_array_get(json_object_get(r.json, "features"), 0);
    CHECK_HAS("q=bezestani (typo)",
              json_string_value(json_object_get(json_object_get(first, "properties"),
                                                "name_el")) ?: "(none)",
              "Μπεζεστένι");
    h_resp_free(&r);
    CHECK_INT("archive «Σέρρες» (the next run makes its own)", hp_act(w, ADMIN, id, "archive"), 200);
}

/* The search key's transliteration (SQL, sql/015_pois.sql) is the one of
 * gis/translit.c in lower case, for every municipality name of Greece. */
static void translit_agrees(struct poi_world *w)
{
    PGresult *res = PQexec(w->db, "SELECT name_el, polis_greek_latin(name_el) FROM boundaries"
                                  " WHERE level = 'municipality' ORDER BY code");
    int n = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) : 0, differ = 0;
    CHECK(n == 326, "the 326 municipality names to compare: found %d", n);
    for (int i = 0; i < n; i++) {
        char c[512];
        translit_elot743(PQgetvalue(res, i, 0), c, sizeof c);
        for (char *p = c; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (strcmp(c, PQgetvalue(res, i, 1)) && differ++ < 5)
            CHECK(0, "%s: C gives \"%s\", SQL \"%s\"", PQgetvalue(res, i, 0), c,
                  PQgetvalue(res, i, 1));
    }
    CHECK(differ == 0, "SQL and C transliterations differ for %d names", differ);
    PQclear(res);
}

/* ---- near= ---- */

static void near(struct poi_world *w)
{
    struct h_resp r;
    h_get(w->s, "/api/v1/pois?near=41.0910,23.5496&limit=20", &r);
    json_t *features = json_object_get(r.json, "features");
    CHECK(r.status == 200 && json_array_size(features) >= 5,
          "near= the centre lists the demo POIs: %ld %.200s", r.status, r.body);
    double last = -1;
    int sorted = 1, sane = 1;
    size_t i;
    json_t *f;
    json_array_foreach(features, i, f) {
        json_t *d = json_object_get(json_object_get(f, "properties"), "distance_m");
        double v = json_number_value(d);
        sane &= json_is_number(d) && v >= 0 && v < 200000;
        sorted &= v >= last;
        last = v;
    }
    CHECK(sorted, "near= features come by increasing distance_m: %.400s", r.body);
    CHECK(sane, "every distance_m is a number of metres within the region");
    h_resp_free(&r);

    /* 0.009° of latitude north of the query point: 999.5 m on the WGS 84
     * ellipsoid at 41°N (1000.8 m on the sphere PostGIS uses for <->) */
    char name[64], path[200];
    snprintf(name, sizeof name, "Μετρημένο σημείο %d", w->run);
    long id = hp_create(w, TOURISM, hp_poi_body(name, "sight", hp_point(41.1000, 23.5496), ""));
    hp_act(w, TOURISM, id, "publish");
    snprintf(path, sizeof path,
             "/api/v1/pois?near=41.0910,23.5496&q=%%CE%%BC%%CE%%B5%%CF%%84%%CF%%81%%CE%%B7"
             "%%CE%%BC%%CE%%B5%%CE%%BD%%CE%%BF+%%CF%%83%%CE%%B7%%CE%%BC%%CE%%B5%%CE%%B9%%CE"
             "%%BF+%d", w->run);
    h_get(w->s, path, &r);
    f = json_array_get(json_object_get(r.json, "features"), 0);
    double d = json_number_value(json_object_get(json_object_get(f, "properties"), "distance_m"));
    CHECK(json_integer_value(json_object_get(f, "id")) == id && fabs(d - 999.5) < 3,
          "distance to a point 0.009° north: expected 999.5 m within 3 m, found %.1f (%.200s)",
          d, r.body);
    h_resp_free(&r);
    hp_act(w, TOURISM, id, "archive");

    h_get(w->s, "/api/v1/pois?near=91,23.5", &r);
    CHECK_PROBLEM("near= with lat 91", &r, 400, "near");
    h_resp_free(&r);
    /* near= pages through the 1,000 nearest: a page beyond them is refused */
    h_get(w->s, "/api/v1/pois?near=41.0910,23.5496&limit=10&offset=995", &r);
    CHECK_PROBLEM("near= beyond the 1,000 nearest", &r, 400, "offset");
    CHECK_HAS("the largest offset is named", r.body, "at most 990");
    h_resp_free(&r);
    h_get(w->s, "/api/v1/pois?near=41.0910,23.5496&limit=10&offset=990", &r);
    CHECK_INT("near= with the last page of the 1,000 nearest", r.status, 200);
    h_resp_free(&r);
    h_get(w->s, "/api/v1/pois?category=museum,no_such_thing", &r);
    CHECK_PROBLEM("an unknown category in the list", &r, 400, "category");
    CHECK_HAS("the unknown category is named", r.body, "no_such_thing");
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_poi_search", 240);
    struct poi_world w = {0};
    struct h_server s;
    if (hp_world_start(&w, &s) != 0)
        return h_finish();
    greek_search(&w);
    translit_agrees(&w);
    near(&w);
    hp_world_end(&w);
    return h_finish();
}
