/* The served municipality comes from the database, not from constants: a
 * server started with POLIS_MUNICIPALITY set to Thessaloniki (9031) names
 * Thessaloniki in GET /api/v1/municipality, with a centre inside its
 * boundary and the boundary's extent, and the built-in layers' TileJSON
 * centre is that centre; the default server (Serres, 9054) reports another
 * one. A municipality that is not loaded is a 404 problem, and the TileJSON
 * still answers (its centre then is the middle of the layer's extent). */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THESSALONIKI "9031"
#define SERRES "9054"

/* element i of a JSON array of numbers (NAN when it is not one) */
static double num_at(json_t *array, size_t i)
{
    json_t *v = json_array_get(array, i);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* One value of the served municipality's boundary, computed by PostGIS here
 * (not by the server): sql over the row b, $1 the code. */
static double boundary_value(PGconn *db, const char *code, const char *expr)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT (%s)::float8 FROM boundaries b WHERE level = 'municipality' AND code = $1",
             expr);
    const char *params[] = {code};
    char *v = h_pg_value(db, sql, 1, params);
    double d = v ? atof(v) : NAN;
    free(v);
    return d;
}

/* Checks GET /api/v1/municipality of server s against the boundary of code;
 * stores the centre it reports in centre. */
static void check_municipality(const struct h_server *s, PGconn *db, const char *code,
                               const char *name_el, double centre[2])
{
    struct h_resp r;
    h_get(s, "/api/v1/municipality", &r);
    CHECK(r.status == 200 && r.json, "GET /api/v1/municipality (POLIS_MUNICIPALITY=%s): expected "
          "200 JSON, found %ld %.300s", code, r.status, r.body);
    CHECK_STR("municipality: code", json_string_value(json_object_get(r.json, "code")), code);
    CHECK_STR("municipality: name_el", json_string_value(json_object_get(r.json, "name_el")),
              name_el);
    CHECK(json_string_value(json_object_get(r.json, "name_en")) != NULL,
          "municipality %s: expected a name_en string, found %.300s", code, r.body);
    json_t *c = json_object_get(r.json, "center"), *bbox = json_object_get(r.json, "bbox");
    centre[0] = num_at(c, 0);
    centre[1] = num_at(c, 1);
    CHECK(json_array_size(c) == 2 && !isnan(centre[0]) && !isnan(centre[1]),
          "municipality %s: expected center [lon, lat], found %.300s", code, r.body);
    static const char *const extent[4] = {"ST_XMin(b.geom)", "ST_YMin(b.geom)",
                                          "ST_XMax(b.geom)", "ST_YMax(b.geom)"};
    CHECK(json_array_size(bbox) == 4, "municipality %s: expected a bbox of 4 numbers, found %.300s",
          code, r.body);
    for (size_t i = 0; i < 4; i++) {
        double expected = boundary_value(db, code, extent[i]);
        CHECK(fabs(num_at(bbox, i) - expected) < 1e-5,
              "municipality %s: bbox[%zu]: expected %s of its boundary = %.6f, found %.6f", code,
              i, extent[i], expected, num_at(bbox, i));
    }
    char inside[256];
    snprintf(inside, sizeof inside,
             "ST_Contains(b.geom, ST_SetSRID(ST_MakePoint(%.9f, %.9f), 4326))::int", centre[0],
             centre[1]);
    CHECK(boundary_value(db, code, inside) == 1,
          "municipality %s: expected its center (%.6f, %.6f) inside its boundary, found outside",
          code, centre[0], centre[1]);
    h_resp_free(&r);
}

