/* Per-client limits as clients see them. The server trusts 127.0.0.1 as a
 * proxy (POLIS_TRUSTED_PROXIES), so X-Forwarded-For lets one test be many
 * clients; a second server trusts nobody and must ignore the header.
 *  - X-Forwarded-For names the client only behind a trusted proxy;
 *  - failed sign-ins: after POLIS_LOGIN_FAILURES=3 the attacker's address
 *    gets 429 with Retry-After, even with the right password, while the
 *    owner signs in from elsewhere; a success clears the owner's failures;
 *    IPv6 addresses count per /64;
 *  - a signed-in user's writes are limited (POLIS_RATE_USER_WRITE=5), and
 *    another user is not affected;
 *  - expensive reads (POLIS_EXPENSIVE_PER_CLIENT=1): a client with one in
 *    progress gets 429 for a second, while another client is served. */
#include "h_accounts.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct h_server srv, plain;

/* A request from the client at address xff (through the trusted proxy). */
static void as_client(const struct h_server *s, const char *xff, const char *method,
                      const char *path, const char *body, struct h_resp *r)
{
    char header[128];
    snprintf(header, sizeof header, "X-Forwarded-For: %s", xff);
    const char *const headers[] = {header, NULL};
    h_request(s, method, path, headers, body, r);
}

static long login_from(const char *xff, const char *email, const char *password,
                       char *retry_after, size_t cap)
{
    json_t *body = json_pack("{s:s,s:s}", "email", email, "password", password);
    char *text = json_dumps(body, JSON_COMPACT);
    struct h_resp r;
    as_client(&srv, xff, "POST", "/api/v1/auth/login", text, &r);
    long status = r.status;
    char *ra = h_resp_header(&r, "retry-after");
    snprintf(retry_after, cap, "%s", ra ? ra : "");
    free(ra);
    if (status >= 500 || status == 0)
        fprintf(stderr, "  login from %s: %ld %s %.200s\n", xff, status, r.error, r.body);
    h_resp_free(&r);
    free(text);
    json_decref(body);
    return status;
}

static void forwarded_for(void)
{
    /* three registrations per minute per client: the 4th from one address
     * is refused, another address is not (the body is invalid on purpose:
     * the limit is met before the body is read, and nothing is created) */
    struct h_resp r;
    for (int i = 0; i < 3; i++) {
        as_client(&srv, "198.51.100.1", "POST", "/api/v1/auth/register", "{}", &r);
        CHECK(r.status != 429, "registration %d of 3 from 198.51.100.1: found %ld", i + 1,
              r.status);
        h_resp_free(&r);
    }
    as_client(&srv, "198.51.100.1", "POST", "/api/v1/auth/register", "{}", &r);
    CHECK_PROBLEM("the 4th registration from 198.51.100.1 (POLIS_RATE_REGISTER=3)", &r, 429,
                  NULL);
    char *ra = h_resp_header(&r, "retry-after");
    CHECK(ra && atoi(ra) > 0, "the 429 has a Retry-After in seconds: %s", ra ? ra : "(none)");
    free(ra);
    h_resp_free(&r);
    as_client(&srv, "6.6.6.6, 198.51.100.2", "POST", "/api/v1/auth/register", "{}", &r);
    CHECK(r.status != 429, "behind the trusted proxy, 198.51.100.2 is another client (the "
          "address the client wrote itself, 6.6.6.6, does not count): found %ld", r.status);
    h_resp_free(&r);

    /* a server that trusts no proxy keys by the peer, whatever the header says */
    for (int i = 0; i < 3; i++) {
        as_client(&plain, i % 2 ? "198.51.100.3" : "198.51.100.4", "POST",
                  "/api/v1/auth/register", "{}", &r);
        h_resp_free(&r);
    }
    as_client(&plain, "198.51.100.5", "POST", "/api/v1/auth/register", "{}", &r);
    CHECK_PROBLEM("no POLIS_TRUSTED_PROXIES: X-Forwarded-For is ignored, the 4th registration "
                  "from 127.0.0.1 is refused", &r, 429, NULL);
    h_resp_free(&r);
}

