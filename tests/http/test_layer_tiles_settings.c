/* An admin gives an imported layer its tile settings (PATCH
 * /api/v1/layers/{name}, member "tiles") and a map client sees them, as
 * GDAL's MVT driver reads the tiles:
 *  - minzoom 14: the z12 tile (200 before) is 204, TileJSON says 14;
 *  - an attribute whitelist: the features carry only those attributes;
 *  - min_size_px 4: small polygons leave the z14 tile and stay in the z16
 *    one, large ones stay;
 *  - a feature limit below the tile's features: the largest are the ones
 *    kept, the header Polis-Tile-Truncated says how many of how many (also
 *    from the cache), TileJSON's "polis:feature_limit" gives the limit;
 *    back to the default, the header is gone;
 *  - the owning department; the catalogue shows every setting;
 *  - bad members are 422 naming each, and change nothing.
 * The layer is ten squares in one z14 tile: four large ones of different
 * sizes (big1 the largest) and six small ones. */
#include "h_accounts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct h_server s;
static PGconn *db;
static char layer[64], path[160], dir[160];
static long x14, y14, x12, y12, x16, y16; /* tiles: all squares, the same at z12, one small */

/* ---- the layer ---- */

/* A square of half-side h degrees of longitude (about as tall in Web
 * Mercator) centred on lon, lat, as a GeoJSON feature. */
static void square(FILE *f, int first, const char *name, const char *kind, int rank, double lon,
                   double lat, double h)
{
    double v = h * cos(lat * M_PI / 180);
    fprintf(f,
            "%s{\"type\":\"Feature\",\"properties\":{\"name\":\"%s\",\"kind\":\"%s\","
            "\"rank\":%d},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%.7f,%.7f],"
            "[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f]]]}}\n",
            first ? "" : ",", name, kind, rank, lon - h, lat - v, lon + h, lat - v, lon + h,
            lat + v, lon - h, lat + v, lon - h, lat - v);
}

/* Writes the layer's GeoJSON around the centre of the z14 tile at lat,
 * lon and imports it. */
static void import_layer(double lat, double lon)
{
    h_tile_of(lat, lon, 14, &x14, &y14);
    double n = 1 << 14;
    double clon = (x14 + 0.5) / n * 360 - 180;
    double clat = atan(sinh(M_PI * (1 - 2 * (y14 + 0.5) / n))) * 180 / M_PI;
    h_tile_of(clat, clon, 12, &x12, &y12);
    char file[256];
    snprintf(file, sizeof file, "%s/squares.geojson", dir);
    FILE *f = fopen(file, "w");
    if (!f)
        h_fatal("cannot write %s", file);
    fprintf(f, "{\"type\":\"FeatureCollection\",\"features\":[\n");
    /* large: 670, 560, 450 and 330 m a side, in the four corners */
    static const double big[4][3] = {
        {0.0030, -0.006, -0.004}, {0.0025, 0.006, -0.004},
        {0.0020, -0.006, 0.004}, {0.0015, 0.006, 0.004}};
    for (int i = 0; i < 4; i++) {
        char name[16];
        snprintf(name, sizeof name, "big%d", i + 1);
        square(f, i == 0, name, "big", i + 1, clon + big[i][1], clat + big[i][2], big[i][0]);
    }
    /* small: 33 m a side, in a row through the middle */
    for (int i = 0; i < 6; i++) {
        char name[16];
        snprintf(name, sizeof name, "small%d", i + 1);
        double lon_i = clon - 0.0075 + 0.003 * i;
        square(f, 0, name, "small", 10 + i, lon_i, clat, 0.00015);
        if (i == 0)
            h_tile_of(clat, lon_i, 16, &x16, &y16);
    }
    fprintf(f, "]}\n");
    fclose(f);
    char *out;
    if (h_run(&out, "'%s' import '%s' --as %s 2>&1", h_env("POLIS_BIN"), file, layer))
        h_fatal("the layer could not be imported: %s", out);
    free(out);
}

/* ---- tiles as a client reads them ---- */

