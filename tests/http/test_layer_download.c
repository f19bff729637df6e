/* GET /api/v1/layers/{name}/download: a small layer of Greek-named points
 * downloaded in every format, each file opened with GDAL: as many features
 * as the layer, in the CRS asked (EPSG:2100 coordinates of a known point
 * within 1 m of PostGIS's ST_Transform), cut by bbox and by a CQL2 filter to
 * the right count; the Shapefile comes zipped with its .cpg and .prj and
 * keeps the Greek text; a staff-only layer is 404 to anonymous callers and
 * citizens and 200 to staff; bad format, crs, bbox and filter are 400s
 * naming what was expected and found; the catalogue links every format; and
 * no file is left in POLIS_VAR/downloads afterwards. */
#include "h_accounts.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <cpl_string.h>
#include <gdal.h>
#include <math.h>
#include <netinet/in.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct h_server s;
static PGconn *db;
static char layer[64], staff_layer[64], tmp[512], var[600];

/* Six points: three "bench" in Serres' centre, three "ramp" further east;
 * fid 1 is Πλατεία Ελευθερίας. */
static const char points[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Πλατεία Ελευθερίας\",\"kind\":\"bench\",\"n\":1},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[23.5475,41.0880]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Οδός Μεραρχίας\",\"kind\":\"bench\",\"n\":2},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[23.5490,41.0890]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Άγιοι Θεόδωροι\",\"kind\":\"bench\",\"n\":3},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[23.5500,41.0870]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Κουλάς\",\"kind\":\"ramp\",\"n\":4},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[23.5700,41.0950]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Πάρκο Ειρήνης\",\"kind\":\"ramp\",\"n\":5},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[23.5750,41.0960]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Σταθμός\",\"kind\":\"ramp\",\"n\":6},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[23.5800,41.0970]}}]}";
#define NPOINTS 6

static void import(const char *name, const char *file, const char *extra)
{
    char *out;
    if (h_run(&out, "'%s' import '%s' --as %s %s 2>&1", h_env("POLIS_BIN"), file, name, extra))
        h_fatal("the layer could not be imported: %s", out);
    free(out);
}

/* GET the download as u with query; on 200 the body is saved to
 * tmp/<file> and its path returned (static), else NULL. */
static const char *download(const struct ha_user *u, const char *l, const char *query,
                            const char *file, struct h_resp *r)
{
    static char path[700];
    char url[1024];
    snprintf(url, sizeof url, "/api/v1/layers/%s/download?%s", l, query);
    ha_call(&s, u, "GET", url, NULL, r);
    if (r->status != 200)
        return NULL;
    snprintf(path, sizeof path, "%s/%s", tmp, file);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(r->body, 1, r->len, f) != r->len)
        h_fatal("cannot write %s", path);
    fclose(f);
    return path;
}

/* Opens path with GDAL; its first layer's feature count (-1 when it cannot
 * be opened) and, when epsg is not NULL, its CRS's EPSG code (0: none). */
static long count_features(const char *path, int *epsg)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds)
        return -1;
    OGRLayerH l = GDALDatasetGetLayer(ds, 0);
    long n = l ? (long)OGR_L_GetFeatureCount(l, 1) : -1;
    if (epsg) {
        OGRSpatialReferenceH srs = l ? OGR_L_GetSpatialRef(l) : NULL;
        if (srs)
            OSRAutoIdentifyEPSG(srs);
        const char *code = srs ? OSRGetAuthorityCode(srs, NULL) : NULL;
        *epsg = code ? atoi(code) : 0;
    }
    GDALClose(ds);
    return n;
}

static void every_format(void)
{
    static const struct {
        const char *format, *file, *type, *open; /* open: the path GDAL opens, %s the file */
        int has_crs;
    } f[] = {
        {"gpkg", "a.gpkg", "application/geopackage+sqlite3", "%s", 1},
        {"shp", "a.zip", "application/zip", "/vsizip/%s", 1},
        {"geojson", "a.geojson", "application/geo+json", "%s", 1},
        {"csv", "a.csv", "text/csv", "%s", 0},
        {"kml", "a.kml", "application/vnd.google-earth.kml+xml", "%s", 1},
        {"fgb", "a.fgb", "application/flatgeobuf", "%s", 1},
        {"dxf", "a.dxf", "image/vnd.dxf", "%s", 0},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        struct h_resp r;
        char q[64];
        snprintf(q, sizeof q, "format=%s", f[i].format);
        const char *path = download(NULL, layer, q, f[i].file, &r);
        CHECK(path != NULL, "%s: expected 200, found %ld %.300s", f[i].format, r.status, r.body);
        if (path) {
            CHECK_STR(f[i].format, r.media_type, f[i].type);
            char *cd = h_resp_header(&r, "content-disposition");
            char want[160];
            snprintf(want, sizeof want, "attachment; filename=\"%s.%s\"", layer,
                     strchr(f[i].file, '.') + 1);
            CHECK_STR("content-disposition", cd, want);
            free(cd);
            char open[800];
            snprintf(open, sizeof open, f[i].open, path);
            int epsg = 0;
            long n = count_features(open, &epsg);
            CHECK(n == NPOINTS, "%s: GDAL counts %ld features in the file, the layer has %d",
                  f[i].format, n, NPOINTS);
            if (f[i].has_crs)
                CHECK(epsg == 4326, "%s: the file's CRS is EPSG:%d, expected 4326 (the default)",
                      f[i].format, epsg);
        }
        h_resp_free(&r);
    }
    /* CSV of points: X and Y columns */
    struct h_resp r;
    download(NULL, layer, "format=csv", "b.csv", &r);
    CHECK(r.status == 200 && !strncmp(r.body, "X,Y,", 4), "a CSV of points starts with X,Y: %.200s",
          r.body);
    h_resp_free(&r);
}

