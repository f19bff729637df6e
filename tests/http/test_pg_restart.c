/* PostgreSQL restarts (upgrade, failover, crash) must not take polis down:
 * while the database is away, /readyz and the API say 503 (so a load
 * balancer drains the instance) and /healthz stays 200; once it is back,
 * the same process serves again without a restart. Own cluster. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

/* GET path; returns its status and frees the response. */
static long status_of(const struct h_server *s, const char *path)
{
    struct h_resp r;
    h_get(s, path, &r);
    long st = r.status;
    h_resp_free(&r);
    return st;
}

int main(void)
{
    h_init("test_pg_restart", 240);
    struct h_cluster c;
    h_cluster_create(&c);
    static const char *const migrate[] = {"migrate", NULL};
    int rc = h_polis_wait(h_polis_spawn(c.url, migrate));
    if (rc != 0)
        h_fatal("polis migrate on the new cluster: expected exit status 0, found %d", rc);

    struct h_server s;
    if (h_server_start(&s, c.url, NULL) != 0)
        return h_finish();
    pid_t pid = s.pid;
    CHECK_INT("GET /readyz with the database up", status_of(&s, "/readyz"), 200);

    if (h_cluster_db(&c, "stop") != 0)
        h_fatal("scripts/db stop failed");

    struct h_resp r;
    h_get(&s, "/readyz", &r);
    CHECK_PROBLEM("GET /readyz with the database down", &r, 503, NULL);
    CHECK_HAS("GET /readyz with the database down: detail (says why)",
              json_string_value(json_object_get(r.json, "detail")), "reachable");
    h_resp_free(&r);
    h_get(&s, "/api/v1/locate?lat=41.0910&lon=23.5496", &r);
    CHECK_PROBLEM("GET /api/v1/locate with the database down", &r, 503, NULL);
    h_resp_free(&r);
    h_get(&s, "/api/v1/boundaries?bbox=23,40,24,41", &r);
    CHECK_PROBLEM("GET /api/v1/boundaries with the database down", &r, 503, NULL);
    h_resp_free(&r);
    CHECK_INT("GET /healthz with the database down", status_of(&s, "/healthz"), 200);
    CHECK(h_server_alive(&s) && s.pid == pid,
          "polis serve exited while the database was down (wait status %d)", s.exit_status);

    if (h_cluster_db(&c, "start") != 0)
        h_fatal("scripts/db start (restart) failed");

    /* Back to normal service, polling until it is. */
    long ready = 0, query = 0;
    for (long long deadline = h_now_ms() + H_EVENT_DEADLINE_MS; h_now_ms() < deadline;
         h_sleep_ms(250)) {
        ready = status_of(&s, "/readyz");
        query = status_of(&s, "/api/v1/boundaries?bbox=23,40,24,41");
        if (ready == 200 && query == 200)
            break;
    }
    CHECK(ready == 200, "GET /readyz after PostgreSQL restarted: expected 200, found %ld "
          "until the test gave up", ready);
    CHECK(query == 200, "GET /api/v1/boundaries after PostgreSQL restarted: expected 200, "
          "found %ld until the test gave up", query);
    /* The migrated but empty database has no municipality here: 404. */
    h_get(&s, "/api/v1/locate?lat=41.0910&lon=23.5496", &r);
    CHECK_PROBLEM("GET /api/v1/locate after restart (empty database)", &r, 404, NULL);
    h_resp_free(&r);
    CHECK(h_server_alive(&s) && s.pid == pid,
          "expected the same polis process (pid %d) throughout; it exited (wait status %d)",
          (int)pid, s.exit_status);
    return h_finish();
}