struct tile {
    long status;
    char *truncated; /* the Polis-Tile-Truncated header, or NULL */
    char *x_cache;
    json_t *features; /* GeoJSON FeatureCollection of the tile as GDAL reads it */
};

static void tile_free(struct tile *t)
{
    free(t->truncated);
    free(t->x_cache);
    json_decref(t->features);
    memset(t, 0, sizeof *t);
}

/* GET the layer's tile z/x/y (identity); a 200 is read by ogr2ogr (GDAL's
 * MVT driver) into GeoJSON. */
static void get_tile(int z, long x, long y, struct tile *t)
{
    char url[256];
    snprintf(url, sizeof url, "/tiles/%s/%d/%ld/%ld.mvt", layer, z, x, y);
    struct h_resp r;
    h_get(&s, url, &r);
    memset(t, 0, sizeof *t);
    t->status = r.status;
    t->truncated = h_resp_header(&r, "polis-tile-truncated");
    t->x_cache = h_resp_header(&r, "x-cache");
    if (r.status == 200) {
        char file[256], *out = NULL;
        snprintf(file, sizeof file, "%s/%d_%ld_%ld.mvt", dir, z, x, y);
        FILE *f = fopen(file, "wb");
        if (!f || fwrite(r.body, 1, r.len, f) != r.len || fclose(f))
            h_fatal("cannot write %s", file);
        h_run(&out, "ogr2ogr -f GeoJSON /vsistdout/ -oo Z=%d -oo X=%ld -oo Y=%ld '%s' "
                    "2>/dev/null", z, x, y, file);
        t->features = out ? json_loads(out, 0, NULL) : NULL;
        CHECK(t->features != NULL, "ogr2ogr read %s as GeoJSON: %.300s", url, out ? out : "");
        free(out);
        unlink(file);
    }
    h_resp_free(&r);
}

/* items[0..n) sorted and joined with commas into buf (static storage of
 * the caller). */
static const char *sorted_list(const char **items, size_t n, char *buf, size_t len)
{
    for (size_t a = 1; a < n; a++)
        for (size_t b = a; b > 0 && strcmp(items[b - 1], items[b]) > 0; b--) {
            const char *tmp = items[b];
            items[b] = items[b - 1];
            items[b - 1] = tmp;
        }
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? "," : "", items[i]);
    return buf;
}

/* The names of the tile's features, sorted, comma-separated (static). */
static const char *names_of(const struct tile *t)
{
    static char buf[512];
    const char *names[64];
    size_t n = 0, i;
    json_t *feat;
    json_array_foreach(json_object_get(t->features, "features"), i, feat)
    {
        const char *name = json_string_value(
            json_object_get(json_object_get(feat, "properties"), "name"));
        if (n < 64)
            names[n++] = name ? name : "?";
    }
    return sorted_list(names, n, buf, sizeof buf);
}

/* The attribute names the tile's features carry (but GDAL's mvt_id),
 * sorted, comma-separated (static). */
static const char *attributes_of(const struct tile *t)
{
    static char buf[256];
    const char *keys[16];
    size_t n = 0, i;
    json_t *feat;
    json_array_foreach(json_object_get(t->features, "features"), i, feat)
    {
        const char *key;
        json_t *v;
        json_object_foreach(json_object_get(feat, "properties"), key, v)
        {
            int seen = !strcmp(key, "mvt_id");
            for (size_t k = 0; k < n && !seen; k++)
                seen = !strcmp(keys[k], key);
            if (!seen && n < 16)
                keys[n++] = key;
        }
    }
    return sorted_list(keys, n, buf, sizeof buf);
}

/* Polls the tile until its feature names are want (every server process
 * learns of the change from a NOTIFY); 1 when they were, else 0 with the
 * last tile in *t anyway. */
static int wait_names(int z, long x, long y, const char *want, struct tile *t)
{
    for (long long end = h_now_ms() + H_EVENT_DEADLINE_MS;; h_sleep_ms(50)) {
        get_tile(z, x, y, t);
        if (t->status == 200 && !strcmp(names_of(t), want))
            return 1;
        if (h_now_ms() > end)
            return 0;
        tile_free(t);
    }
}

