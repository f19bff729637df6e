/* Graceful shutdown, as a deploy does it: on SIGTERM polis stops accepting
 * new connections at once, lets the requests already in flight finish with
 * their normal answer, and exits 0 within POLIS_DRAIN_SECONDS. A request
 * that is still stuck when the drain time is up must not keep polis alive.
 *
 * To have a request reliably in flight, the test locks the tables locate
 * reads (boundaries, boundary_parts) from its own transaction; the request
 * waits on that lock until the test commits. The tables are those of a
 * database of the test's own (h_private_db), so no other test waits on the
 * lock and the suite runs it beside the others. */
#include "harness.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* One locate request run in a background thread. */
struct inflight {
    struct h_server *srv;
    struct h_resp resp;
    atomic_int done;
    pthread_t thread;
};

static void *do_request(void *arg)
{
    struct inflight *f = arg;
    h_get(f->srv, "/api/v1/locate?lat=41.0910&lon=23.5496", &f->resp);
    atomic_store(&f->done, 1);
    return NULL;
}

static void exec_ok(PGconn *db, const char *sql)
{
    PGresult *res = PQexec(db, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        h_fatal("%s: %s", sql, PQresultErrorMessage(res));
    PQclear(res);
}

/* /metrics is not public: the test's servers let this token read it */
#define SIGTERM_METRICS_TOKEN "sigterm-test-scraper-token"

/* polis_db_connections{state="busy"} from the server's /metrics: its
 * queries sent and not answered yet (-1 when the metrics do not say). */
static int busy_connections(const struct h_server *srv)
{
    struct h_resp r;
    static const char *const scraper[] = {"Authorization: Bearer " SIGTERM_METRICS_TOKEN, NULL};
    h_request(srv, "GET", "/metrics", scraper, NULL, &r);
    const char *line = r.status == 200 ? strstr(r.body, "polis_db_connections{state=\"busy\"} ")
                                       : NULL;
    int n = line ? atoi(line + strlen("polis_db_connections{state=\"busy\"} ")) : -1;
    h_resp_free(&r);
    return n;
}

/* Locks the tables, starts the request and waits until its query waits on
 * the lock, so it is surely in flight: the server (which serves nothing
 * else) has a query at the database, and PostgreSQL has a query waiting on
 * the lock. Both, because other tests' queries may wait on it too. */
static void start_held_request(struct inflight *f, struct h_server *srv, PGconn *locker,
                               PGconn *watcher)
{
    memset(f, 0, sizeof *f);
    f->srv = srv;
    exec_ok(locker, "BEGIN");
    exec_ok(locker, "LOCK TABLE boundaries, boundary_parts IN ACCESS EXCLUSIVE MODE");
    pthread_create(&f->thread, NULL, do_request, f);
    int waiting = 0;
    for (long long deadline = h_now_ms() + H_EVENT_DEADLINE_MS;
         h_now_ms() < deadline && !waiting && !atomic_load(&f->done); h_sleep_ms(50)) {
        char *n = h_pg_value(watcher,
                             "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = "
                             "l.relation WHERE NOT l.granted AND c.relname IN "
                             "('boundaries', 'boundary_parts')", 0, NULL);
        waiting = n && atoi(n) > 0 && busy_connections(srv) > 0;
        free(n);
    }
    CHECK(waiting, "expected the locate query to wait on the table lock; it never did "
          "(request done: %d, status %ld)", atomic_load(&f->done), f->resp.status);
    CHECK(!atomic_load(&f->done), "expected the locate request to be pending while the "
          "tables are locked; it finished with %ld %.200s", f->resp.status, f->resp.body);
}

static void check_exit_0(const char *what, struct h_server *srv)
{
    int exited = h_server_wait_exit(srv, H_EVENT_DEADLINE_MS / 1000);
    CHECK(exited, "%s: polis did not exit after SIGTERM", what);
    if (exited)
        CHECK(WIFEXITED(srv->exit_status) && WEXITSTATUS(srv->exit_status) == 0,
              "%s: expected exit status 0, found %s %d", what,
              WIFEXITED(srv->exit_status) ? "exit" : "signal",
              WIFEXITED(srv->exit_status) ? WEXITSTATUS(srv->exit_status)
                                          : WTERMSIG(srv->exit_status));
}

int main(void)
{
    h_init("test_sigterm", 240);
    const char *url = h_private_db("sigterm");
    PGconn *locker = h_pg_connect(url);
    PGconn *watcher = h_pg_connect(url);
    struct inflight f;

    /* 1. The request finishes during the drain. The statement timeout must
     *    not cancel the held request first. */
    static const char *const env[] = {"POLIS_DRAIN_SECONDS=10", "POLIS_STATEMENT_TIMEOUT_MS=60000",
                                      "POLIS_METRICS_TOKEN=" SIGTERM_METRICS_TOKEN, NULL};
    struct h_server srv;
    if (h_server_start(&srv, url, env) != 0)
        return h_finish();
    start_held_request(&f, &srv, locker, watcher);
    kill(srv.pid, SIGTERM);

    /* New connections are refused, while the old request still waits (it
     * waits as long as the tables are locked: no hurry). */
    int refused = 0;
    for (long long deadline = h_now_ms() + H_EVENT_DEADLINE_MS; h_now_ms() < deadline && !refused;
         h_sleep_ms(50))
        refused = h_connection_refused(srv.port);
    CHECK(refused, "after SIGTERM: expected new connections to port %d to be refused; they "
          "were still accepted", srv.port);
    CHECK(!atomic_load(&f.done), "after SIGTERM: expected the in-flight request to be "
          "still pending (tables locked); it finished with %ld %s %.200s", f.resp.status,
          f.resp.error, f.resp.body);
    CHECK(h_server_alive(&srv), "after SIGTERM: expected polis to wait for the in-flight "
          "request; it exited at once (wait status %d)", srv.exit_status);

    exec_ok(locker, "COMMIT");
    pthread_join(f.thread, NULL);
    CHECK(f.resp.status == 200, "in-flight request during shutdown: expected 200, found %ld "
          "%s %.300s", f.resp.status, f.resp.error, f.resp.body);
    json_t *m = json_object_get(f.resp.json, "municipality");
    CHECK_STR("in-flight request during shutdown: municipality code",
              json_string_value(json_object_get(m, "code")), "9054");
    h_resp_free(&f.resp);
    check_exit_0("drain with the request done", &srv);

    /* 2. The request is still stuck when the drain time (2 s) is up: polis
     *    exits anyway, so a deploy never hangs on one slow query. The request
     *    stays stuck while the test holds the lock (its statement timeout is
     *    longer than the test's wait), so only the drain limit can end it. */
    static const char *const env2[] = {"POLIS_DRAIN_SECONDS=2", "POLIS_STATEMENT_TIMEOUT_MS=600000",
                                       "POLIS_METRICS_TOKEN=" SIGTERM_METRICS_TOKEN, NULL};
    struct h_server srv2;
    if (h_server_start(&srv2, url, env2) != 0)
        return h_finish();
    start_held_request(&f, &srv2, locker, watcher);
    kill(srv2.pid, SIGTERM);
    int exited = h_server_wait_exit(&srv2, H_EVENT_DEADLINE_MS / 1000);
    CHECK(exited, "POLIS_DRAIN_SECONDS=2 with a request stuck on a lock: expected polis to "
          "exit after the drain time; it was still running after %d s",
          H_EVENT_DEADLINE_MS / 1000);
    exec_ok(locker, "COMMIT");
    pthread_join(f.thread, NULL);
    printf("the stuck request got: %ld %s\n", f.resp.status, f.resp.error);
    h_resp_free(&f.resp);

    PQfinish(locker);
    PQfinish(watcher);
    return h_finish();
}