static void failed_logins(const struct ha_user *owner)
{
    char ra[32];
    const char *attacker = "203.0.113.66", *home = "198.51.100.7";
    for (int i = 0; i < 3; i++)
        CHECK_INT("a wrong password from the attacker's address",
                  login_from(attacker, owner->email, "wrong password 123", ra, sizeof ra),
                  401);
    long st = login_from(attacker, owner->email, owner->password, ra, sizeof ra);
    CHECK(st == 429 && atoi(ra) > 0, "after 3 failures (POLIS_LOGIN_FAILURES=3) the attacker's "
          "address gets 429 with Retry-After, even with the right password: found %ld, "
          "Retry-After \"%s\"", st, ra);
    /* the owner, from home, is not locked out */
    CHECK_INT("the owner signs in from another address meanwhile",
              login_from(home, owner->email, owner->password, ra, sizeof ra), 200);
    /* a success clears the owner's own failures */
    for (int i = 0; i < 2; i++)
        login_from(home, owner->email, "mistyped", ra, sizeof ra);
    CHECK_INT("the owner after 2 typos", login_from(home, owner->email, owner->password, ra,
                                                    sizeof ra), 200);
    for (int i = 0; i < 2; i++)
        CHECK_INT("the owner's typos after a success count from zero again",
                  login_from(home, owner->email, "mistyped", ra, sizeof ra), 401);
    CHECK_INT("the attacker is still waiting",
              login_from(attacker, owner->email, "wrong password 123", ra, sizeof ra), 429);
    /* IPv6: one /64 is one client */
    for (int i = 0; i < 3; i++)
        login_from("2001:db8:1:2::1", owner->email, "wrong password 123", ra, sizeof ra);
    CHECK_INT("another address of the same IPv6 /64 as the attacker",
              login_from("2001:db8:1:2::99", owner->email, "wrong password 123", ra, sizeof ra),
              429);
    CHECK_INT("an address of the next /64",
              login_from("2001:db8:1:3::1", owner->email, "wrong password 123", ra, sizeof ra),
              401);
}

static void user_writes(const struct ha_user *writer, const struct ha_user *other)
{
    struct h_resp r;
    for (int i = 0; i < 5; i++) {
        ha_call(&srv, writer, "POST", "/api/v1/me/subscriptions", "{}", &r);
        CHECK(r.status != 429 && r.status < 500, "write %d of 5 by a signed-in user: found %ld",
              i + 1, r.status);
        h_resp_free(&r);
    }
    ha_call(&srv, writer, "POST", "/api/v1/me/subscriptions", "{}", &r);
    CHECK_PROBLEM("the 6th write within a minute by one user (POLIS_RATE_USER_WRITE=5)", &r, 429,
                  NULL);
    h_resp_free(&r);
    ha_call(&srv, writer, "GET", "/api/v1/me/subscriptions", NULL, &r);
    CHECK_INT("reads by that user are not limited", r.status, 200);
    h_resp_free(&r);
    ha_call(&srv, other, "POST", "/api/v1/me/subscriptions", "{}", &r);
    CHECK(r.status != 429 && r.status < 500, "another user's write: found %ld", r.status);
    h_resp_free(&r);
}

/* ---- expensive reads ---- */

struct slow_read {
    pthread_t thread;
    const char *xff;
    long status;
};

/* The expensive read: the features of a layer this test imports, whose table
 * it locks so that reads are surely in progress. The table is the test's
 * own: no other test's queries wait on the lock or are counted with these. */
static char layer[64];
static char slow_path[128];

static void *slow_read_run(void *arg)
{
    struct slow_read *s = arg;
    struct h_resp r;
    as_client(&srv, s->xff, "GET", slow_path, NULL, &r);
    s->status = r.status;
    h_resp_free(&r);
    return NULL;
}

