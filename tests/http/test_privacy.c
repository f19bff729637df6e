/* Privacy as the people involved see it:
 *  - a private report exists only for its parties: staff of another
 *    department, another citizen, anonymous callers and an admin's key
 *    without the staff scope get 404 (never 403) on every route of it;
 *  - a report shows exactly the same public fields through the report list
 *    and detail, the reports tile (read with GDAL's MVT driver) and Open311
 *    (under GeoReport v2 names, each value one of those fields); a private
 *    report is in none of them;
 *  - the anonymous reporter's secret works in the X-Report-Secret header.
 * (The server's own records, /metrics, the access log and stored photos, are
 * test_privacy_ops.c.) */
#include "h_accounts.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

enum { CIT_A, CIT_B, STAFF_ROADS, STAFF_CIVIL, STAFF_TOURISM, ADMIN, NUSERS };

struct world {
    struct h_server *s;
    PGconn *db;
    struct ha_user u[NUSERS];
    const char *var; /* POLIS_VAR of the server: h_temp_dir */
};

#define SPOT_LAT 41.07021
#define SPOT_LON 23.53021

/* ---- helpers ---- */

static long file_report(struct world *w, const struct ha_user *u, const char *category,
                        const char *description, char *secret, size_t secretlen)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"category\":\"%s\",\"lat\":%.5f,\"lon\":%.5f,\"description\":\"%s\","
             "\"address\":\"Privacy street 1\"}",
             category, SPOT_LAT, SPOT_LON, description);
    struct h_resp r;
    ha_call(w->s, u, "POST", "/api/v1/reports", body, &r);
    CHECK(r.status == 201, "file a %s report: expected 201, found %ld %.300s", category, r.status,
          r.body);
    long id = r.status == 201 ? (long)json_integer_value(json_object_get(r.json, "id")) : 0;
    if (secret)
        snprintf(secret, secretlen, "%s",
                 json_string_value(json_object_get(r.json, "secret")) ?: "");
    h_resp_free(&r);
    return id;
}

/* A request with extra header lines as u (cookie and CSRF token) or anonymous. */
static void call_with(struct world *w, const struct ha_user *u, const char *method,
                      const char *path, const char *header, const char *body, struct h_resp *r)
{
    char cookie[200], csrf[200];
    const char *headers[4] = {NULL};
    int n = 0;
    if (u) {
        snprintf(cookie, sizeof cookie, "Cookie: polis_session=%s", u->cookie);
        snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", u->csrf);
        headers[n++] = cookie;
        headers[n++] = csrf;
    }
    if (header)
        headers[n++] = header;
    h_request(w->s, method, path, headers, body, r);
}

/* ---- 404, not 403 ---- */