/* The centre of the TileJSON of layer on server s: lon, lat and zoom. */
static void tilejson_centre(const struct h_server *s, const char *layer, double out[3])
{
    char path[128];
    snprintf(path, sizeof path, "/tiles/%s.json", layer);
    struct h_resp r;
    h_get(s, path, &r);
    CHECK(r.status == 200 && r.json, "GET %s: expected 200 JSON, found %ld %.300s", path,
          r.status, r.body);
    json_t *c = json_object_get(r.json, "center");
    for (size_t i = 0; i < 3; i++)
        out[i] = num_at(c, i);
    CHECK(json_array_size(c) == 3, "GET %s: expected center [lon, lat, zoom], found %.300s", path,
          r.body);
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_municipality", 120);
    PGconn *db = h_pg_connect(h_shared_dburl());

    struct h_server thess, serres, missing;
    const char *thess_env[] = {"POLIS_MUNICIPALITY=" THESSALONIKI, NULL};
    if (h_server_start(&thess, h_shared_dburl(), thess_env) != 0)
        return h_finish();
    double tc[2], sc[2], tj[3];
    check_municipality(&thess, db, THESSALONIKI, "Δήμος Θεσσαλονίκης", tc);
    tilejson_centre(&thess, "boundaries", tj);
    CHECK(fabs(tj[0] - tc[0]) < 1e-5 && fabs(tj[1] - tc[1]) < 1e-5,
          "TileJSON of boundaries, serving Thessaloniki: expected its center (%.6f, %.6f), found "
          "(%.6f, %.6f)", tc[0], tc[1], tj[0], tj[1]);
    CHECK_INT("TileJSON of boundaries: the layer's opening zoom", (long long)tj[2], 10);

    struct h_resp r;
    h_get(&thess, "/api/v1/municipality?code=" SERRES, &r);
    CHECK_PROBLEM("GET /api/v1/municipality with a parameter", &r, 400, "code");
    h_resp_free(&r);
    h_get(&thess, "/api/v1", &r);
    CHECK_STR("GET /api/v1: municipality",
              json_string_value(json_object_get(r.json, "municipality")), THESSALONIKI);
    CHECK_HAS("GET /api/v1: a link to the served municipality", r.body, "/api/v1/municipality");
    h_resp_free(&r);

    /* the default: Serres, somewhere else */
    if (h_server_start(&serres, h_shared_dburl(), NULL) != 0)
        return h_finish();
    check_municipality(&serres, db, SERRES, "Δήμος Σερρών", sc);
    tilejson_centre(&serres, "boundaries", tj);
    CHECK(fabs(tj[0] - sc[0]) < 1e-5 && fabs(tj[1] - sc[1]) < 1e-5,
          "TileJSON of boundaries, serving Serres: expected its center (%.6f, %.6f), found "
          "(%.6f, %.6f)", sc[0], sc[1], tj[0], tj[1]);
    CHECK(fabs(sc[0] - tc[0]) > 0.1 || fabs(sc[1] - tc[1]) > 0.1,
          "expected Serres' center far from Thessaloniki's (%.4f, %.4f), found (%.4f, %.4f)",
          tc[0], tc[1], sc[0], sc[1]);

    /* a code with no boundary: a problem that names the setting; tiles still work */
    const char *missing_env[] = {"POLIS_MUNICIPALITY=99999", NULL};
    if (h_server_start(&missing, h_shared_dburl(), missing_env) != 0)
        return h_finish();
    h_get(&missing, "/api/v1/municipality", &r);
    CHECK_PROBLEM("GET /api/v1/municipality, municipality not loaded", &r, 404, NULL);
    CHECK_HAS("municipality not loaded: detail", r.body, "POLIS_MUNICIPALITY=99999");
    h_resp_free(&r);
    double extent_mid[2] = {
        (boundary_value(db, "9054", "(SELECT ST_XMin(ST_Extent(geom)) FROM boundaries)") +
         boundary_value(db, "9054", "(SELECT ST_XMax(ST_Extent(geom)) FROM boundaries)")) / 2,
        (boundary_value(db, "9054", "(SELECT ST_YMin(ST_Extent(geom)) FROM boundaries)") +
         boundary_value(db, "9054", "(SELECT ST_YMax(ST_Extent(geom)) FROM boundaries)")) / 2};
    tilejson_centre(&missing, "boundaries", tj);
    CHECK(fabs(tj[0] - extent_mid[0]) < 1e-5 && fabs(tj[1] - extent_mid[1]) < 1e-5,
          "TileJSON of boundaries, municipality not loaded: expected the middle of the layer's "
          "extent (%.6f, %.6f), found (%.6f, %.6f)", extent_mid[0], extent_mid[1], tj[0], tj[1]);
    PQfinish(db);
    return h_finish();
}
