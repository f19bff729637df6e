/* Operations, as the municipality's IT staff see them:
 *  - the role `polis serve` connects as (scripts/db url: polis_app) may read
 *    and write the data and nothing more: CREATE TABLE, ALTER TABLE,
 *    COPY ... TO PROGRAM and reading pg_authid are refused with SQLSTATE
 *    42501 (the rest of the suite shows serving works under it);
 *  - `polis backup DIR` of a database with reports and a photo, restored by
 *    `polis restore DIR` into a new empty database and an empty POLIS_VAR,
 *    serves the same answers: the report list and the report byte for
 *    byte, the photo's bytes identical;
 *  - a backup with one changed byte is refused before anything is restored,
 *    naming the file; a database that is not empty is refused too.
 * The databases are made in the fixture's cluster by its superuser: the
 * source a copy of the fixture's template, the target as scripts/db makes
 * one (PostGIS, the roles' privileges). */
#include "../unit/photo_fixtures.h"
#include "h_accounts.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char admin_url[1024];

static void read_line(const char *path, char *out, size_t outlen)
{
    FILE *f = fopen(path, "r");
    if (!f || !fgets(out, (int)outlen, f))
        h_fatal("cannot read %s (did the pg fixture run?)", path);
    fclose(f);
    out[strcspn(out, "\n")] = '\0';
}

/* Runs sql and checks that PostgreSQL refuses it for lack of privilege. */
static void check_refused(PGconn *db, const char *what, const char *sql)
{
    PGresult *res = PQexec(db, sql);
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    CHECK(state && !strcmp(state, "42501"),
          "the application role: %s: expected SQLSTATE 42501 (insufficient privilege), "
          "found %s (%s)", what, state ? state : "success", PQresultErrorMessage(res));
    PQclear(res);
}

static void app_role_is_limited(const char *url)
{
    PGconn *db = h_pg_connect(url);
    char *who = h_pg_value(db, "SELECT current_user", 0, NULL);
    CHECK_STR("scripts/db url connects as", who, "polis_app");
    free(who);
    char *attrs = h_pg_value(db, "SELECT rolsuper::text || rolcreatedb::text || "
                                 "rolcreaterole::text || rolbypassrls::text FROM pg_roles "
                                 "WHERE rolname = current_user", 0, NULL);
    CHECK_STR("the application role: superuser, createdb, createrole, bypassrls", attrs,
              "falsefalsefalsefalse");
    free(attrs);
    check_refused(db, "CREATE TABLE in public", "CREATE TABLE app_made (a int)");
    check_refused(db, "CREATE TABLE in layers", "CREATE TABLE layers.app_made (a int)");
    check_refused(db, "ALTER TABLE reports", "ALTER TABLE reports ADD COLUMN app_made int");
    check_refused(db, "DROP TABLE boundaries", "DROP TABLE boundaries");
    check_refused(db, "COPY ... TO PROGRAM", "COPY (SELECT 1) TO PROGRAM 'true'");
    check_refused(db, "COPY ... FROM a server file", "COPY boundaries FROM '/etc/passwd'");
    check_refused(db, "SELECT on pg_authid", "SELECT rolpassword FROM pg_authid");
    /* and it still reads and writes the data */
    char *n = h_pg_value(db, "SELECT count(*) > 0 FROM boundaries", 0, NULL);
    CHECK_STR("the application role reads boundaries", n, "t");
    free(n);
    PQfinish(db);
}

static long file_report(const struct h_server *s, const struct ha_user *u, const char *text)
{
    char body[300];
    snprintf(body, sizeof body,
             "{\"category\":\"cleaning\",\"lat\":41.0912,\"lon\":23.5490,\"description\":\"%s\"}",
             text);
    struct h_resp r;
    ha_call(s, u, "POST", "/api/v1/reports", body, &r);
    CHECK(r.status == 201, "file a report: expected 201, found %ld %.200s", r.status, r.body);
    long id = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    return id;
}

/* GET path as body bytes (malloc'd, *len), checking 200. */
static char *get_bytes(const struct h_server *s, const char *path, size_t *len)
{
    /* one Host for both servers: the self links carry it */
    static const char *const host[] = {"Host: polis.test", NULL};
    struct h_resp r;
    h_request(s, "GET", path, host, NULL, &r);
    CHECK(r.status == 200, "GET %s: expected 200, found %ld %.200s", path, r.status, r.body);
    char *b = malloc(r.len + 1);
    memcpy(b, r.body ? r.body : "", r.len);
    b[r.len] = '\0';
    *len = r.len;
    h_resp_free(&r);
    return b;
}

