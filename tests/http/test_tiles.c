/* Vector tiles as a map client sees them: the tile over Serres decodes with
 * GDAL's MVT driver into a "boundaries" layer with «Δήμος Σερρών» and only
 * the whitelisted attributes; gzip and identity carry the same tile; ETag
 * revalidation answers 304; empty sea and zooms beyond the layer's are 204;
 * bad paths are 400/404 naming
 * the part; TileJSON and the catalogue describe the layer. And the cache
 * never serves a stale tile: a committed change to a boundary shows up on
 * two polis processes sharing the database (LISTEN/NOTIFY; cached tiles
 * never expire, so a tile that changes proves the invalidation).
 *
 * The test renames Serres and cuts the servers' LISTEN connections, so it
 * works on a database of its own (h_private_db): no other test sees either. */
#include "harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Serres city centre (lon 23.5496, lat 41.0910): z10 578/383, z12 2315/1534
 * (tests/unit/test_tile_math.c checks these against the tile arithmetic). */
#define SERRES_Z10 "/tiles/boundaries/10/578/383.mvt"
#define SERRES_Z12 "/tiles/boundaries/12/2315/1534.mvt"
/* The Ionian Sea, 170 km west of Kefalonia (lon 18.5, lat 37.5). */
#define SEA_Z10 "/tiles/boundaries/10/564/396.mvt"
#define SERRES_CODE "9054"
#define RENAMED "Serres (tile invalidation test)"

/* ---- requests with headers (h_send) ---- */

/* GET with optional extra header lines; decode 1 lets curl undo gzip the
 * way a browser would, decode 0 keeps the bytes as sent. */
static void tget(const struct h_server *s, const char *path, const char *h1, const char *h2,
                 int decode, struct h_resp *r)
{
    const char *headers[3] = {NULL};
    int n = 0;
    if (h1)
        headers[n++] = h1;
    if (h2)
        headers[n++] = h2;
    const struct h_req q = {.path = path, .headers = headers, .inflate = decode};
    h_send(s, &q, r);
}

/* The value of response header name (lower case), copied into out. */
static const char *header(const struct h_resp *r, const char *name, char *out, size_t outlen)
{
    out[0] = '\0';
    size_t n = strlen(name);
    for (const char *line = r->headers; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            size_t len = strcspn(v, "\r\n");
            snprintf(out, outlen, "%.*s", (int)len, v);
            return out;
        }
    }
    return NULL;
}

/* 1 when the bytes contain needle (tiles are binary: no strstr). */
static int contains(const char *p, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (memcmp(p + i, needle, n) == 0)
            return 1;
    return 0;
}

/* ---- the test's own database ---- */

static const char *db_url; /* h_private_db's copy of the fixture */

static void set_name(const char *name)
{
    PGconn *db = h_pg_connect(db_url);
    const char *p[] = {name, SERRES_CODE};
    /* one transaction, committed: NOTIFY is delivered at commit */
    free(h_pg_value(db, "BEGIN", 0, NULL));
    free(h_pg_value(db, "UPDATE boundaries SET name_en = $1 WHERE level = 'municipality' AND code = $2",
                    2, p));
    free(h_pg_value(db, "COMMIT", 0, NULL));
    PQfinish(db);
}

/* ---- GDAL's MVT driver as the client ---- */

/* Runs ogrinfo on the tile bytes; returns its output (malloc'd). */
static char *ogrinfo(const char *tile, size_t len, int z, long x, long y)
{
    char dir[] = "/tmp/polis-tile-XXXXXX";
    if (!mkdtemp(dir))
        h_fatal("mkdtemp: %s", strerror(errno));
    char path[256], *out;
    snprintf(path, sizeof path, "%s/%ld.mvt", dir, y);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(tile, 1, len, f) != len)
        h_fatal("cannot write %s", path);
    fclose(f);
    h_run(&out, "ogrinfo -ro -al -oo Z=%d -oo X=%ld -oo Y=%ld %s 2>&1", z, x, y, path);
    unlink(path);
    rmdir(dir);
    return out;
}

/* Every field GDAL reports ("name: Type (w.p)") is whitelisted, and each
 * whitelisted attribute is there. mvt_id is GDAL's own field for the MVT
 * feature id. */