/* The layer's TileJSON (malloc'd in r) once its first vector layer's member
 * key is the integer want; 1 when it came to be, else 0. */
static int wait_tilejson(const char *key, long long want, struct h_resp *r)
{
    char url[160];
    snprintf(url, sizeof url, "/tiles/%s.json", layer);
    for (long long end = h_now_ms() + H_EVENT_DEADLINE_MS;; h_sleep_ms(50)) {
        h_get(&s, url, r);
        json_t *vl = json_array_get(json_object_get(r->json, "vector_layers"), 0);
        if (r->status == 200 && json_integer_value(json_object_get(vl, key)) == want)
            return 1;
        if (h_now_ms() > end)
            return 0;
        h_resp_free(r);
    }
}

/* The layer's entry in GET /api/v1/layers (compact JSON, malloc'd), or NULL. */
static char *catalogue_entry(void)
{
    return ha_layer_entry(&s, NULL, layer);
}

/* PATCH body as admin: 200. */
static void patch_ok(const struct ha_user *admin, const char *body)
{
    struct h_resp r;
    ha_call(&s, admin, "PATCH", path, body, &r);
    CHECK(r.status == 200, "PATCH %s: expected 200, found %ld %.400s", body, r.status, r.body);
    h_resp_free(&r);
}

/* ---- the steps ---- */

/* Each bad member is named, and the layer (its catalogue entry and its
 * tiles) is as it was. */
static void bad_members(const struct ha_user *admin, const struct ha_user *staff)
{
    struct {
        const char *body;
        const char *names[8];
    } cases[] = {
        {"{\"tiles\":{\"minzoom\":30,\"maxzoom\":\"18\",\"simplify_px\":-1,"
         "\"min_size_px\":1000,\"feature_limit\":0,\"attributes\":\"name\",\"colour\":1},"
         "\"department_id\":\"x\"}",
         {"tiles.minzoom", "tiles.maxzoom", "tiles.simplify_px", "tiles.min_size_px",
          "tiles.feature_limit", "tiles.attributes", "tiles.colour", "department_id"}},
        {"{\"tiles\":[14]}", {"tiles"}},
        {"{\"tiles\":{\"minzoom\":15,\"maxzoom\":14}}", {"tiles.minzoom"}},
        /* checked against the stored row: maxzoom is 18, no attribute "height",
         * no department 987654321; nothing of the valid members changes either */
        {"{\"tiles\":{\"minzoom\":19}}", {"tiles.minzoom"}},
        {"{\"tiles\":{\"attributes\":[\"name\",\"height\"],\"minzoom\":14}}",
         {"tiles.attributes"}},
        {"{\"department_id\":987654321,\"tiles\":{\"feature_limit\":3}}", {"department_id"}},
    };
    char *before = catalogue_entry();
    CHECK(before != NULL, "the layer is in the catalogue");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct h_resp r;
        ha_call(&s, admin, "PATCH", path, cases[i].body, &r);
        char what[400];
        snprintf(what, sizeof what, "PATCH %s", cases[i].body);
        for (int k = 0; k < 8 && cases[i].names[k]; k++)
            CHECK_PROBLEM(what, &r, 422, cases[i].names[k]);
        if (strstr(cases[i].body, "height"))
            CHECK_HAS(what, r.body, "height");
        h_resp_free(&r);
        char *after = catalogue_entry();
        CHECK(after && before && !strcmp(before, after), "%s changed the layer: %s -> %s", what,
              before ?: "(none)", after ?: "(none)");
        free(after);
    }
    free(before);
    CHECK_INT("PATCH tiles as staff",
              ha_status(&s, staff, "PATCH", path, "{\"tiles\":{\"minzoom\":14}}"), 403);
    CHECK_INT("PATCH tiles anonymous",
              ha_status(&s, NULL, "PATCH", path, "{\"tiles\":{\"minzoom\":14}}"), 401);
}

