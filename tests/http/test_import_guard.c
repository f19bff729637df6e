/* What an uploaded layer (POST /api/v1/layers) or `polis import FILE` may
 * make GDAL do, tried the way an attacker would:
 *
 *   - a VRT, a WFS capabilities document and a VRT reading a /vsicurl/ URL,
 *     each written as x.geojson, are refused (upload: 415 naming the format,
 *     no job; CLI: a message naming it), and what they point to is never
 *     touched: the local file they reference is watched with inotify (no
 *     open, no read), the URL is a socket of this test that nobody connects
 *     to. Each watch is first shown to catch a real open or connection;
 *   - a /vsicurl/ path, a PG: connection string and a URL given to
 *     `polis import` are refused without a connection;
 *   - a WFS GetFeature answer (GML whose schemaLocation asks the WFS for
 *     its schema) imports as GML without GDAL fetching the schema;
 *   - a .kmz bomb (30 MB of KML in 30 KB) is refused with
 *     POLIS_IMPORT_MAX_UNZIPPED_MB=10, also when its central directory
 *     declares 100 bytes and when it is a zip named .geojson;
 *   - an import child that crashes (SIGSEGV, set off on demand by the
 *     test-only POLIS_TEST_IMPORT_CRASH) or runs out of memory (a real
 *     GeoJSON that needs more than POLIS_IMPORT_MAX_MEMORY_MB=400) fails its
 *     job, naming the file and how it ended; the server keeps answering
 *     and the next import succeeds. */
#include "h_accounts.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BOUNDARY "polis-guard-7f3a"

static char tmp[200];

/* ---- watches: a local file nobody may open, a port nobody may reach ---- */

static int watch_fd, listen_fd, listen_port;

/* 1 when the watched file was opened or read since the last call */
static int file_touched(void)
{
    char buf[4096];
    int n = 0;
    while (read(watch_fd, buf, sizeof buf) > 0)
        n++;
    return n > 0;
}

/* how many connections reached the port since the last call */
static int connections(void)
{
    int n = 0, c;
    while ((c = accept(listen_fd, NULL, NULL)) >= 0) {
        n++;
        close(c);
    }
    return n;
}

static void watches_start(const char *watched)
{
    watch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (watch_fd < 0 || inotify_add_watch(watch_fd, watched, IN_OPEN | IN_ACCESS) < 0)
        h_fatal("inotify on %s: %s", watched, strerror(errno));
    listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&a, sizeof a) ||
        listen(listen_fd, 64) || getsockname(listen_fd, (struct sockaddr *)&a, &alen))
        h_fatal("listening socket: %s", strerror(errno));
    listen_port = ntohs(a.sin_port);
    /* the watches see a real open and a real connection */
    int fd = open(watched, O_RDONLY);
    char c;
    CHECK(fd >= 0 && read(fd, &c, 1) == 1, "reading %s", watched);
    close(fd);
    CHECK(file_touched(), "control: inotify sees the watched file being read");
    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(connect(s, (struct sockaddr *)&a, sizeof a) == 0, "control: connecting to port %d",
          listen_port);
    close(s);
    CHECK_INT("control: connections seen on the watched port", connections(), 1);
}

static void nothing_reached(const char *what)
{
    CHECK(!file_touched(), "%s: the local file it references must not be opened", what);
    CHECK_INT(what, connections(), 0);
}

/* ---- files ---- */

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f))
        h_fatal("writing %s", path);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        h_fatal("reading %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    if (!p || fread(p, 1, (size_t)n, f) != (size_t)n)
        h_fatal("reading %s", path);
    fclose(f);
    p[n] = '\0';
    *len = (size_t)n;
    return p;
}

/* The central directory and local header of a one-entry zip say the entry
 * unpacks to 100 bytes, whatever it really holds. */
static void forge_sizes(const char *from, const char *to)
{
    size_t len;
    unsigned char *z = (unsigned char *)read_file(from, &len);
    for (size_t i = len - 4; i > 0; i--)
        if (!memcmp(z + i, "PK\x01\x02", 4)) {
            memcpy(z + i + 24, "\x64\0\0\0", 4);
            break;
        }
    if (!memcmp(z, "PK\x03\x04", 4))
        memcpy(z + 22, "\x64\0\0\0", 4);
    write_file(to, (char *)z, len);
    free(z);
}

/* ---- uploads ---- */

