/* `polis migrate` on a fresh database, as a deployment does it: the server
 * may already run (and must say "not ready" until the schema is there),
 * migrate may run twice, and two instances may start migrating at the same
 * moment. Every migration must be applied exactly once, and /readyz turns
 * 200 without restarting the server. Runs on its own cluster. */
#include "harness.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Migrations the code embeds: the sql/[0-9]*.sql files of the source tree. */
static int migration_files(void)
{
    char pattern[1024];
    snprintf(pattern, sizeof pattern, "%s/[0-9]*.sql", h_env("POLIS_SQL_DIR"));
    glob_t g;
    int n = glob(pattern, 0, NULL, &g) == 0 ? (int)g.gl_pathc : 0;
    globfree(&g);
    return n;
}

/* Runs migrate n_parallel times at once; checks each exits 0. */
static void migrate(const char *what, const char *url, int n_parallel)
{
    static const char *const argv[] = {"migrate", NULL};
    pid_t pids[4];
    for (int i = 0; i < n_parallel; i++)
        pids[i] = h_polis_spawn(url, argv);
    for (int i = 0; i < n_parallel; i++) {
        int rc = h_polis_wait(pids[i]);
        CHECK(rc == 0, "%s: polis migrate #%d: expected exit status 0, found %d", what, i + 1, rc);
    }
}

/* Each migration version recorded exactly once, all of them. */
static void check_versions(const char *what, const char *url, int expected)
{
    PGconn *db = h_pg_connect(url);
    char *rows = h_pg_value(db, "SELECT count(*) FROM schema_migrations", 0, NULL);
    char *distinct = h_pg_value(db, "SELECT count(DISTINCT version) FROM schema_migrations", 0,
                                NULL);
    char *dups = h_pg_value(db, "SELECT string_agg(version::text, ',') FROM (SELECT version FROM "
                                "schema_migrations GROUP BY version HAVING count(*) > 1) d",
                            0, NULL);
    CHECK(rows && atoi(rows) == expected,
          "%s: expected %d rows in schema_migrations (one per sql/[0-9]*.sql), found %s", what,
          expected, rows ? rows : "(null)");
    CHECK(rows && distinct && strcmp(rows, distinct) == 0,
          "%s: expected each version once; versions applied more than once: %s", what,
          dups ? dups : "(none)");
    free(rows);
    free(distinct);
    free(dups);
    PQfinish(db);
}

int main(void)
{
    h_init("test_migrate", 240);
    int expected = migration_files();
    CHECK(expected > 0, "expected sql/[0-9]*.sql migration files, found none");

    struct h_cluster c;
    h_cluster_create(&c);

    /* Server on an empty database: alive, but not ready. */
    struct h_server s;
    if (h_server_start(&s, c.url, NULL) != 0)
        return h_finish();
    struct h_resp r;
    h_get(&s, "/readyz", &r);
    CHECK_PROBLEM("GET /readyz before migrate", &r, 503, NULL);
    char pending[64];
    snprintf(pending, sizeof pending, "%d migrations pending", expected);
    CHECK_HAS("GET /readyz before migrate: detail (how many)",
              json_string_value(json_object_get(r.json, "detail")), pending);
    h_resp_free(&r);

    /* Twice in a row (the second has nothing to do), then two at once. */
    migrate("first run", c.url, 1);
    check_versions("after the first migrate", c.url, expected);
    migrate("second run", c.url, 1);
    migrate("two concurrent runs on the migrated db", c.url, 2);
    check_versions("after all migrate runs", c.url, expected);

    /* Two instances racing on an empty database (the advisory lock's job):
     * a second database in the same cluster, made ready for the owner role
     * by scripts/db (PostGIS, privileges); a later dbname= wins in libpq. */
    CHECK_INT("scripts/db start with POLIS_PG_DATABASE=polis_race",
              h_run(NULL, "POLIS_VAR='%s' POLIS_PG_DATABASE=polis_race '%s' start >&2", c.var,
                    h_env("POLIS_DB_SCRIPT")),
              0);
    char race_url[600];
    snprintf(race_url, sizeof race_url, "%s dbname=polis_race", c.url);
    migrate("two concurrent runs on an empty db", race_url, 2);
    check_versions("after two concurrent migrates on an empty db", race_url, expected);

    /* The same server process is now ready. */
    CHECK(h_server_alive(&s), "polis serve exited during migrations (wait status %d)",
          s.exit_status);
    h_get(&s, "/readyz", &r);
    CHECK(r.status == 200, "GET /readyz after migrate (server not restarted): expected 200, "
          "found %ld %.300s", r.status, r.body);
    CHECK_STR("GET /readyz after migrate", json_string_value(json_object_get(r.json, "status")),
              "ready");
    h_resp_free(&r);

    /* A migration missing below the highest applied one (a branch merged a
     * lower number later) is pending too: readyz counts, it does not only
     * compare the highest version. */
    PGconn *db = h_pg_connect(c.url);
    free(h_pg_value(db, "DELETE FROM schema_migrations WHERE version = 2", 0, NULL));
    h_get(&s, "/readyz", &r);
    CHECK_PROBLEM("GET /readyz with version 2 unapplied below the highest", &r, 503, NULL);
    CHECK_HAS("GET /readyz with a gap: detail", r.body, "1 migrations pending");
    h_resp_free(&r);
    free(h_pg_value(db, "INSERT INTO schema_migrations (version, name) VALUES (2, 'restored')",
                    0, NULL));
    h_get(&s, "/readyz", &r);
    CHECK(r.status == 200, "GET /readyz with the record back: expected 200, found %ld", r.status);
    h_resp_free(&r);
    PQfinish(db);
    return h_finish();
}
