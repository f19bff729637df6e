/* An admin describes an imported layer (Greek and English titles,
 * description, keywords, licence, attribution), hides it from the public
 * and deletes it: the description shows in the catalogue, a staff-only
 * layer is 404 to the public in OGC API and tiles, and a deleted layer is
 * gone from the catalogue, OGC API and tiles, its table dropped, each
 * write in the audit log. Bad members are 422 naming each one and change
 * nothing; staff and citizens may do neither. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct h_server s;
static PGconn *db;
static char layer[64], path[160];

/* The layer's entry in GET /api/v1/layers as u (owned), or NULL. */
static json_t *catalogue_entry(const struct ha_user *u)
{
    return ha_list_item(&s, u, "/api/v1/layers", "layers", "name", json_string(layer));
}

/* The entry as sorted compact text, to compare two reads (malloc'd; NULL
 * when the catalogue does not list the layer). */
static char *catalogue_text(const struct ha_user *u)
{
    return ha_layer_entry(&s, u, layer);
}

/* Waits up to 10 s for GET url (anonymous) to answer status: the server
 * learns of catalogue changes from a NOTIFY. */
static void eventually(const char *url, long status, const char *what)
{
    long found = 0;
    for (int i = 0; i < 100; i++) {
        found = ha_status(&s, NULL, "GET", url, NULL);
        if (found == status)
            break;
        h_sleep_ms(100);
    }
    CHECK(found == status, "%s: GET %s expected %ld, found %ld", what, url, status, found);
}

static long audit_rows(const char *action)
{
    const char *p[] = {action, layer};
    char *v = h_pg_value(db, "SELECT count(*) FROM audit_log WHERE action = $1 AND entity ="
                         " 'layer' AND entity_id = $2", 2, p);
    long n = v ? atol(v) : -1;
    free(v);
    return n;
}

static void describe(const struct ha_user *admin, const struct ha_user *staff)
{
    struct h_resp r;
    CHECK_INT("PATCH as staff", ha_status(&s, staff, "PATCH", path, "{\"licence\":\"x\"}"), 403);
    char *before = catalogue_text(admin);
    ha_call(&s, admin, "PATCH", path,
            "{\"visibility\":\"secret\",\"keywords\":\"parking\",\"title_el\":\"\","
            "\"colour\":\"red\"}", &r);
    CHECK_PROBLEM("bad members", &r, 422, "visibility");
    CHECK_PROBLEM("bad members", &r, 422, "keywords");
    CHECK_PROBLEM("bad members", &r, 422, "title_el");
    CHECK_PROBLEM("bad members", &r, 422, "colour");
    h_resp_free(&r);
    char *after = catalogue_text(admin);
    CHECK(before && after && !strcmp(before, after), "a refused PATCH changed the layer: %s -> %s",
          before ? before : "(none)", after ? after : "(none)");
    free(before);
    free(after);

    ha_call(&s, admin, "PATCH", path,
            "{\"title_el\":\"Θέσεις στάθμευσης ΑμεΑ\",\"title_en\":\"Accessible parking\","
            "\"description\":\"Οι θέσεις του δήμου\",\"keywords\":[\"στάθμευση\",\"ΑμεΑ\"],"
            "\"licence\":\"CC BY 4.0\",\"attribution\":\"Δήμος Θεσσαλονίκης\"}", &r);
    CHECK_INT("PATCH as admin", r.status, 200);
    CHECK_STR("the answer's licence", json_string_value(json_object_get(r.json, "licence")),
              "CC BY 4.0");
    h_resp_free(&r);
    json_t *e = catalogue_entry(NULL);
    CHECK_STR("the public catalogue: title_el", json_string_value(json_object_get(e, "title_el")),
              "Θέσεις στάθμευσης ΑμεΑ");
    CHECK_STR("the public catalogue: attribution",
              json_string_value(json_object_get(e, "attribution")), "Δήμος Θεσσαλονίκης");
    json_t *kw = json_object_get(e, "keywords");
    CHECK(json_array_size(kw) == 2 &&
              !strcmp(json_string_value(json_array_get(kw, 1)) ?: "", "ΑμεΑ"),
          "the public catalogue: expected keywords [\"στάθμευση\", \"ΑμεΑ\"], found %zu",
          json_array_size(kw));
    json_decref(e);
    CHECK_INT("audit rows of the description", audit_rows("layer.update"), 1);

    ha_call(&s, admin, "PATCH", path, "{\"description\":null}", &r);
    CHECK(r.status == 200 && json_is_null(json_object_get(r.json, "description")) &&
              !strcmp(json_string_value(json_object_get(r.json, "licence")) ?: "", "CC BY 4.0"),
          "description: null clears it and keeps the rest: %ld %.300s", r.status, r.body);
    h_resp_free(&r);
}

