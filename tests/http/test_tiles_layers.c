/* Tile layers beyond boundaries, as a map client sees them:
 *  - reports: a report filed now shows up in the cached tile over it (the
 *    cache keeps a tile until it is told it changed: waiting for it is no
 *    timing assumption); at zoom 16 GDAL's MVT driver reads single reports
 *    with only the public fields (the same as the report list's:
 *    test_privacy); at zoom 10 they are a cluster whose count covers them;
 *    nothing of a private category (nor any reporter's e-mail or name) is in
 *    any tile's bytes, raw or gzip-decoded.
 *  - imported layers: a public layer becomes /tiles/{name} with its
 *    attributes (tiles, TileJSON, catalogue, composites with reports); a
 *    staff-only one is 404 like an unknown layer, and a public one turned
 *    staff-only turns 404.
 *  - polis tiles seed: --out writes an MBTiles file that ogrinfo reads
 *    (layer and features); --url warms the server's cache.
 * The imported layers are dropped at exit. */
#include "h_accounts.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

/* lon 23.5300, lat 41.0700 (Serres, south-west of the centre) */
#define SPOT_LON "23.5300"
#define SPOT_LAT "41.0700"
#define SPOT_Z16 16, 37051L, 24554L
#define SPOT_Z10 10, 578L, 383L
/* the first parking spot of thessaloniki_amea_parking_spots.geojson */
#define PARK_Z16 16, 36942L, 24657L

static char park[64], staff[64], tmpdir[128];
static struct h_server srv, srv2;
/* the server tget talks to: srv, or the second process sharing the database */
static const struct h_server *target = &srv;

/* GET path from target; gzip 1 asks for gzip and keeps the bytes as sent. */
static void tget(const char *path, int gzip, struct h_resp *r)
{
    const struct h_req q = {.path = path, .accept_gzip = gzip};
    h_send(target, &q, r);
}

static int has_bytes(const char *p, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i + n <= len; i++)
        if (!memcmp(p + i, needle, n))
            return 1;
    return 0;
}

/* The body inflated when it is gzip (malloc'd, length in *out_len). */
static char *inflated(const struct h_resp *r, size_t *out_len)
{
    if (r->len < 2 || (unsigned char)r->body[0] != 0x1f ||
        (unsigned char)r->body[1] != 0x8b) {
        *out_len = r->len;
        char *c = malloc(r->len + 1);
        memcpy(c, r->body, r->len + 1);
        return c;
    }
    size_t cap = 1 << 22;
    char *out = malloc(cap);
    z_stream z = {0};
    inflateInit2(&z, 15 + 16);
    z.next_in = (unsigned char *)r->body;
    z.avail_in = (uInt)r->len;
    z.next_out = (unsigned char *)out;
    z.avail_out = (uInt)cap;
    int rc = inflate(&z, Z_FINISH);
    CHECK(rc == Z_STREAM_END, "a gzip tile inflates (zlib %d)", rc);
    *out_len = z.total_out;
    inflateEnd(&z);
    return out;
}

static const char *secrets[8];
static int nsecrets;

/* A tile's bytes, raw and decoded, hold none of the secrets. */
static void check_no_secrets(const char *what, const struct h_resp *r)
{
    size_t len;
    char *raw = inflated(r, &len);
    for (int i = 0; i < nsecrets; i++) {
        CHECK(!has_bytes(r->body, r->len, secrets[i]),
              "%s: \"%s\" must never be in a tile (raw bytes)", what, secrets[i]);
        CHECK(!has_bytes(raw, len, secrets[i]), "%s: \"%s\" must never be in a tile (decoded)",
              what, secrets[i]);
    }
    free(raw);
}

/* ---- shell and GDAL ---- */

/* ogrinfo on a tile (decoded), malloc'd output. */
static char *ogrinfo_tile(const struct h_resp *r, int z, long x, long y)
{
    size_t len;
    char *raw = inflated(r, &len), path[256], *out;
    snprintf(path, sizeof path, "%s/%ld.mvt", tmpdir, y);
    FILE *f = fopen(path, "wb");
    fwrite(raw, 1, len, f);
    fclose(f);
    free(raw);
    h_run(&out, "ogrinfo -ro -al -oo Z=%d -oo X=%ld -oo Y=%ld '%s' 2>&1", z, x, y, path);
    unlink(path);
    return out;
}

static void tile_path(char *out, size_t len, const char *layer, int z, long x, long y)
{
    snprintf(out, len, "/tiles/%s/%d/%ld/%ld.mvt", layer, z, x, y);
}