/* The file's fid 1 (Πλατεία Ελευθερίας) within 1 m of PostGIS's EPSG:2100 point. */
static void greek_grid(const char *format, const char *file, const char *open_fmt)
{
    struct h_resp r;
    char q[80], open[800];
    snprintf(q, sizeof q, "format=%s&crs=EPSG:2100", format);
    const char *path = download(NULL, layer, q, file, &r);
    CHECK(path != NULL, "%s in EPSG:2100: %ld %.300s", format, r.status, r.body);
    h_resp_free(&r);
    if (!path)
        return;
    snprintf(open, sizeof open, open_fmt, path);
    int epsg = 0;
    CHECK_INT("features in EPSG:2100", count_features(open, &epsg), NPOINTS);
    CHECK_INT("the file's CRS", epsg, 2100);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT ST_X(g) || ' ' || ST_Y(g) FROM (SELECT ST_Transform(geom,"
             " 2100) g FROM layers.%s WHERE name = 'Πλατεία Ελευθερίας') x", layer);
    char *v = h_pg_value(db, sql, 0, NULL);
    double px = 0, py = 0;
    CHECK(v && sscanf(v, "%lf %lf", &px, &py) == 2, "PostGIS's point: %s", v ? v : "(none)");
    free(v);
    GDALDatasetH ds = GDALOpenEx(open, GDAL_OF_VECTOR, NULL, NULL, NULL);
    OGRLayerH l = ds ? GDALDatasetGetLayer(ds, 0) : NULL;
    int found = 0;
    OGRFeatureH ft;
    while (l && (ft = OGR_L_GetNextFeature(l))) {
        int idx = OGR_F_GetFieldIndex(ft, "name");
        if (idx >= 0 && !strcmp(OGR_F_GetFieldAsString(ft, idx), "Πλατεία Ελευθερίας")) {
            OGRGeometryH g = OGR_F_GetGeometryRef(ft);
            double dx = OGR_G_GetX(g, 0) - px, dy = OGR_G_GetY(g, 0) - py;
            CHECK(sqrt(dx * dx + dy * dy) < 1.0,
                  "%s: Πλατεία Ελευθερίας at %.2f %.2f, PostGIS says %.2f %.2f", format,
                  OGR_G_GetX(g, 0), OGR_G_GetY(g, 0), px, py);
            found = 1;
        }
        OGR_F_Destroy(ft);
    }
    CHECK(found, "%s: no feature named Πλατεία Ελευθερίας (the Greek text did not survive)", format);
    if (ds)
        GDALClose(ds);
}

static void shapefile_zip(void)
{
    struct h_resp r;
    const char *path = download(NULL, layer, "format=shp", "c.zip", &r);
    h_resp_free(&r);
    if (!path)
        return;
    char zip[800];
    snprintf(zip, sizeof zip, "/vsizip/%s", path);
    char **names = VSIReadDir(zip);
    int cpg = 0, prj = 0, shp = 0, dbf = 0;
    for (int i = 0; names && names[i]; i++) {
        const char *dot = strrchr(names[i], '.');
        cpg += dot && !strcmp(dot, ".cpg");
        prj += dot && !strcmp(dot, ".prj");
        shp += dot && !strcmp(dot, ".shp");
        dbf += dot && !strcmp(dot, ".dbf");
    }
    CSLDestroy(names);
    CHECK(cpg == 1 && prj == 1 && shp == 1 && dbf == 1,
          "the zip holds %d .shp, %d .dbf, %d .cpg, %d .prj; expected one each", shp, dbf, cpg,
          prj);
    greek_grid("shp", "d.zip", "/vsizip/%s");
}

static void cut(void)
{
    static const struct {
        const char *query, *file;
        long expected;
    } c[] = {
        {"format=geojson&bbox=23.54,41.08,23.56,41.09", "cut1.geojson", 3},
        {"format=geojson&bbox=23.56,41.09,23.60,41.10", "cut2.geojson", 3},
        {"format=gpkg&bbox=41.08,23.54,41.09,23.56&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326",
         "cut3.gpkg", 3},
        {"format=geojson&filter=kind%3D%27ramp%27%20AND%20n%3E4", "cut4.geojson", 2},
        {"format=fgb&filter=n%3C%3D1", "cut5.fgb", 1},
        {"format=gpkg&bbox=23.54,41.08,23.56,41.09&filter=n%3E1", "cut6.gpkg", 2},
        {"format=gpkg&bbox=461800,4548200,461990,4548500&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/2100",
         "cut7.gpkg", 2},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        struct h_resp r;
        const char *path = download(NULL, layer, c[i].query, c[i].file, &r);
        CHECK(path != NULL, "%s: %ld %.300s", c[i].query, r.status, r.body);
        if (path) {
            long n = count_features(path, NULL);
            CHECK(n == c[i].expected, "%s: %ld features, expected %ld", c[i].query, n,
                  c[i].expected);
        }
        h_resp_free(&r);
    }
}

static void staff_only(const struct ha_user *staff, const struct ha_user *citizen)
{
    struct h_resp r;
    download(NULL, staff_layer, "format=gpkg", "s.gpkg", &r);
    CHECK_INT("a staff-only layer, anonymous", r.status, 404);
    h_resp_free(&r);
    download(citizen, staff_layer, "format=gpkg", "s.gpkg", &r);
    CHECK_INT("a staff-only layer, citizen", r.status, 404);
    h_resp_free(&r);
    download(NULL, "no_such_layer_anywhere", "format=gpkg", "s.gpkg", &r);
    CHECK_INT("an unknown layer", r.status, 404);
    h_resp_free(&r);
    const char *path = download(staff, staff_layer, "format=gpkg", "s.gpkg", &r);
    CHECK_INT("a staff-only layer, staff", r.status, 200);
    h_resp_free(&r);
    if (path)
        CHECK_INT("the staff-only layer's features", count_features(path, NULL), NPOINTS);
}

static void bad_input(void)
{
    struct h_resp r;
    download(NULL, layer, "format=xlsx", "x", &r);
    CHECK_PROBLEM("an unknown format", &r, 400, "format");
    CHECK_HAS("the formats named", r.body, "gpkg, shp, geojson, csv, kml, fgb, dxf");
    CHECK_HAS("the format found", r.body, "xlsx");
    h_resp_free(&r);
    download(NULL, layer, "crs=EPSG:2100", "x", &r);
    CHECK_PROBLEM("no format", &r, 400, "format");
    h_resp_free(&r);
    download(NULL, layer, "format=gpkg&crs=2100", "x", &r);
    CHECK_PROBLEM("crs not EPSG:n", &r, 400, "crs");
    CHECK_HAS("what crs expects", r.body, "EPSG:n");
    h_resp_free(&r);
    download(NULL, layer, "format=gpkg&crs=EPSG:123456", "x", &r);
    CHECK_PROBLEM("an EPSG code PROJ does not know", &r, 400, "crs");
    CHECK_HAS("the crs found", r.body, "EPSG:123456");
    h_resp_free(&r);
    download(NULL, layer, "format=kml&crs=EPSG:2100", "x", &r);
    CHECK_PROBLEM("KML in EPSG:2100", &r, 400, "crs");
    h_resp_free(&r);
    download(NULL, layer, "format=gpkg&bbox=1,2,3", "x", &r);
    CHECK_PROBLEM("a bbox of three numbers", &r, 400, "bbox");
    h_resp_free(&r);
    download(NULL, layer, "format=gpkg&filter=colour%3D%27red%27", "x", &r);
    CHECK_PROBLEM("a filter on an unknown property", &r, 400, "filter");
    h_resp_free(&r);
    download(NULL, layer, "format=gpkg&limit=3", "x", &r);
    CHECK_PROBLEM("an unknown parameter", &r, 400, "limit");
    h_resp_free(&r);
}

static void catalogue_links(void)
{
    struct h_resp r;
    ha_call(&s, NULL, "GET", "/api/v1/layers", NULL, &r);
    json_t *downloads = NULL;
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(r.json, "layers"), i, l)
        if (!strcmp(json_string_value(json_object_get(l, "name")) ?: "", layer))
            downloads = json_object_get(l, "downloads");
    CHECK(json_array_size(downloads) == 7, "the catalogue lists %zu downloads for the layer",
          json_array_size(downloads));
    char want[200];
    snprintf(want, sizeof want, "/api/v1/layers/%s/download?format=shp", layer);
    CHECK_STR("the Shapefile's link",
              json_string_value(json_object_get(json_array_get(downloads, 1), "href")), want);
    h_resp_free(&r);
}