static void hide_and_show(const struct ha_user *admin)
{
    char ogc[200], tilejson[200];
    snprintf(ogc, sizeof ogc, "/ogc/collections/%s", layer);
    snprintf(tilejson, sizeof tilejson, "/tiles/%s.json", layer);
    eventually(ogc, 200, "a public layer in OGC API");
    eventually(tilejson, 200, "a public layer's TileJSON");
    CHECK_INT("staff only", ha_status(&s, admin, "PATCH", path, "{\"visibility\":\"staff\"}"), 200);
    eventually(ogc, 404, "a staff-only layer in OGC API, anonymous");
    eventually(tilejson, 404, "a staff-only layer's TileJSON, anonymous");
    CHECK_INT("a staff-only layer in OGC API, admin", ha_status(&s, admin, "GET", ogc, NULL), 200);
    char *entry = catalogue_text(NULL);
    CHECK(entry == NULL, "the public catalogue lists a staff-only layer: %s", entry);
    free(entry);
    CHECK_INT("public again", ha_status(&s, admin, "PATCH", path, "{\"visibility\":\"public\"}"),
              200);
    eventually(ogc, 200, "public again in OGC API");
}

static void delete(const struct ha_user *admin, const struct ha_user *staff)
{
    char ogc[200], tilejson[200], sql[200];
    snprintf(ogc, sizeof ogc, "/ogc/collections/%s/items?limit=1", layer);
    snprintf(tilejson, sizeof tilejson, "/tiles/%s.json", layer);
    CHECK_INT("DELETE as staff", ha_status(&s, staff, "DELETE", path, NULL), 403);
    CHECK_INT("DELETE with a name no layer can have",
              ha_status(&s, admin, "DELETE", "/api/v1/layers/Bad-Name", NULL), 400);
    CHECK_INT("DELETE as admin", ha_status(&s, admin, "DELETE", path, NULL), 204);
    eventually(ogc, 404, "a deleted layer in OGC API");
    eventually(tilejson, 404, "a deleted layer's TileJSON");
    char *entry = catalogue_text(admin);
    CHECK(entry == NULL, "the catalogue lists a deleted layer: %s", entry);
    free(entry);
    snprintf(sql, sizeof sql, "SELECT to_regclass('layers.%s') IS NULL", layer);
    char *v = h_pg_value(db, sql, 0, NULL);
    CHECK_STR("the deleted layer's table is dropped", v, "t");
    free(v);
    CHECK_INT("audit rows of the deletion", audit_rows("layer.delete"), 1);
    CHECK_INT("DELETE again", ha_status(&s, admin, "DELETE", path, NULL), 404);
    CHECK_INT("PATCH a deleted layer", ha_status(&s, admin, "PATCH", path, "{\"licence\":\"x\"}"),
              404);
}

int main(void)
{
    h_init("test_layer_admin", 240);
    const char *url = h_shared_dburl();
    h_use_database(url);
    db = h_pg_connect(url);
    snprintf(layer, sizeof layer, "la%ld_park", (long)getpid());
    snprintf(path, sizeof path, "/api/v1/layers/%s", layer);
    char *out;
    if (h_run(&out, "'%s' import '%s/thessaloniki_amea_parking_spots.geojson' --as %s 2>&1",
              h_env("POLIS_BIN"), h_env("POLIS_DATA"), layer))
        h_fatal("the layer could not be imported: %s", out);
    free(out);

    static const struct ha_member members[] = {
        {"layer-admin", "admin", NULL}, {"layer-staff", "staff", "cleaning"}};
    struct ha_user users[2];
    if (ha_world_start(&s, db, NULL, members, 2, users) == 0) {
        describe(&users[0], &users[1]);
        hide_and_show(&users[0]);
        delete(&users[0], &users[1]);
    }
    ha_drop_layer(url, layer);
    PQfinish(db);
    return h_finish();
}