static void check_fields(const char *what, const char *info)
{
    static const char *allowed[] = {"mvt_id", "id", "code", "name_el", "name_en", "level"};
    int seen[6] = {0};
    for (const char *line = info; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        char one[256], name[64], type[32];
        snprintf(one, sizeof one, "%.*s", (int)strcspn(line, "\n"), line);
        if (sscanf(one, "%63[A-Za-z0-9_]: %31[A-Za-z0-9] (", name, type) != 2 ||
            !strstr(one, " (") || strchr(one, '='))
            continue;
        if (strcmp(type, "Integer") && strcmp(type, "Integer64") && strcmp(type, "String") &&
            strcmp(type, "Real"))
            continue;
        int ok = 0;
        for (int i = 0; i < 6; i++)
            if (!strcmp(name, allowed[i]))
                ok = 1, seen[i] = 1;
        CHECK(ok, "%s: attribute \"%s\" is not in the layer's whitelist", what, name);
    }
    for (int i = 1; i < 6; i++)
        CHECK(seen[i], "%s: expected attribute \"%s\" in the tile", what, allowed[i]);
}

static void check_serres_tile(const struct h_server *s, const char *path, int z, long x, long y)
{
    char what[256], v[256];
    struct h_resp id, gz, dec;
    tget(s, path, NULL, NULL, 0, &id);
    snprintf(what, sizeof what, "GET %s (identity)", path);
    CHECK_INT(what, id.status, 200);
    CHECK_STR(what, header(&id, "content-type", v, sizeof v), "application/vnd.mapbox-vector-tile");
    CHECK(!header(&id, "content-encoding", v, sizeof v),
          "%s: expected no Content-Encoding without Accept-Encoding, found \"%s\"", what, v);
    CHECK_STR(what, header(&id, "cache-control", v, sizeof v), "public, max-age=300");
    CHECK(header(&id, "etag", v, sizeof v) && v[0] == '"', "%s: expected an ETag, found \"%s\"",
          what, v);
    CHECK(contains(id.body, id.len, "Δήμος Σερρών"), "%s: expected «Δήμος Σερρών» in the tile",
          what);

    tget(s, path, "Accept-Encoding: gzip", NULL, 0, &gz);
    snprintf(what, sizeof what, "GET %s (Accept-Encoding: gzip)", path);
    CHECK_INT(what, gz.status, 200);
    /* gzip whenever it makes the tile smaller; a tile of a few dozen bytes
     * goes as it is */
    if (id.len > 1000) {
        CHECK_STR(what, header(&gz, "content-encoding", v, sizeof v), "gzip");
        CHECK(gz.len > 2 && (unsigned char)gz.body[0] == 0x1f && (unsigned char)gz.body[1] == 0x8b && gz.len < id.len,
              "%s: expected a gzip stream smaller than the %zu-byte tile, found %zu bytes", what,
              id.len, gz.len);
    } else if (!header(&gz, "content-encoding", v, sizeof v)) {
        CHECK(gz.len == id.len && memcmp(gz.body, id.body, id.len) == 0,
              "%s: expected the identity tile when not gzipped", what);
    }
    tget(s, path, NULL, NULL, 1, &dec);
    CHECK(dec.len == id.len && memcmp(dec.body, id.body, id.len) == 0,
          "%s: expected gzip to decode to the identity tile (%zu bytes), found %zu bytes", what,
          id.len, dec.len);
    printf("%s: %zu bytes, %zu gzip\n", path, id.len, gz.len);

    char *info = ogrinfo(id.body, id.len, z, x, y);
    snprintf(what, sizeof what, "ogrinfo (GDAL MVT driver) on %s", path);
    CHECK_HAS(what, info, "using driver `MVT' successful");
    CHECK_HAS(what, info, "Layer name: boundaries");
    CHECK_HAS(what, info, "name_el (String) = Δήμος Σερρών");
    CHECK_HAS(what, info, "name_en (String) = Serres");
    CHECK_HAS(what, info, "level (String) = municipality");
    check_fields(what, info);
    free(info);
    h_resp_free(&id);
    h_resp_free(&gz);
    h_resp_free(&dec);
}

