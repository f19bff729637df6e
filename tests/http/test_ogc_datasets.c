/* OGC API Features for every public dataset polis keeps in its own tables:
 * POIs (published only), events (datetime on their occurrences), schools,
 * school zones and citizen reports (public categories and public fields
 * only). Each answers as a collection with queryables, property filters,
 * CQL2, bbox, paging and single items, counted against what PostGIS says of
 * the public rows; a draft POI and a report of a private category are
 * nowhere. And a real client: GDAL's OAPIF driver lists every dataset and
 * copies POIs, schools and public reports with numberMatched features.
 * On a database of its own (the demo data), so that counts hold still. */
#include "h_accounts.h"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct h_server srv;
static PGconn *db;

static long long sql_count(const char *sql)
{
    char *v = h_pg_value(db, sql, 0, NULL);
    long long n = v ? atoll(v) : -1;
    free(v);
    return n;
}

/* GET path: 200 GeoJSON; its numberMatched (-1 otherwise). The answer is
 * left in r for the caller to read and free. */
static long long matched(const char *path, struct h_resp *r)
{
    h_get(&srv, path, r);
    CHECK(r->status == 200 && !strcmp(r->media_type, "application/geo+json"),
          "GET %s: expected 200 GeoJSON, found %ld %.300s", path, r->status, r->body);
    return r->status == 200 ? json_integer_value(json_object_get(r->json, "numberMatched")) : -1;
}

static void check_matched(const char *path, long long expected)
{
    struct h_resp r;
    CHECK_INT(path, matched(path, &r), expected);
    h_resp_free(&r);
}

/* A whole dataset: numberMatched is the count of its public rows, and the
 * demo has some. */
static void check_dataset(const char *id, const char *count_sql)
{
    char path[128];
    snprintf(path, sizeof path, "/ogc/collections/%s/items", id);
    long long n = sql_count(count_sql);
    CHECK(n > 0, "the demo database has %s: found %lld", id, n);
    check_matched(path, n);
}

/* Every page of path (following next links): the bodies concatenated. */
static char *all_pages(const char *path, long *features)
{
    char url[2048];
    snprintf(url, sizeof url, "%s%s", srv.base, path);
    size_t len = 0;
    char *all = calloc(1, 1);
    *features = 0;
    for (int pages = 0; url[0] && pages < 200; pages++) {
        struct h_resp r;
        h_get_url(url, &r);
        CHECK(r.status == 200, "GET %s: expected 200, found %ld", url, r.status);
        *features += (long)json_array_size(json_object_get(r.json, "features"));
        all = realloc(all, len + r.len + 1);
        memcpy(all + len, r.body, r.len + 1);
        len += r.len;
        const char *next = NULL;
        size_t i;
        json_t *l;
        json_array_foreach(json_object_get(r.json, "links"), i, l)
            if (!strcmp(json_string_value(json_object_get(l, "rel")) ?: "", "next"))
                next = json_string_value(json_object_get(l, "href"));
        snprintf(url, sizeof url, "%s", next && r.status == 200 ? next : "");
        h_resp_free(&r);
    }
    return all;
}

static long file_report(const struct ha_user *u, const char *category, const char *text)
{
    char body[512];
    snprintf(body, sizeof body, "{\"category\":\"%s\",\"lat\":41.0912,\"lon\":23.5493,"
             "\"description\":\"%s\",\"address\":\"Ερμού 12\"}", category, text);
    struct h_resp r;
    ha_call(&srv, u, "POST", "/api/v1/reports", body, &r);
    CHECK(r.status == 201, "file a %s report: expected 201, found %ld %.300s", category,
          r.status, r.body);
    long id = r.status == 201 ? (long)json_integer_value(json_object_get(r.json, "id")) : 0;
    h_resp_free(&r);
    return id;
}

/* The queryables of collection id hold name (with x-ogc-role role, when
 * not NULL) and none of the names in absent (NULL-terminated). */
static void check_queryables(const char *id, const char *name, const char *role,
                             const char *const *absent)
{
    char path[256];
    snprintf(path, sizeof path, "/ogc/collections/%s/queryables", id);
    struct h_resp r;
    h_get(&srv, path, &r);
    CHECK_INT(path, r.status, 200);
    json_t *props = json_object_get(r.json, "properties");
    json_t *q = json_object_get(props, name);
    CHECK(q != NULL, "%s has queryable %s: %.300s", path, name, r.body);
    if (role)
        CHECK_STR(path, json_string_value(json_object_get(q, "x-ogc-role")), role);
    for (int i = 0; absent && absent[i]; i++)
        CHECK(!json_object_get(props, absent[i]), "%s must not offer %s", path, absent[i]);
    h_resp_free(&r);
}