static void minzoom(const struct ha_user *admin)
{
    struct tile t = {0};
    get_tile(12, x12, y12, &t);
    CHECK(t.status == 200 && strstr(names_of(&t), "big1"),
          "before minzoom 14: the z12 tile has the squares: %ld %s", t.status, names_of(&t));
    tile_free(&t);
    patch_ok(admin, "{\"tiles\":{\"minzoom\":14}}");
    struct h_resp r;
    CHECK(wait_tilejson("minzoom", 14, &r), "TileJSON vector_layers[0].minzoom never became 14");
    CHECK_INT("TileJSON minzoom", json_integer_value(json_object_get(r.json, "minzoom")), 14);
    h_resp_free(&r);
    get_tile(12, x12, y12, &t);
    CHECK_INT("the z12 tile below minzoom 14", t.status, 204);
    tile_free(&t);
    get_tile(14, x14, y14, &t);
    CHECK_INT("the z14 tile at minzoom 14", t.status, 200);
    tile_free(&t);
    /* checked against the stored minzoom */
    ha_call(&s, admin, "PATCH", path, "{\"tiles\":{\"maxzoom\":12}}", &r);
    CHECK_PROBLEM("PATCH maxzoom 12 below the stored minzoom 14", &r, 422, "tiles.maxzoom");
    h_resp_free(&r);
}

static void whitelist(const struct ha_user *admin)
{
    struct tile t = {0};
    get_tile(14, x14, y14, &t);
    CHECK_STR("the attributes before a whitelist", attributes_of(&t), "kind,name,rank");
    tile_free(&t);
    patch_ok(admin, "{\"tiles\":{\"attributes\":[\"name\"]}}");
    for (long long end = h_now_ms() + H_EVENT_DEADLINE_MS;; h_sleep_ms(50)) {
        get_tile(14, x14, y14, &t);
        if (!strcmp(attributes_of(&t), "name") || h_now_ms() > end)
            break;
        tile_free(&t);
    }
    CHECK_STR("the attributes with the whitelist [name]", attributes_of(&t), "name");
    CHECK_STR("the features with the whitelist", names_of(&t),
              "big1,big2,big3,big4,small1,small2,small3,small4,small5,small6");
    tile_free(&t);
}

static void min_size(const struct ha_user *admin)
{
    struct tile t = {0};
    patch_ok(admin, "{\"tiles\":{\"min_size_px\":4}}");
    CHECK(wait_names(14, x14, y14, "big1,big2,big3,big4", &t),
          "min_size_px 4 at z14 (a pixel is 9.6 m): expected the large squares only, found %s",
          names_of(&t));
    tile_free(&t);
    get_tile(16, x16, y16, &t);
    CHECK(t.status == 200 && strstr(names_of(&t), "small1"),
          "min_size_px 4 at z16 (a pixel is 2.4 m): expected the small square small1, found "
          "%ld %s", t.status, names_of(&t));
    tile_free(&t);
}

static void feature_limit(const struct ha_user *admin)
{
    struct tile t = {0};
    char want[128];
    patch_ok(admin, "{\"tiles\":{\"min_size_px\":0,\"feature_limit\":3}}");
    CHECK(wait_names(14, x14, y14, "big1,big2,big3", &t),
          "feature_limit 3: expected the three largest squares, found %s", names_of(&t));
    snprintf(want, sizeof want, "%s 3 of 10", layer);
    CHECK_STR("Polis-Tile-Truncated", t.truncated, want);
    tile_free(&t);
    /* the same tile from the cache says so too */
    int hit = 0;
    for (long long end = h_now_ms() + H_EVENT_DEADLINE_MS; !hit && h_now_ms() < end;
         h_sleep_ms(50)) {
        get_tile(14, x14, y14, &t);
        hit = t.x_cache && !strcmp(t.x_cache, "hit");
        if (hit)
            CHECK_STR("Polis-Tile-Truncated of a cached tile", t.truncated, want);
        tile_free(&t);
    }
    CHECK(hit, "the z14 tile never came from the cache");
    struct h_resp r;
    CHECK(wait_tilejson("polis:feature_limit", 3, &r),
          "TileJSON vector_layers[0].polis:feature_limit never became 3");
    h_resp_free(&r);
    /* a limit the tile just reaches: all of them, no header */
    static const char all[] = "big1,big2,big3,big4,small1,small2,small3,small4,small5,small6";
    patch_ok(admin, "{\"tiles\":{\"feature_limit\":10}}");
    CHECK(wait_names(14, x14, y14, all, &t), "feature_limit 10: expected all ten squares, "
          "found %s", names_of(&t));
    CHECK(!t.truncated, "feature_limit 10 of 10 features: expected no Polis-Tile-Truncated, "
          "found %s", t.truncated);
    tile_free(&t);

    patch_ok(admin, "{\"tiles\":{\"feature_limit\":null}}");
    CHECK(wait_tilejson("polis:feature_limit", 5000, &r),
          "TileJSON vector_layers[0].polis:feature_limit never went back to 5000");
    h_resp_free(&r);
    get_tile(14, x14, y14, &t);
    CHECK(!strcmp(names_of(&t), all) && !t.truncated, "the default limit: expected all ten "
          "squares and no Polis-Tile-Truncated, found %s (%s)", names_of(&t),
          t.truncated ?: "no header");
    tile_free(&t);
}

