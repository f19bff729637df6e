/* POST /api/v1/layers as a staff member would use it from a browser form:
 * a GeoJSON or a zipped Shapefile uploaded as multipart/form-data becomes a
 * background job (202 + its URL), the job is polled until it ends, and the
 * layer is then served (GET /api/v1/layers, OGC API Features) with its
 * Greek names intact. A file that is not geodata, or a truncated
 * Shapefile, ends as a failed job whose message names the file. Citizens
 * get 403, anonymous callers 401, a body over POLIS_UPLOAD_MAX_MB a 413
 * problem, a JSON body 415, a form without a file 422 naming `file`. While
 * all of Greece imports, /healthz keeps answering: the import is off the
 * event loop. A job left running by a crashed server reads as failed. */
#include "h_accounts.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char var_dir[200], tmp_dir[200], tag[32];

/* POST /api/v1/layers as u (NULL: anonymous) with the parts as
 * multipart/form-data, or, when raw_type is set, raw_len bytes of raw as
 * that Content-Type. */
static void post_upload(const struct h_server *s, const struct ha_user *u,
                        const struct h_part *parts, int nparts, const char *raw_type,
                        const char *raw, size_t raw_len, struct h_resp *r)
{
    char cookie[300], csrf[300];
    const char *headers[4] = {"Expect:", NULL};
    if (u) {
        snprintf(cookie, sizeof cookie, "Cookie: %s=%s", ha_cookie_name(u), u->cookie);
        snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", u->csrf);
        headers[1] = cookie;
        headers[2] = csrf;
    }
    const struct h_req q = {.method = "POST", .path = "/api/v1/layers", .headers = headers,
                            .content_type = raw_type, .data = raw_type ? raw : NULL,
                            .data_len = raw_len, .parts = raw_type ? NULL : parts,
                            .nparts = nparts};
    h_send(s, &q, r);
}

/* Uploads and expects 202 with {id, status, url} and a Location; returns the
 * job's path ("/api/v1/jobs/N", malloc'd) or NULL. */
static char *upload_accepted(const struct h_server *s, const struct ha_user *u,
                             const struct h_part *parts, int nparts, const char *what)
{
    struct h_resp r;
    post_upload(s, u, parts, nparts, NULL, NULL, 0, &r);
    CHECK(r.status == 202, "%s: expected 202, found %ld %.400s", what, r.status, r.body);
    const char *url = json_string_value(json_object_get(r.json, "url"));
    const char *status = json_string_value(json_object_get(r.json, "status"));
    CHECK(json_integer_value(json_object_get(r.json, "id")) > 0, "%s: the answer has an id", what);
    CHECK(status && !strcmp(status, "queued"), "%s: expected status queued, found %s", what,
          status ? status : "none");
    char *loc = h_resp_header(&r, "location");
    CHECK(loc && url && strstr(loc, url), "%s: Location %s should end with the job's url %s",
          what, loc ? loc : "(none)", url ? url : "(none)");
    free(loc);
    char *out = url && !strncmp(url, "/api/v1/jobs/", 13) ? strdup(url) : NULL;
    h_resp_free(&r);
    return out;
}

/* Polls the job as u until it ends (or H_EVENT_DEADLINE_MS); returns its
 * JSON (owned). */