/* POST /api/v1/layers with a file part, a name field and (for a .csv of
 * points) srs=EPSG:4326. */
static void upload(const struct h_server *s, const struct ha_user *u, const char *file_name,
                   const char *data, size_t len, const char *layer, struct h_resp *r)
{
    size_t cap = len + 1024, n = 0;
    char *body = malloc(cap);
    if (!body)
        h_fatal("out of memory");
    if (strstr(file_name, ".csv"))
        n += (size_t)snprintf(body, cap, "--" BOUNDARY "\r\nContent-Disposition: form-data; "
                              "name=\"srs\"\r\n\r\nEPSG:4326\r\n");
    n += (size_t)snprintf(body + n, cap - n,
                          "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n"
                          "%s\r\n--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; "
                          "filename=\"%s\"\r\nContent-Type: application/octet-stream\r\n\r\n",
                          layer, file_name);
    memcpy(body + n, data, len);
    n += len;
    n += (size_t)snprintf(body + n, cap - n, "\r\n--" BOUNDARY "--\r\n");
    ha_upload(s, u, "/api/v1/layers", "multipart/form-data; boundary=" BOUNDARY, body, n, r);
    free(body);
}

/* jobs of this run (created by its staff user) for file_name */
static long jobs_for(PGconn *db, const struct ha_user *u, const char *file_name)
{
    char uid[24];
    snprintf(uid, sizeof uid, "%ld", u->id);
    const char *p[] = {file_name, uid};
    char *v = h_pg_value(db, "SELECT count(*) FROM jobs WHERE file_name = $1 AND created_by = "
                         "$2::bigint", 2, p);
    long n = v ? atol(v) : -1;
    free(v);
    return n;
}

/* An upload refused for its format: 415 naming it, and no job. */
static void upload_refused(const struct h_server *s, const struct ha_user *u, PGconn *db,
                           const char *what, const char *file_name, const char *data,
                           const char *driver)
{
    struct h_resp r;
    upload(s, u, file_name, data, strlen(data), "guard_refused", &r);
    CHECK_PROBLEM(what, &r, 415, "file");
    CHECK_HAS(what, r.body, driver);
    CHECK_HAS(what, r.body, "GeoJSON, GeoJSONSeq, GeoPackage"); /* what is accepted */
    h_resp_free(&r);
    CHECK_INT("jobs created for a refused upload", jobs_for(db, u, file_name), 0);
    nothing_reached(what);
}

/* Uploads and waits for the job to end; returns its JSON (owned). */
static json_t *upload_job(const struct h_server *s, const struct ha_user *u, const char *file_name,
                          const char *data, size_t len, const char *layer)
{
    struct h_resp r;
    upload(s, u, file_name, data, len, layer, &r);
    CHECK(r.status == 202, "upload %s: expected 202, found %ld %.300s", file_name, r.status,
          r.body);
    char path[96] = "";
    const char *url = json_string_value(json_object_get(r.json, "url"));
    if (url)
        snprintf(path, sizeof path, "%s", url);
    h_resp_free(&r);
    long long deadline = h_now_ms() + 120000;
    while (path[0]) {
        ha_call(s, u, "GET", path, NULL, &r);
        const char *st = json_string_value(json_object_get(r.json, "status"));
        if (r.status != 200 || !st || (strcmp(st, "queued") && strcmp(st, "running")) ||
            h_now_ms() > deadline) {
            CHECK(st && strcmp(st, "queued") && strcmp(st, "running"),
                  "%s: expected the job to end within 120 s, found %ld %.300s", path, r.status,
                  r.body);
            json_t *j = json_incref(r.json);
            h_resp_free(&r);
            return j;
        }
        h_resp_free(&r);
        h_sleep_ms(200);
    }
    return NULL;
}

static const char *job_status(json_t *j)
{
    const char *s = json_string_value(json_object_get(j, "status"));
    return s ? s : "(none)";
}

static const char *job_error(json_t *j)
{
    const char *s = json_string_value(json_object_get(json_object_get(j, "result"), "error"));
    return s ? s : "";
}

static void job_failed_with(json_t *j, const char *what, const char *needle, const char *needle2)
{
    CHECK(!strcmp(job_status(j), "failed"), "%s: expected the job failed, found %s (%s)", what,
          job_status(j), job_error(j));
    CHECK_HAS(what, job_error(j), needle);
    if (needle2)
        CHECK_HAS(what, job_error(j), needle2);
    json_decref(j);
}