static void check_revalidation(const struct h_server *s)
{
    char etag[128], inm[200], v[128];
    struct h_resp r, r2;
    tget(s, SERRES_Z10, "Accept-Encoding: gzip", NULL, 0, &r);
    header(&r, "etag", etag, sizeof etag);
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    tget(s, SERRES_Z10, "Accept-Encoding: gzip", inm, 0, &r2);
    CHECK_INT("GET with the tile's ETag in If-None-Match", r2.status, 304);
    CHECK(r2.len == 0, "304: expected no body, found %zu bytes", r2.len);
    CHECK_STR("304: ETag", header(&r2, "etag", v, sizeof v), etag);
    h_resp_free(&r2);
    /* the identity ETag validates the same tile (weak comparison) */
    tget(s, SERRES_Z10, NULL, NULL, 0, &r2);
    header(&r2, "etag", etag, sizeof etag);
    h_resp_free(&r2);
    snprintf(inm, sizeof inm, "If-None-Match: \"0000000000000000\", W/%s", etag);
    tget(s, SERRES_Z10, "Accept-Encoding: gzip", inm, 0, &r2);
    CHECK_INT("GET with a list holding the identity ETag (weak)", r2.status, 304);
    h_resp_free(&r2);
    tget(s, SERRES_Z10, NULL, "If-None-Match: \"0123456789abcdef\"", 0, &r2);
    CHECK_INT("GET with another ETag in If-None-Match", r2.status, 200);
    h_resp_free(&r2);
    h_resp_free(&r);
}

static void check_errors(const struct h_server *s)
{
    static const struct {
        const char *path, *part;
        long status;
    } cases[] = {
        {"/tiles/boundaries/23/0/0.mvt", "z", 400},
        {"/tiles/boundaries/x/0/0.mvt", "z", 400},
        {"/tiles/boundaries/-1/0/0.mvt", "z", 400},
        {"/tiles/boundaries/10/1024/0.mvt", "x", 400},
        {"/tiles/boundaries/10/-3/0.mvt", "x", 400},
        {"/tiles/boundaries/10/abc/0.mvt", "x", 400},
        {"/tiles/boundaries/10/0/1024.mvt", "y", 400},
        {"/tiles/boundaries/10/0/1e3.mvt", "y", 400},
        {"/tiles/boundaries/10/578/383.png", "extension", 400},
        {"/tiles/boundaries/10/578/383", "extension", 400},
        {"/tiles/boundaries,boundaries/10/578/383.mvt", "layer", 400},
        {"/tiles/boundaries,/10/578/383.mvt", "layer", 400},
        {"/tiles/boundaries/10/578/383.mvt?v=2", "v", 400},
        {"/tiles/nosuchlayer/10/578/383.mvt", NULL, 404},
        {"/tiles/boundaries,nosuchlayer/10/578/383.mvt", NULL, 404},
        {"/tiles/nosuchlayer.json", NULL, 404},
        {"/tiles/boundaries", NULL, 404},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct h_resp r;
        char what[300];
        snprintf(what, sizeof what, "GET %s", cases[i].path);
        h_get(s, cases[i].path, &r);
        CHECK_PROBLEM(what, &r, cases[i].status, cases[i].part);
        h_resp_free(&r);
    }
}