static void exec_ok(PGconn *db, const char *sql)
{
    PGresult *res = PQexec(db, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        h_fatal("%s: %s", sql, PQresultErrorMessage(res));
    PQclear(res);
}

/* Waits (20 s at most) until n queries of polis wait on the locked table. */
static int wait_for_waiters(PGconn *watcher, long n)
{
    long long deadline = h_now_ms() + 20000;
    while (h_now_ms() < deadline) {
        const char *const args[] = {layer};
        char *v = h_pg_value(watcher,
                             "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = "
                             "l.relation JOIN pg_namespace n ON n.oid = c.relnamespace "
                             "JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT "
                             "l.granted AND a.application_name = 'polis' AND "
                             "n.nspname = 'layers' AND c.relname = $1", 1, args);
        long found = v ? atol(v) : -1;
        free(v);
        if (found == n)
            return 1;
        h_sleep_ms(50);
    }
    return 0;
}

static void expensive_reads(const char *url)
{
    snprintf(layer, sizeof layer, "rl%ld", (long)getpid());
    snprintf(slow_path, sizeof slow_path, "/ogc/collections/%s/items", layer);
    char geojson[128];
    snprintf(geojson, sizeof geojson, "/tmp/polis-rate-limits-%ld.geojson", (long)getpid());
    FILE *f = fopen(geojson, "w");
    if (!f)
        h_fatal("cannot write %s", geojson);
    fprintf(f, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
               "\"properties\":{\"n\":1},\"geometry\":{\"type\":\"Point\","
               "\"coordinates\":[23.55,41.09]}}]}");
    fclose(f);
    char *out = NULL;
    h_use_database(url);
    int imported = h_run(&out, "'%s' import '%s' --as %s --public 2>&1", h_env("POLIS_BIN"),
                         geojson, layer);
    unlink(geojson);
    if (imported != 0)
        h_fatal("could not import the test's layer %s: %s", layer, out);
    free(out);
    PGconn *locker = h_pg_connect(url), *watcher = h_pg_connect(url);
    exec_ok(locker, "BEGIN");
    char lock[128];
    snprintf(lock, sizeof lock, "LOCK TABLE layers.%s IN ACCESS EXCLUSIVE MODE", layer);
    exec_ok(locker, lock);
    struct slow_read first = {.xff = "198.51.100.20"}, other = {.xff = "198.51.100.21"};
    pthread_create(&first.thread, NULL, slow_read_run, &first);
    CHECK(wait_for_waiters(watcher, 1), "the first expensive read reaches the database");

    struct h_resp r;
    as_client(&srv, first.xff, "GET", slow_path, NULL, &r);
    CHECK_PROBLEM("a second expensive read by the same client while its first is in progress "
                  "(POLIS_EXPENSIVE_PER_CLIENT=1)", &r, 429, NULL);
    char *ra = h_resp_header(&r, "retry-after");
    CHECK(ra && atoi(ra) > 0, "with a Retry-After: %s", ra ? ra : "(none)");
    free(ra);
    h_resp_free(&r);

    pthread_create(&other.thread, NULL, slow_read_run, &other);
    CHECK(wait_for_waiters(watcher, 2), "another client's expensive read is let through to "
          "the database meanwhile");
    exec_ok(locker, "COMMIT");
    pthread_join(first.thread, NULL);
    pthread_join(other.thread, NULL);
    CHECK_INT("the first client's read, once the table is free", first.status, 200);
    CHECK_INT("the other client's read, once the table is free", other.status, 200);
    as_client(&srv, first.xff, "GET", slow_path, NULL, &r);
    CHECK_INT("the first client again, its read finished", r.status, 200);
    h_resp_free(&r);
    char drop[256];
    snprintf(drop, sizeof drop,
             "DROP TABLE layers.%s; DELETE FROM layer_catalogue WHERE name = '%s'", layer, layer);
    h_owner_exec(h_shared_dburl(), drop);
    PQfinish(locker);
    PQfinish(watcher);
}

int main(void)
{
    h_init("test_rate_limits", 240);
    const char *url = h_shared_dburl();
    PGconn *db = h_pg_connect(url);
    static const char *const env[] = {
        "POLIS_TRUSTED_PROXIES=127.0.0.1", "POLIS_LOGIN_FAILURES=3", "POLIS_RATE_REGISTER=3",
        "POLIS_RATE_LOGIN=1000",           "POLIS_RATE_USER_WRITE=5",
        "POLIS_EXPENSIVE_PER_CLIENT=1",    "POLIS_STATEMENT_TIMEOUT_MS=60000", NULL};
    static const char *const env_plain[] = {"POLIS_RATE_REGISTER=3", NULL};
    if (h_server_start(&srv, url, env) != 0 || h_server_start(&plain, url, env_plain) != 0)
        return h_finish();

    struct ha_user owner, writer;
    if (ha_new_user(&srv, db, "rate-owner", &owner) ||
        ha_new_user(&srv, db, "rate-writer", &writer))
        return h_finish();
    forwarded_for();
    failed_logins(&owner);
    user_writes(&writer, &owner);
    expensive_reads(url);
    CHECK(h_server_alive(&srv), "the server is still running (wait status %d)", srv.exit_status);
    PQfinish(db);
    return h_finish();
}
