/* Privacy in the server's own records, as an administrator sees it:
 *  - /metrics answers admins and the POLIS_METRICS_TOKEN scraper only;
 *  - access-log lines show control bytes and invalid UTF-8 escaped;
 *  - orphaned photo files (no row, older than the grace period) are removed
 *    by `polis photos sweep` and when the server starts; a file with a row,
 *    and a young one, are kept; orphaned application files and issued
 *    documents are removed the same way, and one with a row never is.
 * (Who sees which report is test_privacy.c.) */
#include "../unit/photo_fixtures.h"
#include "h_accounts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

enum { CIT_A, STAFF_ROADS, ADMIN, NUSERS };

struct world {
    struct h_server *s;
    PGconn *db;
    struct ha_user u[NUSERS];
    const char *var; /* POLIS_VAR of the server: h_temp_dir */
};

/* ---- /metrics ---- */

static void metrics_access(struct world *w)
{
    struct h_resp r;
    h_get(w->s, "/metrics", &r);
    CHECK_PROBLEM("anonymous GET /metrics", &r, 401, NULL);
    h_resp_free(&r);
    CHECK_INT("a citizen's GET /metrics", ha_status(w->s, &w->u[CIT_A], "GET", "/metrics", NULL),
              403);
    CHECK_INT("staff GET /metrics", ha_status(w->s, &w->u[STAFF_ROADS], "GET", "/metrics", NULL),
              403);
    ha_call_key(w->s, "privacy-test-wrong-token-0000", "GET", "/metrics", NULL, &r);
    CHECK_INT("GET /metrics with a wrong Bearer token", r.status, 401);
    CHECK(!strstr(r.body, "polis_http_requests_total"), "no metrics for a wrong token");
    h_resp_free(&r);
    ha_call_key(w->s, "privacy-test-metrics-token-0123", "GET", "/metrics", NULL, &r);
    CHECK(r.status == 200 && strstr(r.body, "polis_http_requests_total"),
          "GET /metrics with POLIS_METRICS_TOKEN: expected 200 and metrics, found %ld", r.status);
    h_resp_free(&r);
    ha_call(w->s, &w->u[ADMIN], "GET", "/metrics", NULL, &r);
    CHECK(r.status == 200 && strstr(r.body, "polis_http_requests_total"),
          "an admin's GET /metrics: expected 200 and metrics, found %ld", r.status);
    h_resp_free(&r);
}

/* ---- the access log ---- */

static void access_log_escapes(struct world *w)
{
    struct h_resp r;
    int pid = (int)getpid();
    char path[160];
    /* %0a would end the line and forge the next; %1b drives a terminal;
     * %ff is no UTF-8; %ce%b1 is Greek alpha, kept as it is */
    snprintf(path, sizeof path, "/log-%d%%0a2026-01-01T00:00:00Z%%20GET%%20/forged%%20200"
             "%%1b[31m%%ff%%ce%%b1", pid);
    h_get(w->s, path, &r);
    CHECK_INT("GET of a path with control bytes", r.status, 404);
    h_resp_free(&r);
    h_get(w->s, "/healthz", &r); /* the line above is written by now */
    h_resp_free(&r);
    char *log = NULL, want[160];
    snprintf(want, sizeof want, "/log-%d", pid);
    const char *line = NULL;
    for (long long end = h_now_ms() + 5000; h_now_ms() < end && !line; h_sleep_ms(50)) {
        free(log);
        log = h_server_log(w->s);
        line = strstr(log, want);
    }
    CHECK(line != NULL, "the access log has a line for %s", want);
    if (!line) {
        free(log);
        return;
    }
    char one[600];
    snprintf(one, sizeof one, "%.*s", (int)strcspn(line, "\n"), line);
    CHECK(strstr(one, "\\x0a2026-01-01T00:00:00Z GET /forged 200") != NULL,
          "the newline is shown as \\x0a and the forged entry stays on the same line: %s", one);
    CHECK(strstr(one, "\\x1b[31m") != NULL, "ESC is shown as \\x1b: %s", one);
    CHECK(strstr(one, "\\xff") != NULL, "an invalid UTF-8 byte is shown as \\xff: %s", one);
    CHECK(strstr(one, "\xce\xb1") != NULL, "valid UTF-8 (Greek alpha) stays: %s", one);
    CHECK(strstr(one, " 404 ") != NULL, "the line ends with the status: %s", one);
    CHECK(!strchr(one, 0x1b) && !strstr(log, "\n2026-01-01T00:00:00Z GET /forged"),
          "no raw ESC, no forged line in the log");
    free(log);
}