static void check_tilejson(const struct h_server *s)
{
    struct h_resp r;
    h_get(s, "/tiles/boundaries.json", &r);
    CHECK_INT("GET /tiles/boundaries.json", r.status, 200);
    json_t *j = r.json;
    CHECK_STR("TileJSON tilejson", json_string_value(json_object_get(j, "tilejson")), "3.0.0");
    char url[256];
    snprintf(url, sizeof url, "%s/tiles/boundaries/{z}/{x}/{y}.mvt", s->base);
    CHECK_STR("TileJSON tiles[0] (absolute URL template)",
              json_string_value(json_array_get(json_object_get(j, "tiles"), 0)), url);
    CHECK_INT("TileJSON minzoom", json_integer_value(json_object_get(j, "minzoom")), 0);
    CHECK_INT("TileJSON maxzoom", json_integer_value(json_object_get(j, "maxzoom")), 16);
    json_t *b = json_object_get(j, "bounds");
    double w = json_number_value(json_array_get(b, 0)), so = json_number_value(json_array_get(b, 1));
    double e = json_number_value(json_array_get(b, 2)), n = json_number_value(json_array_get(b, 3));
    CHECK(json_array_size(b) == 4 && w > 19 && w < 20 && so > 34 && so < 35.5 && e > 29 &&
              e < 30 && n > 41.5 && n < 42,
          "TileJSON bounds: expected Greece [~19.4, ~34.8, ~29.6, ~41.7], found %.300s", r.body);
    json_t *c = json_object_get(j, "center");
    CHECK(json_array_size(c) == 3, "TileJSON center: expected [lon, lat, zoom]");
    json_t *vl = json_array_get(json_object_get(j, "vector_layers"), 0);
    CHECK_STR("TileJSON vector_layers[0].id", json_string_value(json_object_get(vl, "id")),
              "boundaries");
    json_t *fields = json_object_get(vl, "fields");
    CHECK_INT("TileJSON vector_layers[0].fields: count", json_object_size(fields), 5);
    static const char *names[] = {"id", "code", "name_el", "name_en", "level"};
    for (int i = 0; i < 5; i++)
        CHECK(json_is_string(json_object_get(fields, names[i])),
              "TileJSON vector_layers[0].fields: expected \"%s\"", names[i]);
    CHECK(json_is_integer(json_object_get(vl, "minzoom")) &&
              json_is_integer(json_object_get(vl, "maxzoom")),
          "TileJSON vector_layers[0]: expected minzoom and maxzoom");
    h_resp_free(&r);

    h_get(s, "/tiles", &r);
    CHECK_INT("GET /tiles", r.status, 200);
    json_t *l0 = json_array_get(json_object_get(r.json, "layers"), 0);
    CHECK_STR("GET /tiles: layers[0].id", json_string_value(json_object_get(l0, "id")),
              "boundaries");
    snprintf(url, sizeof url, "%s/tiles/boundaries.json", s->base);
    CHECK_STR("GET /tiles: layers[0].tilejson", json_string_value(json_object_get(l0, "tilejson")),
              url);
    h_resp_free(&r);
}

/* Fetches until the tile comes from the cache (the LISTEN connection is up
 * once it does); returns 1 when it did, 0 when it never did
 * (H_EVENT_DEADLINE_MS). */
static int wait_cached(const struct h_server *s, const char *path)
{
    char v[32];
    for (long long deadline = h_now_ms() + H_EVENT_DEADLINE_MS; h_now_ms() < deadline;
         h_sleep_ms(50)) {
        struct h_resp r;
        tget(s, path, "Accept-Encoding: gzip", NULL, 0, &r);
        int hit = r.status == 200 && header(&r, "x-cache", v, sizeof v) && !strcmp(v, "hit");
        h_resp_free(&r);
        if (hit)
            return 1;
    }
    return 0;
}

/* Polls until the tile holds text (or, with present 0, no longer holds it);
 * returns the ms taken (for the log), or -1 when it never did
 * (H_EVENT_DEADLINE_MS). The cache has no expiry: only the server's
 * invalidation can bring the change in. */
static long long wait_for_text(const struct h_server *s, const char *path, const char *text,
                               int present)
{
    long long t0 = h_now_ms();
    for (;;) {
        struct h_resp r;
        tget(s, path, NULL, NULL, 1, &r);
        int has = r.status == 200 && contains(r.body, r.len, text) == present;
        h_resp_free(&r);
        if (has)
            return h_now_ms() - t0;
        if (h_now_ms() - t0 > H_EVENT_DEADLINE_MS)
            return -1;
        h_sleep_ms(20);
    }
}