/* The catalogue shows the settings and the owning department. */
static void shown(const struct ha_user *admin)
{
    char *dep = h_pg_value(db, "SELECT min(id) FROM departments", 0, NULL);
    char body[128];
    snprintf(body, sizeof body, "{\"department_id\":%s,\"tiles\":{\"simplify_px\":0.5}}",
             dep ?: "null");
    patch_ok(admin, body);
    char *entry = catalogue_entry();
    json_t *e = entry ? json_loads(entry, 0, NULL) : NULL;
    json_t *tiles = json_object_get(e, "tiles");
    CHECK(json_integer_value(json_object_get(tiles, "minzoom")) == 14 &&
              json_integer_value(json_object_get(tiles, "maxzoom")) == 18 &&
              json_number_value(json_object_get(tiles, "simplify_px")) == 0.5 &&
              json_number_value(json_object_get(tiles, "min_size_px")) == 0 &&
              json_is_null(json_object_get(tiles, "feature_limit")) &&
              json_array_size(json_object_get(tiles, "attributes")) == 1,
          "the catalogue's tiles: %s", entry ?: "(none)");
    CHECK(dep && json_integer_value(json_object_get(e, "department_id")) == atol(dep),
          "the catalogue's department_id %s: %s", dep ?: "(none)", entry ?: "(none)");
    json_decref(e);
    free(entry);
    free(dep);
    patch_ok(admin, "{\"department_id\":null,\"tiles\":{\"attributes\":null}}");
    entry = catalogue_entry();
    e = entry ? json_loads(entry, 0, NULL) : NULL;
    CHECK(json_is_null(json_object_get(e, "department_id")) &&
              json_is_null(json_object_get(json_object_get(e, "tiles"), "attributes")),
          "department_id and attributes cleared with null: %s", entry ?: "(none)");
    json_decref(e);
    free(entry);
}

int main(void)
{
    h_init("test_layer_tiles_settings", 240);
    h_require_tool("ogr2ogr");
    const char *url = h_shared_dburl();
    h_use_database(url);
    db = h_pg_connect(url);
    snprintf(layer, sizeof layer, "lts%ld_squares", (long)getpid());
    snprintf(path, sizeof path, "/api/v1/layers/%s", layer);
    snprintf(dir, sizeof dir, "%s", h_temp_dir("layer_tiles_settings"));
    import_layer(41.0900, 23.5600);

    static const struct ha_member members[] = {
        {"tiles-admin", "admin", NULL}, {"tiles-staff", "staff", "cleaning"}};
    struct ha_user users[2];
    if (ha_world_start(&s, db, NULL, members, 2, users) == 0) {
        struct h_resp r;
        CHECK(wait_tilejson("minzoom", 0, &r), "the imported layer's TileJSON never came");
        h_resp_free(&r);
        bad_members(&users[0], &users[1]);
        minzoom(&users[0]);
        whitelist(&users[0]);
        min_size(&users[0]);
        feature_limit(&users[0]);
        shown(&users[0]);
    }
    ha_drop_layer(url, layer);
    PQfinish(db);
    return h_finish();
}