static void collections_and_counts(void)
{
    struct h_resp r;
    h_get(&srv, "/ogc/collections", &r);
    static const char *const ids[] = {"boundaries", "pois", "events", "schools",
                                      "school_zones", "reports"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        CHECK_HAS("/ogc/collections", r.body, ids[i]);
    h_resp_free(&r);
    h_get(&srv, "/ogc/collections/events", &r);
    CHECK(json_object_get(json_object_get(r.json, "extent"), "temporal") != NULL,
          "events have a temporal extent: %.300s", r.body);
    h_resp_free(&r);

    check_dataset("pois", "SELECT count(*) FROM pois WHERE status = 'published'");
    check_dataset("events", "SELECT count(*) FROM events WHERE status = 'published'");
    check_dataset("schools", "SELECT count(*) FROM schools");
    check_dataset("school_zones", "SELECT count(*) FROM school_zones");
    check_dataset("reports", "SELECT count(*) FROM reports_public");
    /* bbox, a property filter, CQL2 */
    check_matched("/ogc/collections/schools/items?bbox=23.5,41.05,23.6,41.12",
                  sql_count("SELECT count(*) FROM schools WHERE ST_Intersects(geom,"
                            " ST_MakeEnvelope(23.5, 41.05, 23.6, 41.12, 4326))"));
    check_matched("/ogc/collections/schools/items?level=primary",
                  sql_count("SELECT count(*) FROM schools WHERE level = 'primary'"));
    check_matched("/ogc/collections/school_zones/items?filter=level%3D'primary'%20AND%20"
                  "provisional%3Dtrue",
                  sql_count("SELECT count(*) FROM school_zones WHERE level = 'primary'"
                            " AND provisional"));
    check_matched("/ogc/collections/pois/items?filter=category%20IN%20('museum','church')",
                  sql_count("SELECT count(*) FROM pois WHERE status = 'published'"
                            " AND category IN ('museum', 'church')"));
    h_get(&srv, "/ogc/collections/school_zones/items?limit=1", &r);
    json_t *p = json_object_get(json_array_get(json_object_get(r.json, "features"), 0),
                                "properties");
    CHECK(json_string_value(json_object_get(p, "name_el")) != NULL,
          "a school zone carries its school's name: %.300s", r.body);
    h_resp_free(&r);

    static const char *const private_fields[] = {"user_id", "contact_email", "contact_name",
                                                 "secret", "internal_notes", NULL};
    check_queryables("reports", "category", NULL, private_fields);
    check_queryables("reports", "created_at", "primary-instant", NULL);
    check_queryables("events", "starts_at", "primary-interval-start", NULL);
    check_queryables("events", "ends_at", "primary-interval-end", NULL);
    static const char *const draft_fields[] = {"status", "created_by", "demo", NULL};
    check_queryables("pois", "name_el", NULL, draft_fields);
}

/* A weekly event's fourth occurrence, not its first, is found by datetime. */
static void events_datetime(void)
{
    char *at = h_pg_value(db, "SELECT to_char((o.starts_at + interval '1 hour') AT TIME ZONE"
                          " 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM event_occurrences o"
                          " JOIN events e ON e.id = o.event_id WHERE e.status = 'published'"
                          " AND e.rrule LIKE 'FREQ=WEEKLY%' ORDER BY o.starts_at OFFSET 3 LIMIT 1",
                          0, NULL);
    if (!at) {
        CHECK(0, "the demo has a weekly event with four occurrences");
        return;
    }
    const char *p[] = {at};
    char *n = h_pg_value(db, "SELECT count(DISTINCT e.id) FROM events e JOIN event_occurrences o"
                         " ON o.event_id = e.id WHERE e.status = 'published'"
                         " AND o.starts_at <= $1::timestamptz AND o.ends_at >= $1::timestamptz",
                         1, p);
    char path[256];
    snprintf(path, sizeof path, "/ogc/collections/events/items?datetime=%s", at);
    struct h_resp r;
    long long m = matched(path, &r);
    CHECK(m >= 1 && m == atoll(n), "%s: expected %s events (an occurrence then), found %lld",
          path, n, m);
    CHECK_HAS(path, r.body, "FREQ=WEEKLY");
    h_resp_free(&r);
    free(n);
    n = h_pg_value(db, "SELECT count(DISTINCT e.id) FROM events e JOIN event_occurrences o"
                   " ON o.event_id = e.id WHERE e.status = 'published'"
                   " AND o.ends_at >= $1::timestamptz", 1, p);
    snprintf(path, sizeof path, "/ogc/collections/events/items?datetime=%s/..", at);
    check_matched(path, atoll(n));
    free(n);
    free(at);
}

int main(void)
{
    h_init("test_ogc_datasets", 240);
    h_require_tool("ogr2ogr");
    h_require_tool("ogrinfo");
    const char *url = h_private_db("ogc_datasets");
    h_use_database(url);
    db = h_pg_connect(url);
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                         "POLIS_RATE_ANON_WRITE=100000", "POLIS_RATE_USER_WRITE=0", NULL};
    if (h_server_start(&srv, url, env) != 0)
        return h_finish();
    struct ha_user citizen;
    if (ha_new_user(&srv, db, "ogc-datasets", &citizen))
        return h_finish();

    /* a public and a private report, and a draft POI */
    long pub = file_report(&citizen, "cleaning", "OGC datasets: bins on the corner");
    long priv = file_report(&citizen, "incidents", "OGC datasets: someone needs help");
    char *draft = h_pg_value(db, "INSERT INTO pois (category, name_el, geom) VALUES ('sight',"
                             " 'Πρόχειρο σημείο', ST_SetSRID(ST_MakePoint(23.55, 41.09),"
                             " 4326)) RETURNING id", 0, NULL);

    collections_and_counts();
    events_datetime();

    /* the public report: its public fields; the private one and the draft: nowhere */
    char path[256];
    snprintf(path, sizeof path, "/ogc/collections/reports/items/%ld", pub);
    struct h_resp r;
    h_get(&srv, path, &r);
    CHECK_INT(path, r.status, 200);
    json_t *props = json_object_get(r.json, "properties");
    CHECK_STR("report category", json_string_value(json_object_get(props, "category")),
              "cleaning");
    CHECK(json_is_array(json_object_get(props, "photos")), "report properties are the public "
          "view's, photos included: %.300s", r.body);
    CHECK(!strstr(r.body, citizen.email), "no reporter in a public report: %.300s", r.body);
    h_resp_free(&r);
    snprintf(path, sizeof path, "/ogc/collections/reports/items/%ld", priv);
    h_get(&srv, path, &r);
    CHECK_INT("a private category's report", r.status, 404);
    h_resp_free(&r);
    snprintf(path, sizeof path, "/ogc/collections/pois/items/%s", draft ? draft : "0");
    h_get(&srv, path, &r);
    CHECK_INT("a draft POI", r.status, 404);
    h_resp_free(&r);
    free(draft);
    long n;
    char *pages = all_pages("/ogc/collections/reports/items?limit=100", &n);
    CHECK(strstr(pages, "bins on the corner") && !strstr(pages, "someone needs help") &&
              !strstr(pages, "\"incidents\""),
          "the reports pages hold the public report and nothing of the private category");
    free(pages);
    check_matched("/ogc/collections/reports/items?filter=description%20LIKE%20"
                  "'OGC%20datasets%3A%25'", 1);
    pages = all_pages("/ogc/collections/pois/items?limit=100", &n);
    CHECK(!strstr(pages, "Πρόχειρο"), "the POI pages leave the draft out");
    free(pages);

    /* GDAL's OAPIF driver: every dataset listed, three copied whole */
    char *out;
    int rc = h_run(&out, "ogrinfo -ro -so 'OAPIF:%s/ogc/' 2>&1", srv.base);
    CHECK(rc == 0, "ogrinfo OAPIF: exit %d: %s", rc, out);
    static const char *const listed[] = {"boundaries", "pois", "events", "schools",
                                         "school_zones", "reports"};
    for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++)
        CHECK_HAS("ogrinfo OAPIF lists", out, listed[i]);
    free(out);
    char gpkg[256];
    snprintf(gpkg, sizeof gpkg, "/tmp/polis-ogc-datasets-%ld.gpkg", (long)getpid());
    static const char *const copied[] = {"pois", "schools", "reports"};
    for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++) {
        unlink(gpkg);
        rc = h_run(&out, "ogr2ogr -f GPKG '%s' 'OAPIF:%s/ogc' %s -oo PAGE_SIZE=7 2>&1", gpkg,
                   srv.base, copied[i]);
        CHECK(rc == 0, "ogr2ogr OAPIF %s: exit %d: %s", copied[i], rc, out);
        free(out);
        snprintf(path, sizeof path, "/ogc/collections/%s/items?limit=1", copied[i]);
        long long m = matched(path, &r);
        h_resp_free(&r);
        h_run(&out, "ogrinfo -ro -so '%s' %s 2>&1", gpkg, copied[i]);
        char expect[64];
        snprintf(expect, sizeof expect, "Feature Count: %lld\n", m);
        CHECK(m > 0 && strstr(out, expect), "ogr2ogr copied %s: numberMatched %lld, GDAL: %s",
              copied[i], m, out);
        free(out);
    }
    unlink(gpkg);
    PQfinish(db);
    h_private_db_drop(url);
    return h_finish();
}