static void check_invalidation(const struct h_server *s1, const struct h_server *s2)
{
    const struct h_server *servers[] = {s1, s2};
    for (int i = 0; i < 2; i++) {
        CHECK(wait_cached(servers[i], SERRES_Z12),
              "server %d: expected GET %s to be served from the cache (x-cache: hit); it never was",
              i + 1, SERRES_Z12);
        CHECK(wait_cached(servers[i], SERRES_Z10),
              "server %d: expected GET %s to be served from the cache (x-cache: hit); it never was",
              i + 1, SERRES_Z10);
    }
    PGconn *db = h_pg_connect(db_url);
    const char *code[] = {SERRES_CODE};
    char *original_name_en = h_pg_value(
        db, "SELECT name_en FROM boundaries WHERE level = 'municipality' AND code = $1", 1, code);
    PQfinish(db);
    if (!original_name_en)
        h_fatal("no municipality with code %s in the test's database", SERRES_CODE);

    set_name(RENAMED);
    for (int i = 0; i < 2; i++) {
        long long ms = wait_for_text(servers[i], SERRES_Z12, RENAMED, 1);
        CHECK(ms >= 0, "server %d: after renaming Serres to \"%s\", expected GET %s to show the "
              "new name; it kept serving the cached tile", i + 1, RENAMED, SERRES_Z12);
        printf("server %d: new name served after %lld ms\n", i + 1, ms);
        CHECK(wait_for_text(servers[i], SERRES_Z10, RENAMED, 1) >= 0,
              "server %d: expected GET %s to show the new name; it never did", i + 1, SERRES_Z10);
    }
    /* A change made while the LISTEN connections are gone is never announced
     * to them: they find it in layer_versions when they reconnect. */
    for (int i = 0; i < 2; i++)
        CHECK(wait_cached(servers[i], SERRES_Z12),
              "server %d: expected GET %s from the cache again; it never was", i + 1, SERRES_Z12);
    PGconn *pg = h_pg_connect(db_url);
    const char *missed[] = {RENAMED " again", SERRES_CODE};
    /* the (slow: boundary parts) UPDATE first, the listeners gone (waited
     * for), then the commit: the servers' outage starts just before the
     * commit, however long the UPDATE took, and lasts their 500 ms retry */
    free(h_pg_value(pg, "BEGIN", 0, NULL));
    free(h_pg_value(pg, "UPDATE boundaries SET name_en = $1 WHERE level = 'municipality'"
                        " AND code = $2", 2, missed));
    free(h_pg_value(pg, "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity"
                        " WHERE application_name = 'polis-tiles-listen'"
                        " AND datname = current_database()", 0, NULL));
    free(h_pg_value(pg, "COMMIT", 0, NULL));
    PQfinish(pg);
    for (int i = 0; i < 2; i++) {
        char v[32] = "";
        for (long long deadline = h_now_ms() + 5000; h_now_ms() < deadline && strcmp(v, "off");
             h_sleep_ms(10)) {
            struct h_resp r;
            tget(servers[i], SERRES_Z12, NULL, NULL, 0, &r);
            if (!header(&r, "x-cache", v, sizeof v))
                v[0] = '\0';
            h_resp_free(&r);
        }
        CHECK(!strcmp(v, "off"), "server %d: expected x-cache: off while its LISTEN connection "
              "is down (the cache is not trusted then), found \"%s\"", i + 1, v);
    }
    for (int i = 0; i < 2; i++) {
        /* once the cache is in use again, what it serves must be the new name:
         * the tile cached before the change must not come back */
        CHECK(wait_cached(servers[i], SERRES_Z12),
              "server %d: expected the cache in use again after losing LISTEN; it never was",
              i + 1);
        struct h_resp r;
        char v[32];
        tget(servers[i], SERRES_Z12, NULL, NULL, 1, &r);
        CHECK(r.status == 200 && contains(r.body, r.len, RENAMED " again"),
              "server %d: a rename made while its LISTEN connection was down: expected the new "
              "name from the cache after reconnecting (x-cache: %s), found the old tile", i + 1,
              header(&r, "x-cache", v, sizeof v) ? v : "?");
        h_resp_free(&r);
    }

    set_name(original_name_en);
    free(original_name_en);
    for (int i = 0; i < 2; i++)
        CHECK(wait_for_text(servers[i], SERRES_Z12, RENAMED, 0) >= 0,
              "server %d: expected the restored name; it never came", i + 1);
    for (int i = 0; i < 2; i++) {
        struct h_resp r;
        tget(servers[i], SERRES_Z12, NULL, NULL, 1, &r);
        CHECK(r.status == 200 && !contains(r.body, r.len, RENAMED),
              "server %d: expected the test's name gone from the tile after restoring it", i + 1);
        h_resp_free(&r);
    }
}

#define TILES_METRICS_TOKEN "tiles-test-scraper-token"