static void check_same(const char *what, const char *a, size_t alen, const char *b, size_t blen)
{
    size_t at = 0;
    while (at < alen && at < blen && a[at] == b[at])
        at++;
    size_t from = at > 60 ? at - 60 : 0;
    CHECK(alen == blen && at == alen,
          "%s after restore: expected the same %zu bytes, found %zu bytes, differing from byte "
          "%zu:\n  before: %.*s\n  after:  %.*s", what, alen, blen, at,
          (int)((alen - from) < 160 ? alen - from : 160), a + from,
          (int)((blen - from) < 160 ? blen - from : 160), b + from);
}

/* polis backup|restore DIR with the database url and POLIS_VAR var; returns
 * the exit status, its output in *out. */
static int run_polis(char **out, const char *url, const char *var, const char *cmd,
                     const char *dir)
{
    char owner[2048];
    snprintf(owner, sizeof owner, "%s", h_owner_dburl(url));
    return h_run(out, "POLIS_DATABASE_URL='%s' POLIS_DATABASE_OWNER_URL='%s' POLIS_VAR='%s' "
                 "'%s' %s '%s' 2>&1", url, owner, var, h_env("POLIS_BIN"), cmd, dir);
}

int main(void)
{
    h_init("test_backup", 540); /* dumps and restores the demo database twice */
    h_require_tool("pg_dump");
    h_require_tool("pg_restore");
    const char *shared = h_shared_dburl();
    app_role_is_limited(shared);

    /* the fixture's cluster: its superuser and its directory */
    char state[1024], var_file[1100], fixture_var[1024];
    snprintf(state, sizeof state, "%s", h_env("POLIS_TEST_DB_FILE"));
    snprintf(var_file, sizeof var_file, "%s/var", dirname(state));
    read_line(var_file, fixture_var, sizeof fixture_var);
    read_line(h_env("POLIS_TEST_DB_ADMIN_FILE"), admin_url, sizeof admin_url);

    char src[64], dst[64], sql[512], src_url[1200], dst_url[1200];
    snprintf(src, sizeof src, "backup_src_%d", (int)getpid());
    snprintf(dst, sizeof dst, "backup_dst_%d", (int)getpid());
    PGconn *admin = h_pg_connect(admin_url);
    char *fixture_db = h_pg_value(admin, "SELECT current_database()", 0, NULL);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s OWNER polis_owner TEMPLATE %s_template", src,
             fixture_db);
    free(h_pg_value(admin, sql, 0, NULL));
    free(fixture_db);
    CHECK_INT("scripts/db start makes the empty target database",
              h_run(NULL, "POLIS_VAR='%s' POLIS_PG_DATABASE=%s '%s' start >&2", fixture_var, dst,
                    h_env("POLIS_DB_SCRIPT")),
              0);
    /* a later dbname= wins in libpq */
    snprintf(src_url, sizeof src_url, "%s dbname=%s", shared, src);
    snprintf(dst_url, sizeof dst_url, "%s dbname=%s", shared, dst);

    char var_a[] = "/tmp/polis-backup-a-XXXXXX", var_b[] = "/tmp/polis-backup-b-XXXXXX",
         work[] = "/tmp/polis-backup-XXXXXX";
    if (!mkdtemp(var_a) || !mkdtemp(var_b) || !mkdtemp(work))
        h_fatal("mkdtemp failed");
    char env_a[64], env_b[64];
    snprintf(env_a, sizeof env_a, "POLIS_VAR=%s", var_a);
    snprintf(env_b, sizeof env_b, "POLIS_VAR=%s", var_b);
    /* one public address for both servers: the answers carry no port */
    const char *common[] = {"POLIS_PUBLIC_URL=http://polis.test", "POLIS_RATE_REGISTER=100000",
                            "POLIS_RATE_ANON_WRITE=100000", NULL, NULL};

    /* the original: a citizen, two reports, a photo */
    struct h_server a, b;
    common[3] = env_a;
    if (h_server_start(&a, src_url, common) != 0)
        return h_finish();
    PGconn *src_db = h_pg_connect(src_url);
    struct ha_user u = {0};
    if (ha_new_user(&a, src_db, "backup", &u))
        return h_finish();
    long first = file_report(&a, &u, "before the backup, one");
    file_report(&a, &u, "before the backup, two");
    char path[160], photo_path[200] = "";
    snprintf(path, sizeof path, "/api/v1/reports/%ld/photos", first);
    uint8_t jpeg[1024];
    size_t jpeg_len = fx_jpeg_with_exif(jpeg);
    struct h_resp r;
    ha_upload(&a, &u, path, "image/jpeg", jpeg, jpeg_len, &r);
    CHECK(r.status == 201, "upload a photo: expected 201, found %ld %.300s", r.status, r.body);
    const char *url = json_string_value(json_object_get(r.json, "url"));
    if (url && strstr(url, "/api/"))
        snprintf(photo_path, sizeof photo_path, "%s", strstr(url, "/api/"));
    h_resp_free(&r);
    PQfinish(src_db);

    char report_path[96];
    snprintf(report_path, sizeof report_path, "/api/v1/reports/%ld", first);
    size_t list_len, report_len, photo_len;
    char *list = get_bytes(&a, "/api/v1/reports?limit=100", &list_len);
    char *report = get_bytes(&a, report_path, &report_len);
    char *photo = get_bytes(&a, photo_path, &photo_len);
    CHECK(strstr(list, "before the backup, two") != NULL, "the list shows the reports filed");

    /* the backup */
    char dir[128], *out = NULL;
    snprintf(dir, sizeof dir, "%s/backup", work);
    int rc = run_polis(&out, src_url, var_a, "backup", dir);
    CHECK(rc == 0, "polis backup: expected exit 0, found %d: %s", rc, out);
    free(out);
    char *manifest = NULL;
    h_run(&manifest, "cat '%s/MANIFEST'", dir);
    CHECK_HAS("the manifest lists the dump", manifest, " database.dump\n");
    CHECK_HAS("the manifest lists the photo", manifest, " files/photos/");
    CHECK_HAS("the manifest says the version", manifest, "\nversion ");
    CHECK_HAS("the manifest says the migration level", manifest, "\nmigration ");
    free(manifest);

    /* a copy with one byte of the photo changed: refused, naming it */
    char tampered[160], *photo_file = NULL;
    snprintf(tampered, sizeof tampered, "%s/tampered", work);
    h_run(NULL, "cp -a '%s' '%s'", dir, tampered);
    h_run(&photo_file, "cd '%s' && find files/photos -type f | head -n1 | tr -d '\\n'", tampered);
    CHECK(photo_file && photo_file[0], "the backup holds the photo file");
    h_run(NULL, "printf 'X' | dd of='%s/%s' bs=1 seek=20 conv=notrunc 2>/dev/null", tampered,
          photo_file);
    rc = run_polis(&out, dst_url, var_b, "restore", tampered);
    CHECK(rc != 0, "polis restore of a tampered backup: expected a failure, found exit 0");
    CHECK_HAS("polis restore of a tampered backup names the file", out, photo_file);
    free(out);
    free(photo_file);
    PGconn *dst_db = h_pg_connect(dst_url);
    char *restored = h_pg_value(dst_db, "SELECT to_regclass('public.reports') IS NOT NULL", 0,
                                NULL);
    CHECK_STR("after the refused restore the database has no reports table", restored, "f");
    free(restored);
    char *files = NULL;
    h_run(&files, "find '%s' -type f | wc -l | tr -d ' \\n'", var_b);
    CHECK_STR("after the refused restore POLIS_VAR holds no file", files, "0");
    free(files);

    /* the real restore, into the empty database and POLIS_VAR */
    rc = run_polis(&out, dst_url, var_b, "restore", dir);
    CHECK(rc == 0, "polis restore: expected exit 0, found %d: %s", rc, out);
    free(out);
    common[3] = env_b;
    if (h_server_start(&b, dst_url, common) != 0)
        return h_finish();
    size_t len;
    char *list_b = get_bytes(&b, "/api/v1/reports?limit=100", &len);
    check_same("GET /api/v1/reports", list, list_len, list_b, len);
    char *report_b = get_bytes(&b, report_path, &len);
    check_same("GET the report", report, report_len, report_b, len);
    char *photo_b = get_bytes(&b, photo_path, &len);
    check_same("GET the photo", photo, photo_len, photo_b, len);
    /* the restored database works for the application role: a new report */
    struct ha_user u2 = {0};
    if (ha_new_user(&b, dst_db, "restored", &u2) == 0)
        CHECK(file_report(&b, &u2, "after the restore") > first,
              "a report filed after the restore gets a new id");

    /* a second restore into the now full database: refused */
    rc = run_polis(&out, dst_url, var_b, "restore", dir);
    CHECK(rc != 0, "polis restore into a database that is not empty: expected a failure");
    CHECK_HAS("polis restore into a database that is not empty says so", out, "not empty");
    free(out);

    PQfinish(dst_db);
    free(list);
    free(report);
    free(photo);
    free(list_b);
    free(report_b);
    free(photo_b);
    snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", src);
    free(h_pg_value(admin, sql, 0, NULL));
    snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", dst);
    free(h_pg_value(admin, sql, 0, NULL));
    PQfinish(admin);
    h_run(NULL, "rm -rf '%s' '%s' '%s'", var_a, var_b, work);
    return h_finish();
}
