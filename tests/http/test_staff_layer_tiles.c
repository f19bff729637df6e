/* Staff-only layers as tiles (issue 21): a layer imported with visibility
 * staff has tiles and TileJSON for staff and admins (signed in, or an API
 * key with the staff scope), sent with Cache-Control: private and Vary on
 * Cookie and Authorization so that no shared cache keeps them; ETag and
 * If-None-Match keep working. Anonymous callers, citizens and a key
 * without the staff scope get 404 with the same body and headers as for a
 * layer that does not exist, also inside a composite, and the public
 * catalogue /tiles does not name it. A public layer's tile keeps its public
 * Cache-Control. Flipping the layer to public (PATCH) serves it to everyone
 * publicly; flipping it back hides it again. The layer is dropped at exit. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the first parking spot of thessaloniki_amea_parking_spots.geojson */
#define PARK_TILE "16/36942/24657"

static struct h_server s;
static char layer[64], unknown[64];
static struct ha_user admin, staff, citizen;
static char staff_key[128], read_key[128];

static void drop_layer(void)
{
    if (!layer[0])
        return;
    char sql[256];
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS layers.%s; DELETE FROM layer_catalogue"
             " WHERE name = '%s'", layer, layer);
    h_owner_exec(h_shared_dburl(), sql);
}

/* Who asks: NULL anonymous, else a signed-in user or an API key. */
struct caller {
    const char *name;
    const struct ha_user *u;
    const char *key;
};

/* GET path as c, with If-None-Match etag when not NULL. */
static void get_as(const struct caller *c, const char *path, const char *etag, struct h_resp *r)
{
    char cookie[256], auth[200], inm[120];
    const char *headers[3] = {NULL, NULL, NULL};
    int n = 0;
    if (c->u) {
        snprintf(cookie, sizeof cookie, "Cookie: %s=%s", ha_cookie_name(c->u), c->u->cookie);
        headers[n++] = cookie;
    } else if (c->key) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->key);
        headers[n++] = auth;
    }
    if (etag) {
        snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
        headers[n++] = inm;
    }
    h_request(&s, "GET", path, headers, NULL, r);
}

static long status_as(const struct caller *c, const char *path)
{
    struct h_resp r;
    get_as(c, path, NULL, &r);
    long st = r.status;
    h_resp_free(&r);
    return st;
}

/* Polls GET path as c until it answers want (the server learns of
 * catalogue changes from a NOTIFY): 1, or 0 when it never did. */
static int eventually(const struct caller *c, const char *path, long want)
{
    for (long long end = h_now_ms() + H_EVENT_DEADLINE_MS;; h_sleep_ms(50)) {
        if (status_as(c, path) == want)
            return 1;
        if (h_now_ms() > end)
            return 0;
    }
}