/* Sends GET path on a raw connection and leaves it unread; returns the socket. */
static int request_and_hold(const char *path)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s.port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a))
        h_fatal("cannot connect to the server");
    char req[512];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", path);
    if (write(fd, req, (size_t)n) != n)
        h_fatal("cannot send %s", path);
    return fd;
}

/* While one download waits on a lock of its table (so it surely holds the
 * only slot, POLIS_DOWNLOADS_MAX=1), another is 503 with Retry-After; once
 * that client has gone and the lock is released, downloads work again. */
static void busy_then_gone(void)
{
    PGconn *locker = h_pg_connect(h_shared_dburl());
    char sql[200];
    snprintf(sql, sizeof sql, "BEGIN; LOCK TABLE layers.%s IN ACCESS EXCLUSIVE MODE", layer);
    PGresult *res = PQexec(locker, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        h_fatal("%s: %s", sql, PQresultErrorMessage(res));
    PQclear(res);
    char path[200];
    snprintf(path, sizeof path, "/api/v1/layers/%s/download?format=gpkg", layer);
    int held = request_and_hold(path);
    static const char waiting_sql[] =
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT l.granted"
        " AND n.nspname = 'layers' AND c.relname = $1";
    const char *const args[] = {layer};
    long waiting = 0;
    for (long long deadline = h_now_ms() + 30000; waiting < 1 && h_now_ms() < deadline;) {
        char *v = h_pg_value(db, waiting_sql, 1, args);
        waiting = v ? atol(v) : 0;
        free(v);
        if (waiting < 1)
            h_sleep_ms(50);
    }
    CHECK(waiting == 1, "the first download's export never waited on the table's lock");
    struct h_resp r;
    download(NULL, layer, "format=geojson", "busy.geojson", &r);
    CHECK_PROBLEM("a second download while one is made", &r, 503, NULL);
    CHECK_HAS("503 names the setting", r.body, "POLIS_DOWNLOADS_MAX");
    char *retry = h_resp_header(&r, "retry-after");
    CHECK(retry != NULL, "503 without Retry-After");
    free(retry);
    h_resp_free(&r);
    close(held); /* the first client leaves */
    res = PQexec(locker, "COMMIT");
    PQclear(res);
    PQfinish(locker);
    long status = 0;
    for (long long deadline = h_now_ms() + 30000; status != 200 && h_now_ms() < deadline;) {
        download(NULL, layer, "format=geojson", "again.geojson", &r);
        status = r.status;
        h_resp_free(&r);
        if (status == 503)
            h_sleep_ms(100);
    }
    CHECK_INT("a download after the client that held the slot left", status, 200);
}

static void nothing_left(void)
{
    char dir[700];
    snprintf(dir, sizeof dir, "%s/downloads", var);
    DIR *d = opendir(dir);
    int left = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        left += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    CHECK(d != NULL, "the server made no %s", dir);
    CHECK_INT("files left in POLIS_VAR/downloads", left, 0);
}

int main(void)
{
    h_init("test_layer_download", 240);
    GDALAllRegister();
    const char *url = h_shared_dburl();
    h_use_database(url);
    db = h_pg_connect(url);
    snprintf(tmp, sizeof tmp, "%s", h_temp_dir("layer_download"));
    snprintf(var, sizeof var, "%s/var", tmp);
    snprintf(layer, sizeof layer, "dl%ld_points", (long)getpid());
    snprintf(staff_layer, sizeof staff_layer, "dl%ld_staff", (long)getpid());
    char file[600];
    snprintf(file, sizeof file, "%s/points.geojson", tmp);
    FILE *f = fopen(file, "w");
    if (!f || fputs(points, f) < 0 || fclose(f))
        h_fatal("cannot write %s", file);
    import(layer, file, "");
    import(staff_layer, file, "--staff");

    static const struct ha_member members[] = {{"dl-staff", "staff", "cleaning"},
                                               {"dl-citizen", "citizen", NULL}};
    struct ha_user users[2];
    char env_var[700];
    snprintf(env_var, sizeof env_var, "POLIS_VAR=%s", var);
    const char *env[] = {env_var, "POLIS_DOWNLOADS_MAX=1", NULL};
    if (ha_world_start(&s, db, env, members, 2, users) == 0) {
        every_format();
        greek_grid("gpkg", "g.gpkg", "%s");
        shapefile_zip();
        cut();
        staff_only(&users[0], &users[1]);
        bad_input();
        catalogue_links();
        busy_then_gone();
        nothing_left();
    }
    char sql[400];
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS layers.%s, layers.%s; DELETE FROM"
             " layer_catalogue WHERE name IN ('%s', '%s')", layer, staff_layer, layer, staff_layer);
    h_owner_exec(url, sql);
    PQfinish(db);
    return h_finish();
}