/* The server answers and an ordinary upload still imports. */
static void server_still_works(const struct h_server *s, const struct ha_user *u, const char *csv,
                               const char *layer, const char *after)
{
    struct h_resp r;
    h_get(s, "/healthz", &r);
    CHECK(r.status == 200, "after %s: /healthz expected 200, found %ld", after, r.status);
    h_resp_free(&r);
    json_t *j = upload_job(s, u, "points.csv", csv, strlen(csv), layer);
    CHECK(!strcmp(job_status(j), "succeeded"), "after %s: the next upload expected succeeded, "
          "found %s (%s)", after, job_status(j), job_error(j));
    json_decref(j);
}

/* `polis import ARGS`: expects a non-zero exit and a message holding needle. */
static void cli_refused(const char *what, const char *env, const char *args, const char *needle)
{
    char *out;
    /* a GDAL waiting on the test's silent socket would hang: 60 s is plenty */
    int rc = h_run(&out, "%s timeout 60 '%s' import %s --as guard_cli 2>&1", env ? env : "",
                 h_env("POLIS_BIN"), args);
    CHECK(rc != 0, "polis import, %s: expected a non-zero exit, found 0: %s", what, out);
    CHECK_HAS(what, out, needle);
    free(out);
    nothing_reached(what);
}