static json_t *wait_job(const struct h_server *s, const struct ha_user *u, const char *path)
{
    long long deadline = h_now_ms() + H_EVENT_DEADLINE_MS;
    while (path) {
        struct h_resp r;
        ha_call(s, u, "GET", path, NULL, &r);
        const char *st = json_string_value(json_object_get(r.json, "status"));
        if (r.status != 200 || !st) {
            CHECK(0, "GET %s: expected 200 with a status, found %ld %.300s", path, r.status,
                  r.body);
            h_resp_free(&r);
            return NULL;
        }
        if (!strcmp(st, "succeeded") || !strcmp(st, "failed") || h_now_ms() > deadline) {
            CHECK(strcmp(st, "queued") && strcmp(st, "running"),
                  "%s: still %s when the test gave up", path, st);
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

/* The layer is listed and its items are served with Greek names intact. */
static void check_served(const struct h_server *s, const char *name, long long expect)
{
    struct h_resp r;
    h_get(s, "/api/v1/layers", &r);
    char quoted[96];
    snprintf(quoted, sizeof quoted, "\"%s\"", name);
    CHECK(r.status == 200 && strstr(r.body, quoted), "GET /api/v1/layers lists %s", name);
    h_resp_free(&r);
    char path[200];
    snprintf(path, sizeof path, "/ogc/collections/%s/items?limit=100", name);
    h_get(s, path, &r);
    CHECK(r.status == 200, "GET %s: expected 200, found %ld %.200s", path, r.status, r.body);
    CHECK_INT(path, json_integer_value(json_object_get(r.json, "numberMatched")), expect);
    CHECK_HAS(path, r.body, "Σερρών");
    h_resp_free(&r);
}

/* 1 when a GET /api/v1/jobs answer holds the job at path */
static int lists(const struct h_resp *r, const char *path)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(r->json, "jobs"), i, v)
    {
        const char *u = json_string_value(json_object_get(v, "url"));
        if (u && path && !strcmp(u, path))
            return 1;
    }
    return 0;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The server removes the upload's directory just after it records the
 * job's end (which the test saw): wait for it to go. */
static void uploads_cleaned(const char *job_path)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/uploads/%s", var_dir, job_path ? strrchr(job_path, '/') + 1 : "x");
    long long end = h_now_ms() + H_EVENT_DEADLINE_MS;
    int gone;
    while (!(gone = !exists(dir)) && h_now_ms() < end)
        h_sleep_ms(20);
    CHECK(gone, "the upload's directory %s is removed once the job ends; it stayed", dir);
}

int main(void)
{
    h_init("test_layer_upload", 240);
    h_require_tool("zip");
    curl_global_init(CURL_GLOBAL_ALL);
    const char *data = h_env("POLIS_DATA");
    const char *url = h_shared_dburl();
    PGconn *db = h_pg_connect(url);
    snprintf(tag, sizeof tag, "up%d", (int)getpid());
    snprintf(var_dir, sizeof var_dir, "/tmp/polis_upload_var_%d", (int)getpid());
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/polis_upload_tmp_%d", (int)getpid());
    mkdir(tmp_dir, 0700);
    /* an upload a crashed server left behind, of a job that is gone */
    char leftover[700];
    snprintf(leftover, sizeof leftover, "mkdir -p %s/uploads/999999999 && touch %s/uploads/"
             "999999999/old.geojson", var_dir, var_dir);
    CHECK(system(leftover) == 0, "%s", leftover);
    snprintf(leftover, sizeof leftover, "%s/uploads/999999999", var_dir);
    static char var_env[260];
    snprintf(var_env, sizeof var_env, "POLIS_VAR=%s", var_dir);
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000", var_env, NULL};
    /* jobs a crashed server left behind: running on a connection that is gone,
     * queued by a server process (on this host) that is gone */
    char host[200] = "localhost", server_label[260], dead_pid[32];
    gethostname(host, sizeof host - 1);
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, NULL, 0);
    snprintf(dead_pid, sizeof dead_pid, "%d", (int)child);
    snprintf(server_label, sizeof server_label, "%s:%s", host, dead_pid);
    const char *lp[] = {server_label};
    char *crashed_running = h_pg_value(
        db, "INSERT INTO jobs (kind, status, started_at, file_name, runner_pid) VALUES "
        "('layer_import', 'running', now(), 'crashed.geojson', 2147483647) RETURNING id", 0, NULL);
    char *crashed_queued = h_pg_value(
        db, "INSERT INTO jobs (kind, file_name, server) VALUES ('layer_import', "
        "'queued.geojson', $1) RETURNING id", 1, lp);
    struct h_server s;
    if (h_server_start(&s, url, env) != 0)
        return h_finish();
    const char *cr[] = {crashed_running ? crashed_running : "0",
                        crashed_queued ? crashed_queued : "0"};
    char *after_start = h_pg_value(db, "SELECT string_agg(status || ':' || (result->>'error'), "
                                   "' | ' ORDER BY id) FROM jobs WHERE id IN ($1, $2)", 2, cr);
    CHECK(after_start && !strncmp(after_start, "failed:", 7) && strstr(after_start, " | failed:") &&
              strstr(after_start, "crashed.geojson") && strstr(after_start, "queued.geojson"),
          "jobs a crashed server left running or queued are failed at start: %s",
          after_start ? after_start : "(none)");
    free(after_start);
    CHECK(!exists(leftover), "a left-over upload (%s) is removed at start", leftover);
    free(crashed_running);
    free(crashed_queued);

    struct ha_user staff, other, citizen, admin;
    if (ha_new_user(&s, db, "upload-staff", &staff) || ha_new_user(&s, db, "upload-other", &other) ||
        ha_new_user(&s, db, "upload-cit", &citizen) || ha_new_user(&s, db, "upload-adm", &admin))
        return h_finish();
    ha_set_role(db, &staff, "staff", "cleaning");
    ha_set_role(db, &other, "staff", "tourism");
    ha_set_role(db, &admin, "admin", NULL);

    /* 1. a GeoJSON: 202, the job succeeds, the layer is served */
    char geojson[400], name[64];
    snprintf(geojson, sizeof geojson, "%s/kallikratis_dimoi_kentriki_makedonia.geojson", data);
    snprintf(name, sizeof name, "%s_dimoi", tag);
    struct h_part p1[] = {{.name = "file", .file_path = geojson},
                        {.name = "name", .value = name},
                        {.name = "title_el", .value = "Δήμοι Κεντρικής Μακεδονίας"},
                        {.name = "visibility", .value = "public"}};
    char *job = upload_accepted(&s, &staff, p1, 4, "GeoJSON upload");
    json_t *j = wait_job(&s, &staff, job);
    CHECK(!strcmp(job_status(j), "succeeded"), "GeoJSON job: expected succeeded, found %s (%s)",
          job_status(j), job_error(j));
    json_t *res = json_object_get(j, "result");
    CHECK_INT("GeoJSON job: result.written", json_integer_value(json_object_get(res, "written")),
              38);
    CHECK_INT("GeoJSON job: progress.read",
              json_integer_value(json_object_get(json_object_get(j, "progress"), "read")), 38);
    json_decref(j);
    check_served(&s, name, 38);
    uploads_cleaned(job);

    /* who sees the job: its creator and admins; others 404, anonymous 401 */
    struct h_resp r;
    ha_call(&s, &admin, "GET", job, NULL, &r);
    CHECK(r.status == 200, "GET %s as admin: expected 200, found %ld", job, r.status);
    h_resp_free(&r);
    ha_call(&s, &other, "GET", job, NULL, &r);
    CHECK(r.status == 404, "GET %s as other staff: expected 404, found %ld", job, r.status);
    h_resp_free(&r);
    ha_call(&s, &citizen, "GET", job, NULL, &r);
    CHECK(r.status == 404, "GET %s as a citizen: expected 404, found %ld", job, r.status);
    h_resp_free(&r);
    ha_call(&s, NULL, "GET", job, NULL, &r);
    CHECK(r.status == 401, "GET %s anonymous: expected 401, found %ld", job, r.status);
    h_resp_free(&r);
    ha_call(&s, &staff, "GET", "/api/v1/jobs", NULL, &r);
    CHECK(r.status == 200 && lists(&r, job), "GET /api/v1/jobs as staff lists %s", job);
    h_resp_free(&r);
    ha_call(&s, &other, "GET", "/api/v1/jobs", NULL, &r);
    CHECK(r.status == 200 && !lists(&r, job),
          "GET /api/v1/jobs as other staff must not list %s", job);
    h_resp_free(&r);
    ha_call(&s, &admin, "GET", "/api/v1/jobs?limit=100", NULL, &r);
    CHECK(r.status == 200 && lists(&r, job), "GET /api/v1/jobs as admin lists %s", job);
    h_resp_free(&r);
    /* the audit log: who uploaded what, in which mode */
    char sid[32];
    snprintf(sid, sizeof sid, "%ld", staff.id);
    const char *ap[] = {name, sid};
    char *audit = h_pg_value(db, "SELECT after->>'mode' FROM audit_log WHERE action = "
                             "'layer.upload' AND entity_id = $1 AND actor_user_id = $2::bigint",
                             2, ap);
    CHECK(audit && !strcmp(audit, "create"), "audit_log has the upload of %s (mode %s)", name,
          audit ? audit : "none");
    free(audit);
    free(job);
    /* the same name again without mode=replace: failed, saying how to replace it */
    job = upload_accepted(&s, &staff, p1, 2, "GeoJSON upload again");
    j = wait_job(&s, &staff, job);
    CHECK(!strcmp(job_status(j), "failed"), "the same layer again: expected failed, found %s",
          job_status(j));
    CHECK_HAS("the same layer again: the error", job_error(j), "mode=replace");
    json_decref(j);
    free(job);
    check_served(&s, name, 38);

    /* 2. a zipped Shapefile (EPSG:2100, CP1253 .cpg), replacing nothing */
    char zip[400], cmd[2000];
    snprintf(zip, sizeof zip, "%s/Δήμοι ΚΜ.zip", tmp_dir);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && zip -q -j '%s' "
             "kallikratis_dimoi_kentriki_makedonia_egsa87.shp "
             "kallikratis_dimoi_kentriki_makedonia_egsa87.shx "
             "kallikratis_dimoi_kentriki_makedonia_egsa87.dbf "
             "kallikratis_dimoi_kentriki_makedonia_egsa87.prj "
             "kallikratis_dimoi_kentriki_makedonia_egsa87.cpg", data, zip);
    if (system(cmd) != 0)
        h_fatal("could not zip the Shapefile: %s", cmd);
    snprintf(name, sizeof name, "%s_shp", tag);
    struct h_part p2[] = {{.name = "file", .file_path = zip}, {.name = "name", .value = name},
                        {.name = "mode", .value = "replace"}};
    job = upload_accepted(&s, &staff, p2, 3, "zipped Shapefile upload");
    j = wait_job(&s, &staff, job);
    CHECK(!strcmp(job_status(j), "succeeded"), "Shapefile job: expected succeeded, found %s "
          "(%s)", job_status(j), job_error(j));
    json_decref(j);
    check_served(&s, name, 38);
    uploads_cleaned(job);
    free(job);

    /* a truncated Shapefile: failed, naming the file */
    char trunc_dir[300], trunc_zip[400];
    snprintf(trunc_dir, sizeof trunc_dir, "%s/trunc", tmp_dir);
    snprintf(trunc_zip, sizeof trunc_zip, "%s/truncated_dimoi.zip", tmp_dir);
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s' && cd '%s' && for e in shx dbf prj cpg; do "
             "cp '%s/kallikratis_dimoi_kentriki_makedonia_egsa87.'$e t.$e; done && "
             "head -c 300000 '%s/kallikratis_dimoi_kentriki_makedonia_egsa87.shp' > t.shp && "
             "zip -q -j '%s' t.shp t.shx t.dbf t.prj t.cpg",
             trunc_dir, trunc_dir, data, data, trunc_zip);
    CHECK(system(cmd) == 0, "building %s", trunc_zip);
    snprintf(name, sizeof name, "%s_trunc", tag);
    struct h_part p3[] = {{.name = "file", .file_path = trunc_zip},
                        {.name = "name", .value = name}};
    job = upload_accepted(&s, &staff, p3, 2, "truncated Shapefile upload");
    j = wait_job(&s, &staff, job);
    CHECK(!strcmp(job_status(j), "failed"), "truncated Shapefile: expected failed, found %s",
          job_status(j));
    CHECK_HAS("truncated Shapefile: the error", job_error(j), "truncated_dimoi.zip");
    CHECK(!strstr(job_error(j), var_dir), "the error must not show the server's directories:"
          " %s", job_error(j));
    json_decref(j);
    uploads_cleaned(job);
    free(job);

    /* 3. not geodata: failed, naming the file */
    static const char junk[] = "these are meeting notes, not a map\n";
    snprintf(name, sizeof name, "%s_junk", tag);
    struct h_part p4[] = {{.name = "file", .data = junk, .len = sizeof junk - 1,
                         .file_name = "notes.geojson"},
                        {.name = "name", .value = name}};
    job = upload_accepted(&s, &staff, p4, 2, "not geodata");
    j = wait_job(&s, &staff, job);
    CHECK(!strcmp(job_status(j), "failed"), "not geodata: expected failed, found %s",
          job_status(j));
    CHECK_HAS("not geodata: the error", job_error(j), "notes.geojson");
    json_decref(j);
    uploads_cleaned(job);
    free(job);

    /* 3b. a CSV of 2500 points (WKT column, no CRS in the file: srs given),
     * more than one progress step of 1000 features */
    size_t csv_cap = 2500 * 64 + 64, csv_len = 0;
    char *csv = malloc(csv_cap);
    csv_len += (size_t)snprintf(csv, csv_cap, "WKT,name\n");
    for (int i = 0; i < 2500; i++)
        csv_len += (size_t)snprintf(csv + csv_len, csv_cap - csv_len,
                                    "\"POINT (%.5f %.5f)\",Σέρρες %d\n", 23.5 + i * 1e-5,
                                    41.09 + i * 1e-5, i);
    snprintf(name, sizeof name, "%s_csv", tag);
    struct h_part pc[] = {{.name = "file", .data = csv, .len = csv_len, .file_name = "σημεία.csv"},
                        {.name = "name", .value = name},
                        {.name = "srs", .value = "EPSG:4326"}};
    job = upload_accepted(&s, &staff, pc, 3, "CSV upload");
    j = wait_job(&s, &staff, job);
    CHECK(!strcmp(job_status(j), "succeeded"), "CSV job: expected succeeded, found %s (%s)",
          job_status(j), job_error(j));
    CHECK_INT("CSV job: progress.read",
              json_integer_value(json_object_get(json_object_get(j, "progress"), "read")), 2500);
    CHECK_INT("CSV job: progress.written",
              json_integer_value(json_object_get(json_object_get(j, "progress"), "written")),
              2500);
    const char *fname = json_string_value(json_object_get(j, "file"));
    CHECK(fname && !strcmp(fname, "simeia.csv"), "the stored file name is transliterated and "
          "safe: expected simeia.csv, found %s", fname ? fname : "(none)");
    json_decref(j);
    uploads_cleaned(job);
    free(job);
    free(csv);

    /* 3c. a CSV whose coordinate columns have Greek names: named with the
     * fields x and y it imports (longitude/latitude ranges: EPSG:4326);
     * without them it fails, saying which fields to send; x alone is 422 */
    static const char greek_csv[] = "Όνομα,Μήκος,Πλάτος\nΔημαρχείο,23.5477,41.0910\n";
    snprintf(name, sizeof name, "%s_xy", tag);
    struct h_part pxy[] = {{.name = "file", .data = greek_csv, .len = sizeof greek_csv - 1,
                            .file_name = "fanoi.csv"},
                           {.name = "name", .value = name},
                           {.name = "x", .value = "Μήκος"},
                           {.name = "y", .value = "Πλάτος"}};
    job = upload_accepted(&s, &staff, pxy, 2, "CSV without x and y");
    j = wait_job(&s, &staff, job);
    CHECK(!strcmp(job_status(j), "failed"), "CSV without x and y: expected failed, found %s",
          job_status(j));
    CHECK_HAS("CSV without x and y: the error", job_error(j), "with the fields x and y");
    CHECK_HAS("CSV without x and y: the columns found", job_error(j), "Όνομα, Μήκος, Πλάτος");
    CHECK(!strstr(job_error(j), "--x"), "the error names the form's fields, not the CLI's: %s",
          job_error(j));
    json_decref(j);
    uploads_cleaned(job);
    free(job);
    job = upload_accepted(&s, &staff, pxy, 4, "CSV with x and y");
    j = wait_job(&s, &staff, job);
    CHECK(!strcmp(job_status(j), "succeeded"), "CSV with x and y: expected succeeded, found %s "
          "(%s)", job_status(j), job_error(j));
    json_decref(j);
    uploads_cleaned(job);
    free(job);
    char xy_sql[256];
    snprintf(xy_sql, sizeof xy_sql, "SELECT round(ST_X(geom)::numeric, 4) || ' ' || "
             "round(ST_Y(geom)::numeric, 4) FROM layers.%s", name);
    char *xy = h_pg_value(db, xy_sql, 0, NULL);
    CHECK_STR("CSV with x and y: the point", xy, "23.5477 41.0910");
    free(xy);
    post_upload(&s, &staff, pxy, 3, NULL, NULL, 0, &r);
    CHECK_PROBLEM("x without y", &r, 422, "y");
    h_resp_free(&r);

    /* 4. who may upload: citizens 403, anonymous 401 */
    struct h_part p5[] = {{.name = "file", .data = junk, .len = sizeof junk - 1,
                         .file_name = "x.geojson"}};
    post_upload(&s, &citizen, p5, 1, NULL, NULL, 0, &r);
    CHECK_PROBLEM("upload as a citizen", &r, 403, NULL);
    h_resp_free(&r);
    post_upload(&s, NULL, p5, 1, NULL, NULL, 0, &r);
    CHECK_PROBLEM("upload anonymous", &r, 401, NULL);
    h_resp_free(&r);

    /* 5. not multipart: 415; no file part: 422 naming file; bad fields: 422 */
    post_upload(&s, &staff, NULL, 0, "application/json", "{}", 2, &r);
    CHECK_PROBLEM("a JSON body", &r, 415, NULL);
    h_resp_free(&r);
    struct h_part p6[] = {{.name = "name", .value = "no_file_here"}};
    post_upload(&s, &staff, p6, 1, NULL, NULL, 0, &r);
    CHECK_PROBLEM("no file part", &r, 422, "file");
    h_resp_free(&r);
    struct h_part p7[] = {{.name = "file", .data = junk, .len = sizeof junk - 1,
                         .file_name = "x.geojson"},
                        {.name = "name", .value = "boundaries"},
                        {.name = "mode", .value = "overwrite"}};
    post_upload(&s, &staff, p7, 3, NULL, NULL, 0, &r);
    CHECK_PROBLEM("a reserved name", &r, 422, "name");
    CHECK_PROBLEM("an unknown mode", &r, 422, "mode");
    h_resp_free(&r);
    static const char truncated[] = "--b\r\nContent-Disposition: form-data; name=\"file\"; "
                                    "filename=\"a.geojson\"\r\n\r\n{\"type\":";
    post_upload(&s, &staff, NULL, 0, "multipart/form-data; boundary=b", truncated,
                sizeof truncated - 1, &r);
    CHECK_PROBLEM("a body without its closing boundary", &r, 400, NULL);
    h_resp_free(&r);

    /* 6. a job a crashed server left running reads as failed */
    const char *cp[] = {sid};
    char *lost = h_pg_value(db, "INSERT INTO jobs (kind, status, created_by, started_at, "
                            "file_name, runner_pid) VALUES ('layer_import', 'running', "
                            "$1::bigint, now(), 'lost.geojson', 2147483647) RETURNING id", 1, cp);
    char lost_path[64];
    snprintf(lost_path, sizeof lost_path, "/api/v1/jobs/%s", lost ? lost : "0");
    free(lost);
    ha_call(&s, &staff, "GET", lost_path, NULL, &r);
    CHECK(r.status == 200, "GET %s: expected 200, found %ld", lost_path, r.status);
    CHECK(!strcmp(job_status(r.json), "failed"), "a job whose server is gone: expected failed, "
          "found %s", job_status(r.json));
    CHECK_HAS("the lost job's error", job_error(r.json), "lost.geojson");
    h_resp_free(&r);

    /* 7. the event loop answers while all of Greece imports */
    char greece[400];
    snprintf(greece, sizeof greece, "%s/kallikratis_dimoi_ellada_egsa87.zip", data);
    snprintf(name, sizeof name, "%s_ellada", tag);
    struct h_part p8[] = {{.name = "file", .file_path = greece}, {.name = "name", .value = name},
                        {.name = "visibility", .value = "staff"}};
    job = upload_accepted(&s, &staff, p8, 3, "all of Greece");
    int ok = 0;
    for (int i = 0; i < 10; i++) {
        h_get(&s, "/healthz", &r);
        ok += r.status == 200;
        h_resp_free(&r);
    }
    CHECK_INT("/healthz answers while an import runs (of 10)", ok, 10);
    j = wait_job(&s, &staff, job);
    CHECK(!strcmp(job_status(j), "succeeded"), "all of Greece: expected succeeded, found %s (%s)",
          job_status(j), job_error(j));
    CHECK(json_integer_value(json_object_get(json_object_get(j, "result"), "written")) > 300,
          "all of Greece: more than 300 municipalities written");
    json_decref(j);
    uploads_cleaned(job);
    free(job);

    /* 8. a body over POLIS_UPLOAD_MAX_MB: 413 problem naming the limit */
    struct h_server small;
    const char *env_small[] = {"POLIS_UPLOAD_MAX_MB=1", var_env, NULL};
    if (h_server_start(&small, url, env_small) == 0) {
        if (ha_login(&small, &staff) == 200) {
            size_t big_len = 2 * 1000 * 1000;
            char *big = malloc(big_len);
            memset(big, ' ', big_len);
            struct h_part p9[] = {{.name = "file", .data = big, .len = big_len,
                                 .file_name = "big.geojson"}};
            post_upload(&small, &staff, p9, 1, NULL, NULL, 0, &r);
            CHECK_PROBLEM("a 2 MB upload with POLIS_UPLOAD_MAX_MB=1", &r, 413, NULL);
            CHECK_HAS("the 413's detail", r.body, "POLIS_UPLOAD_MAX_MB");
            h_resp_free(&r);
            /* the JSON routes keep their own limit (POLIS_MAX_BODY_KB, 1024) */
            size_t json_len = 1500 * 1000;
            memset(big, 'x', json_len);
            memcpy(big, "{\"description\":\"", 16);
            memcpy(big + json_len - 3, "\"}", 3);
            h_post(&small, "/api/v1/reports", "application/json", big, &r);
            CHECK_PROBLEM("a 1.5 MB JSON body", &r, 413, NULL);
            CHECK_HAS("the JSON 413's detail", r.body, "POLIS_MAX_BODY_KB");
            h_resp_free(&r);
            free(big);
        }
    }

    /* 9. SIGTERM while an upload imports: the job ends (succeeded, or failed
     * saying the server stopped), it is not left running */
    snprintf(name, sizeof name, "%s_sigterm", tag);
    struct h_part p10[] = {{.name = "file", .file_path = greece}, {.name = "name", .value = name}};
    job = upload_accepted(&s, &staff, p10, 2, "all of Greece, then SIGTERM");
    kill(s.pid, SIGTERM);
    CHECK(h_server_wait_exit(&s, H_EVENT_DEADLINE_MS / 1000),
          "the server exits after SIGTERM during an import");
    const char *jp[] = {job ? strrchr(job, '/') + 1 : "0"};
    char *end_status = h_pg_value(db, "SELECT status || coalesce(' ' || (result->>'error'), '')"
                                  " FROM jobs WHERE id = $1::bigint", 1, jp);
    CHECK(end_status && (!strncmp(end_status, "succeeded", 9) || !strncmp(end_status, "failed", 6)),
          "after SIGTERM the job has ended: %s", end_status ? end_status : "(none)");
    free(end_status);
    uploads_cleaned(job);
    free(job);

    PQfinish(db);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", tmp_dir, var_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s, %s\n", tmp_dir, var_dir);
    return h_finish();
}