/* ---- orphaned photo files ---- */

/* Sets path's times age_minutes back. */
static void make_old(const char *path, int age_minutes)
{
    struct timeval tv[2];
    gettimeofday(&tv[0], NULL);
    tv[0].tv_sec -= age_minutes * 60L;
    tv[1] = tv[0];
    if (utimes(path, tv))
        h_fatal("utimes %s: %s", path, strerror(errno));
}

static void write_file(const char *path, int age_minutes)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite("data", 1, 4, f) != 4)
        h_fatal("cannot write %s: %s", path, strerror(errno));
    fclose(f);
    make_old(path, age_minutes);
}

/* polis photos sweep on var (grace 60 minutes by default); its exit status. */
static int sweep_now(const char *var, const char *url)
{
    setenv("POLIS_VAR", var, 1);
    const char *argv[] = {"photos", "sweep", NULL};
    int rc = h_polis_wait(h_polis_spawn(url, argv));
    unsetenv("POLIS_VAR");
    return rc;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void orphan_sweep(struct world *w, const char *url)
{
    struct h_resp r;
    ha_call(w->s, &w->u[CIT_A], "POST", "/api/v1/reports",
            "{\"category\":\"roads\",\"lat\":41.07021,\"lon\":23.53021,"
            "\"description\":\"Report whose photo folder is swept\"}", &r);
    CHECK(r.status == 201, "file a report: expected 201, found %ld %.300s", r.status, r.body);
    long id = r.status == 201 ? (long)json_integer_value(json_object_get(r.json, "id")) : 0;
    h_resp_free(&r);
    char dir[160], poi_dir[160], with_row[256], orphan[256], young[256], tmp[256], poi[256];
    snprintf(dir, sizeof dir, "%s/photos/%ld", w->var, id);
    snprintf(poi_dir, sizeof poi_dir, "%s/poi-photos/999999999", w->var);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' '%s'", dir, poi_dir);
    if (system(cmd))
        h_fatal("%s failed", cmd);
    char name[64];
    snprintf(name, sizeof name, "%08x%024d.jpg", (unsigned)getpid(), 1);
    snprintf(with_row, sizeof with_row, "%s/%s", dir, name);
    char ids[32];
    snprintf(ids, sizeof ids, "%ld", id);
    const char *p[] = {ids, name};
    free(h_pg_value(w->db,
                    "INSERT INTO report_photos (report_id, file_name, media_type, bytes, sha256)"
                    " VALUES ($1::bigint, $2, 'image/jpeg', 4, sha256('data')) RETURNING id",
                    2, p));
    snprintf(orphan, sizeof orphan, "%s/%08x%024d.jpg", dir, (unsigned)getpid(), 2);
    snprintf(young, sizeof young, "%s/%08x%024d.png", dir, (unsigned)getpid(), 3);
    snprintf(tmp, sizeof tmp, "%s/.%08x%024d.tmp", dir, (unsigned)getpid(), 4);
    snprintf(poi, sizeof poi, "%s/%08x%024d.webp", poi_dir, (unsigned)getpid(), 5);
    write_file(with_row, 180);
    write_file(orphan, 180);
    write_file(young, 5);
    write_file(tmp, 180);
    write_file(poi, 180);

    CHECK_INT("polis photos sweep exit status", sweep_now(w->var, url), 0);
    CHECK(!exists(orphan), "an orphaned photo (no row, 3 h old) is removed: %s", orphan);
    CHECK(!exists(tmp), "a temporary file left by a crash (3 h old) is removed: %s", tmp);
    CHECK(!exists(poi), "an orphaned POI photo is removed: %s", poi);
    CHECK(exists(with_row), "a photo with a row is kept: %s", with_row);
    CHECK(exists(young), "a young file (an upload in flight) is kept: %s", young);
    char path[160];
    snprintf(path, sizeof path, "/api/v1/reports/%ld", id);
    h_get(w->s, path, &r);
    CHECK(r.status == 200 && json_array_size(json_object_get(
                                 json_object_get(r.json, "properties"), "photos")) == 1,
          "the report still lists its photo: %.300s", r.body);
    h_resp_free(&r);

    /* at start: a server on this POLIS_VAR sweeps it and logs the removal */
    write_file(orphan, 180);
    char env_var[120];
    snprintf(env_var, sizeof env_var, "POLIS_VAR=%s", w->var);
    const char *env[] = {env_var, NULL};
    struct h_server s2;
    if (h_server_start(&s2, url, env) != 0)
        return;
    int gone = 0;
    for (long long end = h_now_ms() + 15000; h_now_ms() < end && !gone; h_sleep_ms(50))
        gone = !exists(orphan);
    CHECK(gone, "a server starting on %s removes the orphan %s", w->var, orphan);
    char *log = NULL;
    const char *name2 = strrchr(orphan, '/') + 1;
    for (long long end = h_now_ms() + 5000; h_now_ms() < end; h_sleep_ms(50)) {
        free(log);
        log = h_server_log(&s2);
        if (strstr(log, name2))
            break;
    }
    CHECK(strstr(log, "photo sweep: removed orphan") && strstr(log, name2),
          "the server logs the removal of %s", name2);
    free(log);
    CHECK(exists(with_row), "the server's sweep keeps the photo with a row");
}

/* The files of applications and the issued documents are swept the same
 * way: an orphan (no row, 3 h old) and a temporary left by a crash are
 * removed; a file with a row never is, however old. */
static void application_files_sweep(struct world *w, const char *url)
{
    char *service = h_pg_value(w->db, "SELECT s.id FROM services s JOIN boundaries b"
                                      " ON b.id = s.municipality_id WHERE b.code = '9054'"
                                      " AND s.code = 'family_status'", 0, NULL);
    char body[200], path[160];
    snprintf(body, sizeof body, "{\"service\":%s,\"answers\":{\"purpose\":\"bank\"}}",
             service ? service : "0");
    free(service);
    struct h_resp r;
    ha_call(w->s, &w->u[CIT_A], "POST", "/api/v1/applications", body, &r);
    CHECK(r.status == 201, "a draft: expected 201, found %ld %.300s", r.status, r.body);
    long id = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/applications/%ld/files/id_card", id);
    ha_upload(w->s, &w->u[CIT_A], path, "image/png", fx_png, sizeof fx_png, &r);
    CHECK(r.status == 201, "a file attached: expected 201, found %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    char kept[256], orphan[256], tmp[256], document[256], ids[32];
    snprintf(ids, sizeof ids, "%ld", id);
    char *name = h_pg_value(w->db, "SELECT file_name FROM application_files"
                                   " WHERE application_id = $1::bigint", 1,
                            (const char *[]){ids});
    snprintf(kept, sizeof kept, "%s/application-files/%s", w->var, name ? name : "?");
    free(name);
    CHECK(exists(kept), "the attached file is stored: %s", kept);
    snprintf(orphan, sizeof orphan, "%s/application-files/%08x%024d.pdf", w->var,
             (unsigned)getpid(), 6);
    snprintf(tmp, sizeof tmp, "%s/application-files/.%08x%024d.tmp", w->var,
             (unsigned)getpid(), 7);
    snprintf(document, sizeof document, "%s/documents/AAAAAAAAAAAAAAAA.pdf", w->var);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/documents'", w->var);
    if (system(cmd))
        h_fatal("%s failed", cmd);
    const struct {
        const char *path, *what;
        int kept;
    } files[] = {{orphan, "an orphaned application file", 0},
                 {tmp, "a temporary application file", 0},
                 {document, "an orphaned document", 0},
                 {kept, "an application file with a row", 1}};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (!files[i].kept)
            write_file(files[i].path, 180);
    make_old(kept, 180);
    CHECK_INT("polis photos sweep exit status", sweep_now(w->var, url), 0);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        CHECK(exists(files[i].path) == files[i].kept, "%s (3 h old) is %s: %s", files[i].what,
              files[i].kept ? "kept" : "removed", files[i].path);
}

int main(void)
{
    h_init("test_privacy_ops", 240);
    const char *url = h_shared_dburl();
    struct world w = {0};
    w.db = h_pg_connect(url);
    w.var = h_temp_dir("privacy-ops");
    char var_env[100];
    snprintf(var_env, sizeof var_env, "POLIS_VAR=%s", w.var);
    struct h_server s;
    const char *env[] = {"POLIS_METRICS_TOKEN=privacy-test-metrics-token-0123", var_env, NULL};
    static const struct ha_member members[NUSERS] = {
        {"pvo-a", NULL, NULL}, {"pvo-roads", "staff", "technical_works"}, {"pvo-admin", "admin", NULL}};
    if (ha_world_start(&s, w.db, env, members, NUSERS, w.u) != 0)
        return h_finish();
    w.s = &s;

    metrics_access(&w);
    access_log_escapes(&w);
    orphan_sweep(&w, url);
    application_files_sweep(&w, url);

    PQfinish(w.db);
    return h_finish();
}