int main(void)
{
    h_init("test_import_guard", 280);
    const char *url = h_shared_dburl();
    h_use_database(url);
    PGconn *db = h_pg_connect(url);
    snprintf(tmp, sizeof tmp, "/tmp/polis_guard_%d", (int)getpid());
    char cmd[2048], *out, path[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s/var'", tmp, tmp);
    CHECK(system(cmd) == 0, "%s", cmd);

    /* the file a VRT points at, and the port the WFS documents name */
    char watched[300];
    snprintf(watched, sizeof watched, "%s/secret.geojson", tmp);
    static const char secret[] =
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
        "{\"pin\":\"1234\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[23.5,41.1]}}]}";
    write_file(watched, secret, sizeof secret - 1);
    watches_start(watched);

    char vrt[1024], vrt_remote[1024], wfs[2048], wfs_answer[2048];
    snprintf(vrt, sizeof vrt, "<OGRVRTDataSource><OGRVRTLayer name=\"secret\"><SrcDataSource>%s"
             "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>\n", watched);
    snprintf(vrt_remote, sizeof vrt_remote, "<OGRVRTDataSource><OGRVRTLayer name=\"x\">"
             "<SrcDataSource>/vsicurl/http://127.0.0.1:%d/x.geojson</SrcDataSource>"
             "</OGRVRTLayer></OGRVRTDataSource>\n", listen_port);
    snprintf(wfs, sizeof wfs,
             "<?xml version=\"1.0\"?>\n<wfs:WFS_Capabilities version=\"1.1.0\" "
             "xmlns:wfs=\"http://www.opengis.net/wfs\" xmlns:ows=\"http://www.opengis.net/ows\">"
             "<ows:OperationsMetadata><ows:Operation name=\"GetFeature\"><ows:DCP><ows:HTTP>"
             "<ows:Get href=\"http://127.0.0.1:%d/wfs?\"/></ows:HTTP></ows:DCP></ows:Operation>"
             "</ows:OperationsMetadata><FeatureTypeList><FeatureType><Name>x</Name>"
             "<DefaultSRS>EPSG:4326</DefaultSRS></FeatureType></FeatureTypeList>"
             "</wfs:WFS_Capabilities>\n", listen_port);
    snprintf(wfs_answer, sizeof wfs_answer,
             "<?xml version=\"1.0\"?>\n<wfs:FeatureCollection "
             "xmlns:wfs=\"http://www.opengis.net/wfs\""
             " xmlns:gml=\"http://www.opengis.net/gml\" xmlns:ns=\"http://example.org/ns\""
             " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation="
             "\"http://example.org/ns http://127.0.0.1:%d/wfs?SERVICE=WFS&amp;VERSION=1.0.0&amp;"
             "REQUEST=DescribeFeatureType&amp;TYPENAME=ns:school\"><gml:featureMember><ns:school>"
             "<ns:name>Σχολείο</ns:name><ns:geom><gml:Point srsName=\"EPSG:4326\"><gml:coordinates>"
             "23.55,41.09</gml:coordinates></gml:Point></ns:geom></ns:school></gml:featureMember>"
             "</wfs:FeatureCollection>\n", listen_port);

    /* ---- 1. polis import ---- */
    snprintf(path, sizeof path, "%s/vrt.geojson", tmp);
    write_file(path, vrt, strlen(vrt));
    snprintf(cmd, sizeof cmd, "'%s'", path);
    cli_refused("a VRT written as .geojson", NULL, cmd, "OGR_VRT");
    snprintf(path, sizeof path, "%s/wfs.geojson", tmp);
    write_file(path, wfs, strlen(wfs));
    snprintf(cmd, sizeof cmd, "'%s'", path);
    cli_refused("a WFS capabilities document written as .geojson", NULL, cmd, "WFS");
    snprintf(path, sizeof path, "%s/remote.geojson", tmp);
    write_file(path, vrt_remote, strlen(vrt_remote));
    snprintf(cmd, sizeof cmd, "'%s'", path);
    cli_refused("a VRT reading /vsicurl/, written as .geojson", NULL, cmd, "OGR_VRT");
    snprintf(cmd, sizeof cmd, "'/vsicurl/http://127.0.0.1:%d/x.geojson'", listen_port);
    cli_refused("a /vsicurl/ path", NULL, cmd, "virtual file systems");
    snprintf(cmd, sizeof cmd, "'http://127.0.0.1:%d/x.geojson'", listen_port);
    cli_refused("a URL", NULL, cmd, "connection strings and URLs");
    snprintf(cmd, sizeof cmd, "'PG:host=127.0.0.1 port=%d dbname=x'", listen_port);
    cli_refused("a PG: connection string", NULL, cmd, "connection strings and URLs");

    /* ---- 2. the same through the upload API ---- */
    static char var_env[300];
    snprintf(var_env, sizeof var_env, "POLIS_VAR=%s/var", tmp);
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000", var_env,
                         "POLIS_IMPORT_MAX_UNZIPPED_MB=10", "POLIS_IMPORT_MAX_MEMORY_MB=400",
                         "POLIS_TEST_IMPORT_CRASH=crash_me", NULL};
    struct h_server s;
    if (h_server_start(&s, url, env) != 0)
        return h_finish();
    struct ha_user staff;
    if (ha_new_user(&s, db, "guard-staff", &staff))
        return h_finish();
    ha_set_role(db, &staff, "staff", "cleaning");

    upload_refused(&s, &staff, db, "upload: a VRT written as .geojson", "guard_vrt.geojson", vrt,
                   "OGR_VRT");
    upload_refused(&s, &staff, db, "upload: a WFS capabilities document written as .geojson",
                   "guard_wfs.geojson", wfs, "WFS");
    upload_refused(&s, &staff, db, "upload: a VRT reading /vsicurl/, written as .geojson",
                   "guard_remote.geojson", vrt_remote, "OGR_VRT");

    /* a VRT inside a zip: the job fails naming it; the file is not read */
    snprintf(cmd, sizeof cmd, "cd '%s' && cp vrt.geojson a.geojson && zip -q inner.zip a.geojson",
             tmp);
    if (system(cmd) != 0) {
        fprintf(stderr, "SKIPPED: the zip cases: no `zip` command\n");
        return h_finish();
    }
    size_t len;
    snprintf(path, sizeof path, "%s/inner.zip", tmp);
    char *data = read_file(path, &len);
    job_failed_with(upload_job(&s, &staff, "inner.zip", data, len, "guard_inner"),
                    "a VRT inside a zip", "OGR_VRT", "inner.zip");
    free(data);
    nothing_reached("a VRT inside a zip");

    /* a WFS GetFeature answer is GML: imported, its schema not fetched */
    json_t *j = upload_job(&s, &staff, "wfs_answer.gml", wfs_answer, strlen(wfs_answer),
                           "guard_wfs_answer");
    CHECK(!strcmp(job_status(j), "succeeded"), "a WFS GetFeature answer (GML): expected "
          "succeeded, found %s (%s)", job_status(j), job_error(j));
    json_decref(j);
    nothing_reached("a WFS GetFeature answer whose schemaLocation is the WFS");

    /* ---- 3. zip bombs: 30 MB of KML in a .kmz, the limit is 10 MB ---- */
    snprintf(cmd, sizeof cmd, "cd '%s' && (printf '<kml><Document>'; head -c 30000000 /dev/zero "
             "| tr '\\0' ' '; printf '</Document></kml>') > doc.kml && zip -q -9 bomb.kmz doc.kml"
             " && rm doc.kml", tmp);
    CHECK(system(cmd) == 0, "%s", cmd);
    char bomb[300], liar[300];
    snprintf(bomb, sizeof bomb, "%s/bomb.kmz", tmp);
    snprintf(liar, sizeof liar, "%s/liar.kmz", tmp);
    forge_sizes(bomb, liar);
    h_run(&out, "unzip -l '%s'", liar);
    CHECK_HAS("the forged .kmz declares 100 bytes", out, "      100");
    free(out);
    data = read_file(bomb, &len);
    CHECK(len < 200000, "the .kmz bomb is small: %zu bytes", len);
    job_failed_with(upload_job(&s, &staff, "bomb.kmz", data, len, "guard_bomb"),
                    "upload: a .kmz bomb", "zip bomb", "bomb.kmz");
    job_failed_with(upload_job(&s, &staff, "bomb.geojson", data, len, "guard_bomb2"),
                    "upload: a .kmz bomb named .geojson", "zip bomb", "bomb.geojson");
    free(data);
    data = read_file(liar, &len);
    job_failed_with(upload_job(&s, &staff, "liar.kmz", data, len, "guard_liar"),
                    "upload: a .kmz bomb declaring 100 bytes", "zip bomb", "liar.kmz");
    free(data);
    snprintf(cmd, sizeof cmd, "'%s'", liar);
    cli_refused("polis import: a .kmz bomb declaring 100 bytes", "POLIS_IMPORT_MAX_UNZIPPED_MB=10",
                cmd, "zip bomb");

    /* ---- 4. a crashing import child and one out of memory ---- */
    size_t cap = 2500 * 64, n = 0;
    char *csv = malloc(cap);
    n += (size_t)snprintf(csv, cap, "WKT,name\n");
    for (int i = 0; i < 2500 && n < cap; i++)
        n += (size_t)snprintf(csv + n, cap - n, "\"POINT (%.5f %.5f)\",Σέρρες %d\n",
                              23.5 + i * 1e-5, 41.09 + i * 1e-5, i);
    json_t *crashed = upload_job(&s, &staff, "crash_me.csv", csv, n, "guard_crash");
    job_failed_with(crashed, "an import child that crashes", "SIGSEGV", "crash_me.csv");
    const char *lp[] = {"guard_crash"};
    char *exists = h_pg_value(db, "SELECT count(*) FROM layer_catalogue WHERE name = $1", 1, lp);
    CHECK(exists && !strcmp(exists, "0"), "the crashed import left no layer behind");
    free(exists);
    server_still_works(&s, &staff, csv, "guard_after_crash", "a crashed import");

    /* one LineString of a million points: GDAL's GeoJSON reader needs about
     * 600 MB for it; the child may use 400 */
    cap = 1000000 * 24 + 256;
    char *big = malloc(cap);
    n = (size_t)snprintf(big, cap, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
                         "\"Feature\",\"properties\":{\"a\":1},\"geometry\":{\"type\":"
                         "\"LineString\",\"coordinates\":[");
    for (int i = 0; i < 1000000; i++)
        n += (size_t)snprintf(big + n, cap - n, "%s[23.%06d,41.%06d]", i ? "," : "", i, i);
    n += (size_t)snprintf(big + n, cap - n, "]}}]}");
    job_failed_with(upload_job(&s, &staff, "huge_line.geojson", big, n, "guard_oom"),
                    "an import out of memory", "huge_line.geojson", "POLIS_IMPORT_MAX_MEMORY_MB");
    free(big);
    server_still_works(&s, &staff, csv, "guard_after_oom", "an import out of memory");
    free(csv);

    /* clean up the shared database */
    const char *layers[] = {"guard_wfs_answer", "guard_after_crash", "guard_after_oom", NULL};
    for (int i = 0; layers[i]; i++) {
        char sql[300];
        snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS layers.%s; DELETE FROM layer_catalogue "
                 "WHERE name = '%s'", layers[i], layers[i]);
        h_owner_exec(url, sql);
    }
    PQfinish(db);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    return h_finish();
}