/* r's body with every occurrence of name replaced by "NAME" (malloc'd). */
static char *masked(const struct h_resp *r, const char *name)
{
    const char *body = r->body ? r->body : "";
    size_t n = strlen(name);
    char *out = malloc(strlen(body) + 1), *o = out;
    for (const char *p = body; *p;) {
        if (!strncmp(p, name, n)) {
            memcpy(o, "NAME", 4);
            o += 4;
            p += n;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

static void check_header_has(const char *what, const struct h_resp *r, const char *name,
                             const char *needle)
{
    char *v = h_resp_header(r, name);
    char label[400];
    snprintf(label, sizeof label, "%s: header %s", what, name);
    CHECK_HAS(label, v ? v : "(none)", needle);
    free(v);
}

/* As c the layer is hidden: every path of it answers exactly what the same
 * path answers for a layer that does not exist. */
static void check_hidden(const struct caller *c)
{
    static const char *const fmt[] = {"/tiles/%s/" PARK_TILE ".mvt", "/tiles/%s.json",
                                      "/tiles/reports,%s/" PARK_TILE ".mvt",
                                      "/tiles/%s,boundaries.json"};
    for (size_t i = 0; i < sizeof fmt / sizeof *fmt; i++) {
        char path[256], other[256], what[400];
        snprintf(path, sizeof path, fmt[i], layer);
        snprintf(other, sizeof other, fmt[i], unknown);
        snprintf(what, sizeof what, "GET %s as %s (a staff-only layer)", path, c->name);
        struct h_resp r, u;
        get_as(c, path, NULL, &r);
        get_as(c, other, NULL, &u);
        CHECK_PROBLEM(what, &r, 404, NULL);
        char *a = masked(&r, layer), *b = masked(&u, unknown);
        CHECK(u.status == 404 && !strcmp(a, b),
              "%s: expected the answer for an unknown layer (%ld %s), found %ld %s", what,
              u.status, b, r.status, a);
        free(a);
        free(b);
        char *va = h_resp_header(&r, "vary"), *vb = h_resp_header(&u, "vary");
        CHECK(va && vb && !strcmp(va, vb), "%s: Vary %s, for an unknown layer %s", what,
              va ? va : "(none)", vb ? vb : "(none)");
        free(va);
        free(vb);
        h_resp_free(&r);
        h_resp_free(&u);
    }
    /* twice in a composite: a known layer would be 400 (a duplicate) */
    char twice[256], twice_unknown[256], what[400];
    snprintf(twice, sizeof twice, "/tiles/%s,%s.json", layer, layer);
    snprintf(twice_unknown, sizeof twice_unknown, "/tiles/%s,%s.json", unknown, unknown);
    snprintf(what, sizeof what, "GET %s as %s", twice, c->name);
    CHECK_INT(what, status_as(c, twice), status_as(c, twice_unknown));
    struct h_resp r;
    get_as(c, "/tiles", NULL, &r);
    CHECK(r.status == 200 && r.body && !strstr(r.body, layer),
          "GET /tiles as %s: 200 without the staff-only layer %s, found %ld", c->name, layer,
          r.status);
    h_resp_free(&r);
}

/* As c the layer's tile, composite and TileJSON are 200 with Cache-Control
 * of that kind ("private" or "public"); a private answer varies on Cookie
 * and Authorization. The tile's ETag gives 304. */
static void check_served(const struct caller *c, const char *kind)
{
    char path[256], what[400];
    static const char *const fmt[] = {"/tiles/%s/" PARK_TILE ".mvt", "/tiles/%s.json",
                                      "/tiles/reports,%s/" PARK_TILE ".mvt"};
    for (size_t i = 0; i < sizeof fmt / sizeof *fmt; i++) {
        snprintf(path, sizeof path, fmt[i], layer);
        snprintf(what, sizeof what, "GET %s as %s", path, c->name);
        struct h_resp r;
        get_as(c, path, NULL, &r);
        CHECK_INT(what, r.status, 200);
        char *cc = h_resp_header(&r, "cache-control");
        CHECK(cc && !strncmp(cc, kind, strlen(kind)), "%s: expected Cache-Control %s, found %s",
              what, kind, cc ? cc : "(none)");
        free(cc);
        if (!strcmp(kind, "private")) {
            check_header_has(what, &r, "vary", "cookie");
            check_header_has(what, &r, "vary", "authorization");
        }
        if (i == 0) {
            CHECK(r.len > 0, "%s: expected the parking spot's bytes, found an empty tile", what);
            char *etag = h_resp_header(&r, "etag");
            struct h_resp again;
            get_as(c, path, etag ? etag : "\"none\"", &again);
            snprintf(what, sizeof what, "GET %s as %s with If-None-Match its ETag", path,
                     c->name);
            CHECK_INT(what, again.status, 304);
            h_resp_free(&again);
            free(etag);
        }
        if (i == 1) {
            json_t *vl = json_array_get(json_object_get(r.json, "vector_layers"), 0);
            CHECK_STR("its TileJSON's vector layer", json_string_value(json_object_get(vl, "id")),
                      layer);
        }
        h_resp_free(&r);
    }
}

/* The layer list and the layer's download agree with its tiles: c sees the
 * layer in GET /api/v1/layers and may download it exactly when want is 1. */
static void check_list_and_download(const struct caller *c, int want)
{
    struct h_resp r;
    char label[300], path[200], quoted[100];
    get_as(c, "/api/v1/layers", NULL, &r);
    snprintf(label, sizeof label, "%s: GET /api/v1/layers", c->name);
    CHECK_INT(label, r.status, 200);
    snprintf(quoted, sizeof quoted, "\"%s\"", layer);
    CHECK(!!strstr(r.body ? r.body : "", quoted) == want, "%s: the staff-only layer %s listed",
          label, want ? "is not" : "is");
    h_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/layers/%s/download?format=geojson", layer);
    snprintf(label, sizeof label, "%s: GET %s", c->name, path);
    CHECK_INT(label, status_as(c, path), want ? 200 : 404);
}

int main(void)
{
    h_init("test_staff_layer_tiles", 240);
    const char *url = h_shared_dburl();
    h_use_database(url);
    PGconn *db = h_pg_connect(url);
    snprintf(layer, sizeof layer, "sl%ld_park", (long)getpid());
    snprintf(unknown, sizeof unknown, "sl%ld_none", (long)getpid());
    atexit(drop_layer);
    char *out;
    if (h_run(&out, "'%s' import '%s/thessaloniki_amea_parking_spots.geojson' --as %s --staff"
              " 2>&1", h_env("POLIS_BIN"), h_env("POLIS_DATA"), layer))
        h_fatal("the layer could not be imported: %s", out);
    free(out);

    static const struct ha_member members[] = {{"sl-admin", "admin", NULL},
                                               {"sl-staff", "staff", "cleaning"},
                                               {"sl-citizen", NULL, NULL}};
    struct ha_user users[3];
    if (ha_world_start(&s, db, NULL, members, 3, users) != 0) {
        PQfinish(db);
        return h_finish();
    }
    admin = users[0];
    staff = users[1];
    citizen = users[2];
    CHECK_INT("a staff key", ha_make_key(&s, &staff, "map", "[\"read\",\"staff\"]", staff_key,
                                         sizeof staff_key), 201);
    CHECK_INT("a read-only key of staff", ha_make_key(&s, &staff, "ro", "[\"read\"]", read_key,
                                                      sizeof read_key), 201);
    const struct caller anon = {"anonymous", NULL, NULL}, cit = {"a citizen", &citizen, NULL},
                        stf = {"staff", &staff, NULL}, adm = {"an admin", &admin, NULL},
                        key = {"a staff API key", NULL, staff_key},
                        ro = {"staff's key without the staff scope", NULL, read_key};
    char tile[200], patch[200];
    snprintf(tile, sizeof tile, "/tiles/%s/" PARK_TILE ".mvt", layer);
    snprintf(patch, sizeof patch, "/api/v1/layers/%s", layer);

    CHECK(eventually(&stf, tile, 200), "staff: GET %s never answered 200", tile);
    check_served(&stf, "private");
    check_served(&adm, "private");
    check_served(&key, "private");
    check_hidden(&anon);
    check_hidden(&cit);
    check_hidden(&ro);
    check_list_and_download(&stf, 1);
    check_list_and_download(&key, 1);
    check_list_and_download(&cit, 0);
    check_list_and_download(&ro, 0);

    /* a public layer's tile stays public, also for staff */
    struct h_resp r;
    get_as(&stf, "/tiles/boundaries/7/72/48.mvt", NULL, &r);
    CHECK_INT("a public layer's tile as staff", r.status, 200);
    check_header_has("a public layer's tile as staff", &r, "cache-control", "public");
    h_resp_free(&r);
    get_as(&anon, "/tiles/boundaries/7/72/48.mvt", NULL, &r);
    check_header_has("a public layer's tile, anonymous", &r, "cache-control", "public");
    h_resp_free(&r);

    /* public, then staff-only again */
    CHECK_INT("PATCH visibility public",
              ha_status(&s, &admin, "PATCH", patch, "{\"visibility\":\"public\"}"), 200);
    CHECK(eventually(&anon, tile, 200), "a layer made public: GET %s anonymous never 200", tile);
    check_served(&anon, "public");
    check_served(&cit, "public");
    check_served(&stf, "public");
    CHECK_INT("PATCH visibility staff",
              ha_status(&s, &admin, "PATCH", patch, "{\"visibility\":\"staff\"}"), 200);
    CHECK(eventually(&anon, tile, 404), "a layer made staff-only again: GET %s anonymous never "
          "404", tile);
    check_hidden(&anon);
    check_hidden(&cit);
    check_served(&stf, "private");
    PQfinish(db);
    return h_finish();
}