/* 1 when ogrinfo shows a feature attribute "name (Type) = value". */
static int info_has(const char *info, const char *name, const char *value)
{
    for (const char *l = info; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        while (*l == ' ')
            l++;
        size_t n = strlen(name);
        if (!strncmp(l, name, n) && l[n] == ' ' && l[n + 1] == '(') {
            const char *eq = strstr(l, ") = ");
            const char *nl = strchr(l, '\n');
            if (eq && (!nl || eq < nl) && !strncmp(eq + 4, value, strlen(value)) &&
                (eq[4 + strlen(value)] == '\n' || eq[4 + strlen(value)] == '\0'))
                return 1;
        }
    }
    return 0;
}

/* The largest value of integer attribute name in ogrinfo's output. */
static long info_max(const char *info, const char *name)
{
    long best = -1;
    for (const char *l = info; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        while (*l == ' ')
            l++;
        size_t n = strlen(name);
        const char *eq = strstr(l, ") = ");
        const char *nl = strchr(l, '\n');
        if (!strncmp(l, name, n) && l[n] == ' ' && l[n + 1] == '(' && eq && (!nl || eq < nl)) {
            long v = atol(eq + 4);
            best = v > best ? v : best;
        }
    }
    return best;
}

/* Every field GDAL reports for the layer ("name: Type (w.p)") is one of allowed. */
static void check_only_fields(const char *what, const char *info, const char *const *allowed)
{
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
        int ok = !strcmp(name, "mvt_id");
        for (int i = 0; allowed[i] && !ok; i++)
            ok = !strcmp(name, allowed[i]);
        CHECK(ok, "%s: attribute \"%s\" is not in the layer's whitelist", what, name);
    }
}

/* ---- reports ---- */

static long file_report(const char *category, const char *lat, const char *lon,
                        const char *description, const char *email)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"category\":\"%s\",\"lat\":%s,\"lon\":%s,\"description\":\"%s\","
             "\"contact_name\":\"Tile Tester\",\"contact_email\":\"%s\"}",
             category, lat, lon, description, email);
    struct h_resp r;
    h_post(&srv, "/api/v1/reports", "application/json", body, &r);
    CHECK(r.status == 201, "file a %s report: expected 201, found %ld %.300s", category, r.status,
          r.body);
    long id = r.status == 201 ? (long)json_integer_value(json_object_get(r.json, "id")) : 0;
    h_resp_free(&r);
    return id;
}

/* Polls the tile until ogrinfo shows report id; the ms it took (for the
 * log), or -1 when it never did (H_EVENT_DEADLINE_MS). The cache has no
 * expiry: only the server's invalidation can bring the report in. */
static long long wait_report(const char *layer, int z, long x, long y, long id)
{
    char path[128], want[32];
    tile_path(path, sizeof path, layer, z, x, y);
    snprintf(want, sizeof want, "%ld", id);
    long long t0 = h_now_ms();
    for (;;) {
        struct h_resp r;
        tget(path, 1, &r);
        char *info = r.status == 200 ? ogrinfo_tile(&r, z, x, y) : strdup("");
        int has = info_has(info, "id", want);
        free(info);
        h_resp_free(&r);
        if (has)
            return h_now_ms() - t0;
        if (h_now_ms() - t0 > H_EVENT_DEADLINE_MS)
            return -1;
        h_sleep_ms(20);
    }
}

static int x_cache_hit(const char *path)
{
    struct h_resp r;
    tget(path, 1, &r);
    int hit = strstr(r.headers, "x-cache: hit") != NULL;
    h_resp_free(&r);
    return hit;
}