static void private_is_404(struct world *w)
{
    long id = file_report(w, &w->u[CIT_A], "incidents", "Private incident for the 404 test",
                          NULL, 0);
    /* the admin's key without the staff scope acts as a citizen */
    struct h_resp r;
    char key[128];
    CHECK(ha_make_key(w->s, &w->u[ADMIN], "admin as citizen", "[\"report\"]", key,
                      sizeof key) == 201,
          "admin creates a report-scope key");

    struct {
        const char *method, *suffix, *body;
    } routes[] = {
        {"GET", "", NULL},
        {"GET", "/history", NULL},
        {"POST", "/transitions", "{\"to\":\"acknowledged\"}"},
        {"POST", "/transitions", "{\"to\":\"reopened\"}"},
        {"POST", "/support", NULL},
        {"GET", "/messages", NULL},
        {"POST", "/messages", "{\"body\":\"may I see this?\"}"},
        {"GET", "/photos/1", NULL},
        {"POST", "/follow", NULL},
    };
    const int strangers[] = {CIT_B, STAFF_ROADS, STAFF_TOURISM, -1};
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "/api/v1/reports/%ld%s", id, routes[i].suffix);
        for (int k = 0; k < 4; k++) {
            const struct ha_user *u = strangers[k] < 0 ? NULL : &w->u[strangers[k]];
            long st = ha_status(w->s, u, routes[i].method, path, routes[i].body);
            /* anonymous callers of routes for accounts get 401 first */
            int want = !u && (!strcmp(routes[i].suffix, "/transitions") ||
                              !strcmp(routes[i].suffix, "/support") ||
                              !strcmp(routes[i].suffix, "/follow"))
                           ? 401
                           : 404;
            CHECK(st == want, "%s %s of A's private report as %s: expected %d, found %ld",
                  routes[i].method, path, u ? u->email : "anonymous", want, st);
        }
        ha_call_key(w->s, key, routes[i].method, path, routes[i].body, &r);
        CHECK(r.status == 404, "%s %s of A's private report with an admin key without the staff "
              "scope: expected 404, found %ld %.200s", routes[i].method, path, r.status, r.body);
        h_resp_free(&r);
    }
    /* the photo upload is refused before the report is looked up when the
     * body is no image; with one it is the same 404 */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/photos", id);
    static const unsigned char png[] = {
        0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R', 0, 0, 0,
        1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0d, 'I', 'D', 'A', 'T',
        0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0, 5, 0, 1, 0xff, 0x56, 0xc3, 0x5c, 0x3f,
        0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    ha_upload(w->s, &w->u[STAFF_TOURISM], path, "image/png", png, sizeof png, &r);
    CHECK(r.status == 404, "photo upload to A's private report by staff of another department: "
          "expected 404, found %ld %.200s", r.status, r.body);
    h_resp_free(&r);

    /* the parties still reach it */
    snprintf(path, sizeof path, "/api/v1/reports/%ld", id);
    CHECK_INT("A reads their private report", ha_status(w->s, &w->u[CIT_A], "GET", path, NULL),
              200);
    CHECK_INT("civil protection staff read it",
              ha_status(w->s, &w->u[STAFF_CIVIL], "GET", path, NULL), 200);
    snprintf(path, sizeof path, "/api/v1/reports/%ld/transitions", id);
    CHECK_INT("civil protection staff acknowledge it",
              ha_status(w->s, &w->u[STAFF_CIVIL], "POST", path, "{\"to\":\"acknowledged\"}"),
              200);
    /* a public report exists for everyone: refusing a stranger's move is 403 */
    long pub = file_report(w, &w->u[CIT_A], "roads", "Public pothole for the 403 test", NULL, 0);
    snprintf(path, sizeof path, "/api/v1/reports/%ld/transitions", pub);
    CHECK_INT("tourism staff acknowledge a public roads report",
              ha_status(w->s, &w->u[STAFF_TOURISM], "POST", path, "{\"to\":\"acknowledged\"}"),
              403);
}

/* ---- one set of public fields ---- */

/* The attributes GDAL shows for the feature of `layer` whose id is id, as
 * "name\n" lines (malloc'd; "" when the feature is not there). */
static char *tile_feature_fields(const struct h_resp *tile, int z, long x, long y, long id)
{
    char dir[] = "/tmp/polis-privacy-XXXXXX";
    if (!mkdtemp(dir))
        h_fatal("mkdtemp: %s", strerror(errno));
    char path[128], cmd[512];
    snprintf(path, sizeof path, "%s/%ld.mvt", dir, y);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(tile->body, 1, tile->len, f) != tile->len)
        h_fatal("cannot write %s", path);
    fclose(f);
    snprintf(cmd, sizeof cmd, "ogrinfo -ro -al -oo Z=%d -oo X=%ld -oo Y=%ld %s 2>&1", z, x, y,
             path);
    FILE *p = popen(cmd, "r");
    char line[8192];
    size_t cap = 4096, len = 0;
    char *out = calloc(1, cap), *block = calloc(1, cap);
    size_t blen = 0;
    int in_feature = 0, is_ours = 0;
    char want[64];
    snprintf(want, sizeof want, "  id (Integer64) = %ld", id);
    char want32[64];
    snprintf(want32, sizeof want32, "  id (Integer) = %ld", id);
    while (p && fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = '\0';
        if (!strncmp(line, "OGRFeature(", 11)) {
            if (is_ours && !len) {
                memcpy(out, block, blen + 1);
                len = blen;
            }
            in_feature = 1, is_ours = 0, blen = 0, block[0] = '\0';
            continue;
        }
        if (!in_feature || strncmp(line, "  ", 2) || !strstr(line, " = "))
            continue;
        if (!strcmp(line, want) || !strcmp(line, want32))
            is_ours = 1;
        char name[128];
        if (sscanf(line, "  %127[A-Za-z0-9_] (", name) == 1 && blen + strlen(name) + 2 < cap) {
            blen += (size_t)sprintf(block + blen, "%s\n", name);
        }
    }
    if (is_ours && !len)
        memcpy(out, block, blen + 1);
    if (p)
        pclose(p);
    unlink(path);
    rmdir(dir);
    free(block);
    return out;
}