/* A number of s's /metrics (read as the scraper); -1 when missing. */
static double metric(const struct h_server *s, const char *name)
{
    static const char *const scraper[] = {"Authorization: Bearer " TILES_METRICS_TOKEN, NULL};
    struct h_resp r;
    h_request(s, "GET", "/metrics", scraper, NULL, &r);
    double v = -1;
    char prefix[128];
    snprintf(prefix, sizeof prefix, "\n%s ", name);
    const char *at = r.status == 200 && r.body ? strstr(r.body, prefix) : NULL;
    if (at)
        v = atof(at + strlen(prefix));
    h_resp_free(&r);
    return v;
}

/* A cached tile asked by clients without gzip (QGIS, GDAL, curl) is
 * inflated once: the cache then keeps its bytes beside the gzip ones, and
 * every later such hit answers them as they are. path was built by an
 * identity request (answered from the build, so no copy yet) and since
 * asked only with gzip. */
static void check_identity_kept(const struct h_server *s, const char *path)
{
    struct h_resp first, again;
    double copies = metric(s, "polis_tile_plain_copies_total");
    double bytes = metric(s, "polis_tile_cache_bytes");
    CHECK(copies >= 0 && bytes > 0, "/metrics: expected polis_tile_plain_copies_total and "
          "polis_tile_cache_bytes, found %g and %g", copies, bytes);
    tget(s, path, NULL, NULL, 0, &first);
    CHECK_INT("an identity hit", first.status, 200);
    for (int i = 0; i < 3; i++) {
        tget(s, path, NULL, NULL, 0, &again);
        CHECK(again.status == 200 && again.len == first.len &&
              !memcmp(again.body, first.body, first.len),
              "identity hit %d: expected the same %zu bytes, found %ld with %zu bytes", i + 2,
              first.len, again.status, again.len);
        h_resp_free(&again);
    }
    double after = metric(s, "polis_tile_plain_copies_total");
    CHECK(after == copies + 1, "four identity hits of %s: expected one uncompressed copy kept "
          "(polis_tile_plain_copies_total %g -> %g), found %g", path, copies, copies + 1, after);
    double grown = metric(s, "polis_tile_cache_bytes") - bytes;
    CHECK(grown >= (double)first.len, "the cache should account for the %zu uncompressed bytes it "
          "keeps: it grew by %g", first.len, grown);
    /* gzip clients still get the gzip bytes */
    tget(s, path, "Accept-Encoding: gzip", NULL, 0, &again);
    char v[64];
    CHECK_STR("a gzip hit after the copy", header(&again, "content-encoding", v, sizeof v), "gzip");
    h_resp_free(&again);
    h_resp_free(&first);
}

int main(void)
{
    h_init("test_tiles", 240);
    h_require_tool("ogrinfo");
    db_url = h_private_db("tiles");
    struct h_server s1, s2;
    static const char *const scraper_env[] = {"POLIS_METRICS_TOKEN=" TILES_METRICS_TOKEN, NULL};
    if (h_server_start(&s1, db_url, scraper_env) != 0 ||
        h_server_start(&s2, db_url, NULL) != 0)
        return h_finish();

    check_serres_tile(&s1, SERRES_Z10, 10, 578, 383);
    check_serres_tile(&s1, SERRES_Z12, 12, 2315, 1534);
    check_identity_kept(&s1, SERRES_Z10);

    struct h_resp r;
    tget(&s1, SEA_Z10, "Accept-Encoding: gzip", NULL, 0, &r);
    CHECK_INT("GET " SEA_Z10 " (open sea: an empty tile)", r.status, 204);
    CHECK(r.len == 0, "204: expected no body, found %zu bytes", r.len);
    h_resp_free(&r);
    tget(&s1, "/tiles/boundaries/10/0/0.mvt", NULL, NULL, 0, &r);
    CHECK_INT("GET /tiles/boundaries/10/0/0.mvt (far from Greece)", r.status, 204);
    h_resp_free(&r);
    /* beyond the layer's maxzoom (16): empty, not an error (a client may ask) */
    tget(&s1, "/tiles/boundaries/17/74090/49100.mvt", NULL, NULL, 0, &r);
    CHECK_INT("GET /tiles/boundaries/17/74090/49100.mvt (beyond maxzoom 16, over Serres)",
              r.status, 204);
    h_resp_free(&r);

    check_revalidation(&s1);
    check_errors(&s1);
    check_tilejson(&s1);
    check_invalidation(&s1, &s2);
    return h_finish();
}