static void check_reports(void)
{
    char path[128], d_pub[96], d_priv[96], e_pub[96], e_priv[96], what[160];
    int pid = (int)getpid();
    snprintf(d_pub, sizeof d_pub, "Pothole for the tile test %d", pid);
    snprintf(d_priv, sizeof d_priv, "Private tile secret %d", pid);
    snprintf(e_pub, sizeof e_pub, "tile-public-%d@example.gr", pid);
    snprintf(e_priv, sizeof e_priv, "tile-private-%d@example.gr", pid);
    secrets[nsecrets++] = d_priv;
    secrets[nsecrets++] = e_pub;
    secrets[nsecrets++] = e_priv;
    secrets[nsecrets++] = "incidents"; /* the private category's code */
    secrets[nsecrets++] = "Tile Tester";

    /* the tile over the spot is cached (the LISTEN connection is up) */
    tile_path(path, sizeof path, "reports", SPOT_Z16);
    int cached = 0;
    for (long long end = h_now_ms() + H_EVENT_DEADLINE_MS; !cached && h_now_ms() < end;
         h_sleep_ms(50))
        cached = x_cache_hit(path);
    CHECK(cached, "GET %s: expected x-cache: hit; it never was", path);
    target = &srv2; /* the same tile cached by a second process on the same database */
    cached = 0;
    for (long long end = h_now_ms() + H_EVENT_DEADLINE_MS; !cached && h_now_ms() < end;
         h_sleep_ms(50))
        cached = x_cache_hit(path);
    CHECK(cached, "second process: GET %s: expected x-cache: hit; it never was", path);
    target = &srv;

    long p1 = file_report("roads", SPOT_LAT, SPOT_LON, d_pub, e_pub);
    long long ms = wait_report("reports", SPOT_Z16, p1);
    CHECK(ms >= 0, "report %ld filed: expected it in the cached tile %s; it never came", p1,
          path);
    printf("a new report was in its tile after %lld ms\n", ms);
    target = &srv2;
    ms = wait_report("reports", SPOT_Z16, p1);
    CHECK(ms >= 0, "report %ld filed on one process: expected it in the tile %s cached by a "
          "second process; it never came", p1, path);
    printf("... and in the second process's cached tile after %lld ms more\n", ms);
    target = &srv;
    long p2 = file_report("roads", "41.07001", "23.53001", d_pub, e_pub);
    long x1 = file_report("incidents", "41.07002", "23.53002", d_priv, e_priv);
    long p3 = file_report("greenery", "41.07003", "23.53003", d_pub, e_pub);
    CHECK(wait_report("reports", SPOT_Z16, p3) >= 0,
          "report %ld (filed after the private one): expected it in the tile; it never came", p3);

    struct h_resp r;
    tget(path, 0, &r);
    CHECK_INT("GET reports z16 (identity)", r.status, 200);
    char *info = ogrinfo_tile(&r, SPOT_Z16);
    snprintf(what, sizeof what, "ogrinfo (GDAL MVT driver) on %s", path);
    CHECK_HAS(what, info, "Layer name: reports");
    char id[32];
    long ids[] = {p1, p2, p3};
    for (int i = 0; i < 3; i++) {
        snprintf(id, sizeof id, "%ld", ids[i]);
        CHECK(info_has(info, "id", id), "%s: expected public report %ld", what, ids[i]);
    }
    snprintf(id, sizeof id, "%ld", x1);
    CHECK(!info_has(info, "id", id), "%s: private report %ld must not be in a tile", what, x1);
    CHECK(info_has(info, "category", "roads") && info_has(info, "category", "greenery"),
          "%s: expected categories roads and greenery", what);
    CHECK(info_has(info, "status", "submitted") && info_has(info, "department", "technical_works"),
          "%s: expected status and department", what);
    CHECK(info_has(info, "description", d_pub),
          "%s: expected the public description (a public field, as in the list)", what);
    static const char *const report_fields[] = {
        "id", "status", "category", "category_name_el", "category_name_en", "department",
        "department_name_el", "department_name_en", "description", "address", "attributes",
        "support_count", "duplicate_of", "created_at", "updated_at", "resolved_at", "photos",
        "media_url", "status_notes", "cluster", "count", "count_open", NULL};
    check_only_fields(what, info, report_fields);
    free(info);
    check_no_secrets(what, &r);
    h_resp_free(&r);
    tget(path, 1, &r);
    check_no_secrets("reports z16 (gzip)", &r);
    h_resp_free(&r);

    /* city-wide: a cluster that counts them (and others filed there before) */
    tile_path(path, sizeof path, "reports", SPOT_Z10);
    tget(path, 1, &r);
    CHECK_INT("GET reports z10", r.status, 200);
    info = ogrinfo_tile(&r, SPOT_Z10);
    snprintf(what, sizeof what, "ogrinfo on %s", path);
    CHECK_HAS(what, info, "Layer name: reports");
    CHECK(info_max(info, "count") >= 3, "%s: expected a cluster with count >= 3, found %ld", what,
          info_max(info, "count"));
    CHECK(info_max(info, "id") < 0, "%s: expected clusters only (no report ids) below zoom 14",
          what);
    free(info);
    check_no_secrets(what, &r);
    h_resp_free(&r);
    for (int z = 11; z <= 15; z++) {
        char p[128];
        long n = 1L << z;
        /* the tile at the spot for each zoom: from z16, halving */
        long tx = 37051L >> (16 - z), ty = 24554L >> (16 - z);
        (void)n;
        tile_path(p, sizeof p, "reports", z, tx, ty);
        tget(p, 1, &r);
        CHECK(r.status == 200, "GET %s: expected 200, found %ld", p, r.status);
        check_no_secrets(p, &r);
        h_resp_free(&r);
    }
}

