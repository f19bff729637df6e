/* Clients that give up: a phone loses signal while its query still runs in
 * PostgreSQL. The server must not crash when the answer arrives for a
 * request that is gone, and the database connection must go back to work
 * for the next clients. Covers HTTP/1.1 (connection closed) and HTTP/2
 * (stream reset), which take different paths in h2o.
 *
 * The clients ask for the features of a layer this test imports, whose
 * table the test locks so that the queries are surely in flight when the
 * clients time out; their queries must then be cancelled in PostgreSQL at
 * once, not run on to the statement timeout. The table is the test's own,
 * so no other test's queries wait on the lock (or are counted with these). */
#include "harness.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct h_server srv;
static char layer[64]; /* the test's own layer: cg<pid> */

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
    return size * n;
}

/* A request for the layer's features that gives up after 2 s; returns
 * curl's result. */
static void *impatient(void *arg)
{
    long http_version = (long)arg;
    char url[256];
    snprintf(url, sizeof url, "%s/ogc/collections/%s/items", srv.base, layer);
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, http_version);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 2000L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    return (void *)(long)rc;
}

static void exec_ok(PGconn *db, const char *sql)
{
    PGresult *res = PQexec(db, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        h_fatal("%s: %s", sql, PQresultErrorMessage(res));
    PQclear(res);
}

int main(void)
{
    h_init("test_client_gone", 240);
    const char *url = h_shared_dburl();
    h_use_database(url);
    snprintf(layer, sizeof layer, "cg%ld", (long)getpid());
    char geojson[128];
    snprintf(geojson, sizeof geojson, "/tmp/polis-client-gone-%ld.geojson", (long)getpid());
    FILE *f = fopen(geojson, "w");
    if (!f)
        h_fatal("cannot write %s", geojson);
    fprintf(f, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
               "\"properties\":{\"n\":1},\"geometry\":{\"type\":\"Point\","
               "\"coordinates\":[23.55,41.09]}}]}");
    fclose(f);
    char *out = NULL;
    int imported = h_run(&out, "'%s' import '%s' --as %s --public 2>&1", h_env("POLIS_BIN"), geojson,
                   layer);
    unlink(geojson);
    if (imported != 0)
        h_fatal("could not import the test's layer %s: %s", layer, out);
    free(out);
    /* items pages are expensive reads, capped per client (test_rate_limits):
     * the six clients here come from one address and must all get through */
    static const char *const env[] = {"POLIS_STATEMENT_TIMEOUT_MS=60000",
                                      "POLIS_HTTP2_CLEARTEXT=1",
                                      "POLIS_EXPENSIVE_PER_CLIENT=100", NULL};
    if (h_server_start(&srv, url, env) != 0)
        return h_finish();

    PGconn *locker = h_pg_connect(url);
    PGconn *watcher = h_pg_connect(url);
    exec_ok(locker, "BEGIN");
    char lock[128];
    snprintf(lock, sizeof lock, "LOCK TABLE layers.%s IN ACCESS EXCLUSIVE MODE", layer);
    exec_ok(locker, lock);

    /* Three HTTP/1.1 clients and three HTTP/2 clients give up. */
    pthread_t t[6];
    for (long i = 0; i < 6; i++)
        pthread_create(&t[i], NULL, impatient,
                       (void *)(i < 3 ? (long)CURL_HTTP_VERSION_1_1
                                      : (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE));
    int timed_out = 0;
    for (int i = 0; i < 6; i++) {
        void *rc;
        pthread_join(t[i], &rc);
        timed_out += (long)rc == CURLE_OPERATION_TIMEDOUT;
    }
    CHECK_INT("clients that timed out while the tables were locked", timed_out, 6);
    /* Their queries are cancelled at once (PQcancel), not left waiting on
     * the lock until the statement timeout (60 s): HTTP/2 streams are reset
     * by the client, HTTP/1.1 connections are seen closed. */
    static const char waiting_sql[] =
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted "
        "AND a.application_name = 'polis' AND n.nspname = 'layers' AND c.relname = $1";
    const char *const waiting_args[] = {layer};
    long long deadline = h_now_ms() + 20000;
    long waiting = -1;
    while (waiting != 0 && h_now_ms() < deadline) {
        char *v = h_pg_value(watcher, waiting_sql, 1, waiting_args);
        waiting = v ? atol(v) : -1;
        free(v);
        if (waiting != 0)
            h_sleep_ms(100);
    }
    CHECK_INT("queries of the clients that left still waiting on the lock 20 s later "
              "(statement timeout 60 s)", waiting, 0);
    /* The answers now arrive for requests nobody waits for. */
    exec_ok(locker, "COMMIT");
    h_sleep_ms(500);
    CHECK(h_server_alive(&srv), "polis serve died when answers arrived for clients that had "
          "gone (wait status %d)", srv.exit_status);

    /* Every pooled connection is usable again: more requests than connections. */
    int ok = 0;
    for (int i = 0; i < 40 && h_server_alive(&srv); i++) {
        struct h_resp r;
        h_get(&srv, "/api/v1/locate?lat=40.9058&lon=23.4976", &r);
        json_t *code = json_object_get(json_object_get(r.json, "municipality"), "code");
        if (r.status == 200 && json_is_string(code) && !strcmp(json_string_value(code), "9050"))
            ok++;
        else
            fprintf(stderr, "  request %d after the clients left: %ld %s %.200s\n", i, r.status,
                    r.error, r.body);
        h_resp_free(&r);
    }
    CHECK_INT("locate requests answered correctly after the clients left (of 40)", ok, 40);
    char drop[256];
    snprintf(drop, sizeof drop,
             "DROP TABLE layers.%s; DELETE FROM layer_catalogue WHERE name = '%s'", layer, layer);
    h_owner_exec(h_shared_dburl(), drop);
    PQfinish(locker);
    PQfinish(watcher);
    return h_finish();
}