/* 1 when every key of obj is a line of names and the other way round,
 * except the lines listed in extra (NULL-terminated), which must be there. */
static int same_names(const char *what, const json_t *obj, const char *names,
                      const char *const *extra)
{
    int ok = 1, lines = 0;
    for (const char *l = names; *l; l = strchr(l, '\n') + 1) {
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(l, "\n"), l);
        lines++;
        int known = json_object_get(obj, name) != NULL;
        for (int i = 0; extra[i] && !known; i++)
            known = !strcmp(extra[i], name);
        CHECK(known, "%s: field \"%s\" is not one of the list's properties", what, name);
        ok &= known;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        /* a whole line of names: at the start, or after a newline */
        char line[140], nl[142];
        snprintf(line, sizeof line, "%s\n", key);
        snprintf(nl, sizeof nl, "\n%s\n", key);
        int found = !strncmp(names, line, strlen(line)) || strstr(names, nl) != NULL;
        CHECK(found, "%s: the list's property \"%s\" is missing", what, key);
        ok &= found;
    }
    return ok && lines > 0;
}

/* The feature of a FeatureCollection with this id, or NULL. (?q= matches
 * the id, and also any description or address with those digits.) */
static json_t *feature_with_id(json_t *collection, long id)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(collection, "features"), i, f)
        if (json_integer_value(json_object_get(f, "id")) == id)
            return f;
    return NULL;
}