/* ---- imported layers ---- */

static void drop_layers(void)
{
    if (!park[0])
        return;
    PGconn *db = h_pg_connect(h_shared_dburl());
    const char *names[] = {park, staff};
    for (int i = 0; i < 2; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS layers.%s", names[i]);
        h_owner_exec(h_shared_dburl(), sql);
        const char *p[] = {names[i]};
        free(h_pg_value(db, "DELETE FROM layer_catalogue WHERE name = $1", 1, p));
    }
    PQfinish(db);
    h_run(NULL, "rm -rf '%s'", tmpdir);
}

static void import(const char *name, const char *opt)
{
    char *out;
    int rc = h_run(&out, "'%s' import '%s/thessaloniki_amea_parking_spots.geojson' --as %s %s 2>&1",
                 h_env("POLIS_BIN"), h_env("POLIS_DATA"), name, opt);
    CHECK(rc == 0, "import as %s: expected exit 0, found %d: %s", name, rc, out);
    free(out);
}

/* Polls GET path until its status is want: 1, or 0 when it never was
 * (H_EVENT_DEADLINE_MS). */
static int wait_status(const char *path, long want)
{
    for (long long end = h_now_ms() + H_EVENT_DEADLINE_MS;; h_sleep_ms(20)) {
        struct h_resp r;
        tget(path, 1, &r);
        long st = r.status;
        h_resp_free(&r);
        if (st == want)
            return 1;
        if (h_now_ms() > end)
            return 0;
    }
}

static void check_imported(void)
{
    char path[256], what[320];
    import(park, "--public");
    import(staff, "--staff");
    snprintf(path, sizeof path, "/tiles/%s.json", park);
    CHECK(wait_status(path, 200), "GET %s: expected 200 after the import; it never was", path);

    struct h_resp j;
    h_get(&srv, path, &j);
    json_t *vl = json_array_get(json_object_get(j.json, "vector_layers"), 0);
    CHECK_STR("imported layer TileJSON vector_layers[0].id",
              json_string_value(json_object_get(vl, "id")), park);
    json_t *fields = json_object_get(vl, "fields");
    CHECK_STR("imported layer field objectid", json_string_value(json_object_get(fields, "objectid")),
              "Number");
    CHECK_STR("imported layer field license", json_string_value(json_object_get(fields, "license")),
              "String");
    json_t *b = json_object_get(j.json, "bounds");
    CHECK(json_number_value(json_array_get(b, 0)) > 22.8 &&
              json_number_value(json_array_get(b, 2)) < 23.1,
          "imported layer TileJSON bounds around Thessaloniki: %.300s", j.body);
    h_resp_free(&j);

    h_get(&srv, "/tiles", &j);
    CHECK(j.body && strstr(j.body, park) && !strstr(j.body, staff),
          "GET /tiles lists %s and not the staff-only %s", park, staff);
    h_resp_free(&j);

    tile_path(path, sizeof path, park, PARK_Z16);
    struct h_resp r;
    tget(path, 1, &r);
    CHECK_INT(path, r.status, 200);
    char *info = ogrinfo_tile(&r, PARK_Z16);
    snprintf(what, sizeof what, "ogrinfo on %s", path);
    char want[96];
    snprintf(want, sizeof want, "Layer name: %s", park);
    CHECK_HAS(what, info, want);
    CHECK(info_has(info, "license", "Public") && info_has(info, "objectid", "1"),
          "%s: expected the feature's attributes (objectid 1, license Public): %.600s", what, info);
    free(info);
    h_resp_free(&r);

    /* composite with reports */
    snprintf(path, sizeof path, "/tiles/reports,%s.json", park);
    h_get(&srv, path, &j);
    CHECK(j.status == 200 && json_array_size(json_object_get(j.json, "vector_layers")) == 2,
          "GET %s: expected 200 with two vector layers, found %ld", path, j.status);
    h_resp_free(&j);
    snprintf(path, sizeof path, "/tiles/reports,%s/16/36942/24657.mvt", park);
    tget(path, 1, &r);
    CHECK_INT(path, r.status, 200);
    h_resp_free(&r);

    /* staff-only: as unknown */
    const char *fmt[] = {"/tiles/%s.json", "/tiles/%s/16/36942/24657.mvt",
                         "/tiles/reports,%s/16/36942/24657.mvt"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, fmt[i], staff);
        h_get(&srv, path, &j);
        snprintf(what, sizeof what, "GET %.250s (a staff-only layer)", path);
        CHECK_PROBLEM(what, &j, 404, NULL);
        CHECK_HAS(what, j.body, "/problems/unknown-layer");
        h_resp_free(&j);
    }
}

static void check_seed(void)
{
    char *out, file[256];
    snprintf(file, sizeof file, "%s/%s.mbtiles", tmpdir, park);
    int rc = h_run(&out, "POLIS_DATABASE_URL='%s' '%s' tiles seed %s --zoom 12-14 --out '%s' 2>&1",
                 h_shared_dburl(), h_env("POLIS_BIN"), park, file);
    CHECK(rc == 0, "tiles seed --out: expected exit 0, found %d: %s", rc, out);
    CHECK_HAS("tiles seed progress", out, "tiles seed: ");
    free(out);
    h_run(&out, "ogrinfo -ro -so '%s' 2>&1", file);
    CHECK_HAS("ogrinfo on the MBTiles file", out, "using driver `MBTiles' successful");
    CHECK_HAS("ogrinfo on the MBTiles file", out, park);
    free(out);
    h_run(&out, "ogrinfo -ro -so '%s' %s 2>&1", file, park);
    const char *fc = strstr(out, "Feature Count: ");
    CHECK(fc && atol(fc + 15) > 0, "ogrinfo -so on the MBTiles layer: expected a feature count "
          "above 0: %.800s", out);
    CHECK_HAS("ogrinfo -so on the MBTiles layer", out, "license: String");
    free(out);

    /* --url: every tile of the range requested; afterwards they are cached.
     * Tests running beside this one file reports (which invalidates report
     * tiles) and test_tiles cuts the servers' LISTEN connections (which
     * leaves the cache unused for a moment): seeding again until one seed
     * is followed by a hit. A seed that never warms the cache fails. */
    int hit = 0;
    for (long long end = h_now_ms() + H_EVENT_DEADLINE_MS; !hit && h_now_ms() < end;
         h_sleep_ms(50)) {
        rc = h_run(&out, "'%s' tiles seed reports --zoom 10-13 --bbox 23.52,41.06,23.54,41.08 "
                       "--url '%s' 2>&1", h_env("POLIS_BIN"), srv.base);
        CHECK(rc == 0, "tiles seed --url: expected exit 0, found %d: %s", rc, out);
        free(out);
        if (rc != 0)
            break;
        hit = x_cache_hit("/tiles/reports/13/4631/3069.mvt");
    }
    CHECK(hit, "after tiles seed --url, expected the z13 tile from the cache; it never was");
}

static void check_flip(void)
{
    char path[256];
    tile_path(path, sizeof path, park, PARK_Z16);
    PGconn *db = h_pg_connect(h_shared_dburl());
    const char *p[] = {park};
    free(h_pg_value(db, "UPDATE layer_catalogue SET visibility = 'staff' WHERE name = $1", 1, p));
    PQfinish(db);
    CHECK(wait_status(path, 404), "a layer turned staff-only: expected GET %s 404; it never was",
          path);
}

int main(void)
{
    h_init("test_tiles_layers", 240);
    h_require_tool("ogrinfo");
    snprintf(park, sizeof park, "tl_park_%d", (int)getpid());
    snprintf(staff, sizeof staff, "tl_staff_%d", (int)getpid());
    snprintf(tmpdir, sizeof tmpdir, "/tmp/polis-tiles-layers-%d", (int)getpid());
    h_run(NULL, "mkdir -p '%s'", tmpdir);
    h_use_database(h_shared_dburl()); /* for polis import and tiles seed */
    atexit(drop_layers);
    const char *env[] = {"POLIS_RATE_ANON_WRITE=1000", NULL};
    if (h_server_start(&srv, h_shared_dburl(), env) != 0 ||
        h_server_start(&srv2, h_shared_dburl(), env) != 0)
        return h_finish();
    check_reports();
    check_imported();
    check_seed();
    check_flip();
    return h_finish();
}