static void same_public_fields(struct world *w)
{
    struct h_resp r;
    int pid = (int)getpid();
    /* every public field set: an Open311 request with a media_url and an
     * address, a photo, and marked a duplicate with a public comment */
    char key[128];
    CHECK(ha_make_key(w->s, &w->u[CIT_A], "privacy open311", "[\"report\"]", key,
                      sizeof key) == 201,
          "A creates a report-scope key");
    long first = file_report(w, &w->u[CIT_A], "roads", "The first of two pothole reports",
                             NULL, 0);
    char form[1024];
    snprintf(form, sizeof form,
             "api_key=%s&service_code=roads&lat=%.5f&long=%.5f&address_string=Field+street+%d"
             "&description=Fieldset+check+%d&media_url=https%%3A%%2F%%2Fexample.org%%2F%d.jpg"
             "&email=fieldset-%d%%40example.gr",
             key, SPOT_LAT, SPOT_LON, pid, pid, pid, pid);
    h_post(w->s, "/open311/v2/requests.json", "application/x-www-form-urlencoded", form, &r);
    CHECK(r.status == 201, "POST an Open311 request: %ld %.300s", r.status, r.body);
    long id = r.status == 201 ? atol(json_string_value(json_object_get(
                                         json_array_get(r.json, 0), "service_request_id")) ?: "0")
                              : 0;
    h_resp_free(&r);
    char path[160], body[256];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/transitions", id);
    snprintf(body, sizeof body,
             "{\"to\":\"duplicate\",\"duplicate_of\":%ld,\"public_comment\":\"Merged with %ld\","
             "\"internal_note\":\"internal-note-%d\"}",
             first, first, pid);
    CHECK_INT("roads staff mark it a duplicate",
              ha_status(w->s, &w->u[STAFF_ROADS], "POST", path, body), 200);
    long priv = file_report(w, &w->u[CIT_A], "incidents", "Private fieldset incident", NULL, 0);

    /* the list (anonymous), found by the id */
    snprintf(path, sizeof path, "/api/v1/reports?q=%ld", id);
    h_get(w->s, path, &r);
    json_t *feature = feature_with_id(r.json, id);
    CHECK(r.status == 200 && feature,
          "GET %s: expected report %ld, found %ld %.300s", path, id, r.status, r.body);
    json_t *props = json_deep_copy(json_object_get(feature, "properties"));
    h_resp_free(&r);
    if (!props)
        return;
    const char *key_name;
    json_t *v;
    json_object_foreach(props, key_name, v)
        CHECK(!json_is_null(v), "the test report has every public field set; %s is null",
              key_name);
    char *text = json_dumps(props, JSON_COMPACT);
    CHECK(!json_object_get(props, "reporter") && !json_object_get(props, "private"),
          "no reporter, no private flag in the public list: %s", text);
    free(text);

    /* the detail: the very same object */
    snprintf(path, sizeof path, "/api/v1/reports/%ld", id);
    h_get(w->s, path, &r);
    CHECK(r.status == 200 && json_equal(json_object_get(r.json, "properties"), props),
          "GET %s (anonymous): expected the list's properties, found %.500s", path, r.body);
    h_resp_free(&r);

    /* the tile: the same names, plus the feature id and what a cluster is */
    long x, y;
    h_tile_of(SPOT_LAT, SPOT_LON, 16, &x, &y);
    char tile[96];
    snprintf(tile, sizeof tile, "/tiles/reports/16/%ld/%ld.mvt", x, y);
    char *fields = NULL;
    for (long long end = h_now_ms() + 10000; h_now_ms() < end; h_sleep_ms(100)) {
        h_get(w->s, tile, &r);
        free(fields);
        fields = r.status == 200 ? tile_feature_fields(&r, 16, x, y, id) : strdup("");
        h_resp_free(&r);
        if (*fields && strstr(fields, "status_notes\n"))
            break;
    }
    static const char *const tile_extra[] = {"mvt_id", "id",         "cluster",
                                             "count",  "count_open", NULL};
    CHECK(same_names("the reports tile (GDAL MVT driver)", props, fields, tile_extra),
          "the reports tile %s: expected report %ld with exactly the list's fields, found:\n%s",
          tile, id, fields);
    free(fields);
    h_get(w->s, tile, &r);
    fields = tile_feature_fields(&r, 16, x, y, priv);
    CHECK(!*fields, "private report %ld must not be in the tile %s", priv, tile);
    free(fields);
    char needle[64];
    snprintf(needle, sizeof needle, "internal-note-%d", pid);
    CHECK(!memmem(r.body, r.len, needle, strlen(needle)) &&
              !memmem(r.body, r.len, "fieldset-", 9),
          "the tile holds neither the internal note nor the reporter's e-mail");
    h_resp_free(&r);

    /* TileJSON describes the same fields */
    h_get(w->s, "/tiles/reports.json", &r);
    json_t *layer = json_array_get(json_object_get(r.json, "vector_layers"), 0);
    json_object_foreach(props, key_name, v)
        CHECK(json_object_get(json_object_get(layer, "fields"), key_name),
              "TileJSON of reports: expected field %s", key_name);
    h_resp_free(&r);

    /* Open311: GeoReport v2 names, each value one of the public fields */
    snprintf(path, sizeof path, "/open311/v2/requests/%ld.json", id);
    h_get(w->s, path, &r);
    json_t *req = json_array_get(r.json, 0);
    static const char *const spec[] = {
        "service_request_id", "status",     "status_notes",      "service_name",
        "service_code",       "description", "agency_responsible", "service_notice",
        "requested_datetime", "updated_datetime", "expected_datetime", "address",
        "address_id",         "zipcode",    "lat",               "long",
        "media_url",          NULL};
    int nspec = 0;
    for (; spec[nspec]; nspec++)
        CHECK(json_object_get(req, spec[nspec]), "Open311 request: expected %s", spec[nspec]);
    CHECK_INT("Open311 request: number of members", json_object_size(req), nspec);
    static const char *const same[][2] = {
        {"status_notes", "status_notes"},       {"service_name", "category_name_el"},
        {"service_code", "category"},           {"description", "description"},
        {"agency_responsible", "department_name_el"}, {"address", "address"},
        {"media_url", "media_url"},
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        CHECK_STR(same[i][0], json_string_value(json_object_get(req, same[i][0])),
                  json_string_value(json_object_get(props, same[i][1])));
    CHECK_STR("requested_datetime is created_at",
              json_string_value(json_object_get(req, "requested_datetime")),
              json_string_value(json_object_get(props, "created_at")));
    CHECK_STR("updated_datetime is updated_at",
              json_string_value(json_object_get(req, "updated_datetime")),
              json_string_value(json_object_get(props, "updated_at")));
    CHECK_STR("a duplicate is closed", json_string_value(json_object_get(req, "status")),
              "closed");
    CHECK(!strstr(r.body, "fieldset-") && !strstr(r.body, needle),
          "Open311 shows neither the reporter's e-mail nor the internal note: %.500s", r.body);
    h_resp_free(&r);

    /* the private one: in none of them */
    snprintf(path, sizeof path, "/api/v1/reports?q=%ld", priv);
    h_get(w->s, path, &r);
    CHECK(r.status == 200 && !feature_with_id(r.json, priv),
          "private report %ld in the anonymous list: %.300s", priv, r.body);
    h_resp_free(&r);
    snprintf(path, sizeof path, "/open311/v2/requests/%ld.json", priv);
    h_get(w->s, path, &r);
    CHECK_INT("Open311 GET of a private request", r.status, 404);
    h_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/reports/%ld", priv);
    h_get(w->s, path, &r);
    CHECK_INT("anonymous GET of a private report", r.status, 404);
    h_resp_free(&r);
    json_decref(props);
}

/* ---- the secret in a header ---- */

static void secret_header(struct world *w)
{
    char secret[80], header[128], path[160];
    long id = file_report(w, NULL, "incidents", "Anonymous private incident", secret,
                          sizeof secret);
    snprintf(header, sizeof header, "X-Report-Secret: %s", secret);
    struct h_resp r;
    snprintf(path, sizeof path, "/api/v1/reports/%ld", id);
    call_with(w, NULL, "GET", path, header, NULL, &r);
    CHECK(r.status == 200, "GET %s with X-Report-Secret: expected 200, found %ld %.200s", path,
          r.status, r.body);
    CHECK(json_object_get(json_object_get(r.json, "properties"), "reporter") != NULL,
          "the reporter sees their report whole with the header secret");
    h_resp_free(&r);
    CHECK_INT("GET without the secret", ha_status(w->s, NULL, "GET", path, NULL), 404);
    call_with(w, NULL, "GET", path, "X-Report-Secret: not-the-secret", NULL, &r);
    CHECK_INT("GET with a wrong X-Report-Secret", r.status, 404);
    h_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/reports/%ld?secret=%s", id, secret);
    CHECK_INT("GET with ?secret= still works", ha_status(w->s, NULL, "GET", path, NULL), 200);
    call_with(w, NULL, "GET", path, "X-Report-Secret: another-secret-value", NULL, &r);
    CHECK_PROBLEM("two different secrets", &r, 400, "secret");
    h_resp_free(&r);
    static const char *const suffixes[] = {"/history", "/messages", NULL};
    for (int i = 0; suffixes[i]; i++) {
        snprintf(path, sizeof path, "/api/v1/reports/%ld%s", id, suffixes[i]);
        call_with(w, NULL, "GET", path, header, NULL, &r);
        CHECK(r.status == 200, "GET %s with X-Report-Secret: expected 200, found %ld %.200s",
              path, r.status, r.body);
        h_resp_free(&r);
    }
    snprintf(path, sizeof path, "/api/v1/reports/%ld/messages", id);
    call_with(w, NULL, "POST", path, header, "{\"body\":\"a word from the reporter\"}", &r);
    CHECK(r.status == 201, "POST %s with X-Report-Secret: expected 201, found %ld %.200s", path,
          r.status, r.body);
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_privacy", 240);
    struct world w = {0};
    w.db = h_pg_connect(h_shared_dburl());
    w.var = h_temp_dir("privacy");
    char var_env[100];
    snprintf(var_env, sizeof var_env, "POLIS_VAR=%s", w.var);
    struct h_server s;
    const char *env[] = {var_env, NULL};
    static const struct ha_member members[NUSERS] = {
        {"pv-a", NULL, NULL},
        {"pv-b", NULL, NULL},
        {"pv-roads", "staff", "technical_works"},
        {"pv-civil", "staff", "civil_protection"},
        {"pv-tour", "staff", "tourism"},
        {"pv-admin", "admin", NULL}};
    if (ha_world_start(&s, w.db, env, members, NUSERS, w.u) != 0)
        return h_finish();
    w.s = &s;

    private_is_404(&w);
    same_public_fields(&w);
    secret_header(&w);

    PQfinish(w.db);
    return h_finish();
}
