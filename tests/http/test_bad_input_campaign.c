/* The bad-input campaign (issue #14): more than 10,000 malformed requests
 * spread over EVERY route of the router's own table (polis_routes, linked
 * from polis_core, so a route added later is covered without touching this
 * file), sent anonymously, as a citizen, a staff member, an admin and with
 * an admin's API key. Each request carries one kind of defect: a bad path
 * id, a broken or huge query string, invalid UTF-8, NUL bytes, wrong JSON
 * types (also one wrong member in an otherwise valid body), oversized,
 * truncated or deeply nested JSON, JSON that is not an
 * object, a wrong Content-Type, broken multipart bodies, bad headers, or
 * broken HTTP framing (sent on a raw socket, which libcurl cannot do).
 * First one request at a time (every route x caller x kind), then each route
 * and kind again from 8 clients at once, so requests queue for database
 * connections.
 *
 * A user would notice: any 5xx, a server that is gone, a request that got no
 * answer, a file outside the web root served, a mistake the API silently
 * ignored, or data changed by a request that should have been refused. So
 * the test asserts zero 5xx, an answer to every request whose HTTP framing
 * is sound, the process alive and /healthz 200 after each route's batch, a
 * 4xx for an unknown query parameter on the JSON and OGC APIs, and a
 * database identical before and after (row count and md5 of every table of
 * the public and layers schemas, computed in SQL).
 *
 * Deterministic: every choice comes from a PRNG seeded per request from a
 * fixed seed (POLIS_CAMPAIGN_SEED overrides it to explore), so a request is
 * the same whatever ran before it. A database of its own (h_private_db: the
 * demo) with two imported layers, so the other tests' writes to the shared database never
 * show up as changes here. The summary (requests and statuses per route)
 * goes to stderr. */
#include "../unit/photo_fixtures.h"
#include "campaign.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* ------------------------------------------------------------ setup */

static void value_of(PGconn *db, const char *sql, char *out, size_t outlen)
{
    char *v = h_pg_value(db, sql, 0, NULL);
    if (!v)
        h_fatal("the demo data has nothing for: %s", sql);
    snprintf(out, outlen, "%s", v);
    free(v);
}

/* POST as u; returns the "id" of the 201 answer, or fails the test. */
static void create(const struct h_server *s, const struct ha_user *u, const char *path,
                   const char *body, char *id, size_t idlen)
{
    struct h_resp r;
    ha_call(s, u, "POST", path, body, &r);
    if (r.status != 201)
        h_fatal("setup: POST %s: expected 201, found %ld %.300s", path, r.status, r.body);
    snprintf(id, idlen, "%lld", json_integer_value(json_object_get(r.json, "id")));
    h_resp_free(&r);
}

static void setup_world(struct world *w, PGconn *db)
{
    static const char *const tags[NWHO] = {NULL, "campaign-cit", "campaign-staff",
                                           "campaign-admin", NULL};
    for (int who = WHO_CITIZEN; who <= WHO_ADMIN; who++)
        if (ha_new_user(w->s, db, tags[who], &w->u[who]))
            h_fatal("setup: could not make the %s account", who_name[who]);
    /* staff of cleaning and of the tourism office: reaches the POI and event handlers */
    ha_set_role(db, &w->u[WHO_STAFF], "staff", "cleaning,lighting,tourism");
    ha_set_role(db, &w->u[WHO_ADMIN], "admin", NULL);
    snprintf(w->citizen_id, sizeof w->citizen_id, "%ld", w->u[WHO_CITIZEN].id);

    /* the admin's key with every scope */
    long st = ha_make_key(w->s, &w->u[WHO_ADMIN], "campaign", "[\"read\",\"report\",\"staff\"]",
                          w->key, sizeof w->key);
    if (st != 201)
        h_fatal("setup: the admin's API key: expected 201, found %ld", st);
    struct h_resp r;
    /* its first use stamps last_used_at: before the snapshot, not as a change during it */
    ha_call_key(w->s, w->key, "GET", "/api/v1/me", NULL, &r);
    h_resp_free(&r);

    create(w->s, &w->u[WHO_CITIZEN], "/api/v1/reports",
           "{\"category\":\"cleaning\",\"lat\":41.0917,\"lon\":23.5494,"
           "\"description\":\"campaign report\"}", w->report_id, sizeof w->report_id);
    snprintf(w->open311_request, sizeof w->open311_request, "%s.json", w->report_id);
    for (int i = 0; i < NCOLLECTIONS; i++)
        snprintf(w->tilejson[i], sizeof w->tilejson[i], "%s.json", collections[i]);
    create(w->s, &w->u[WHO_CITIZEN], "/api/v1/me/subscriptions",
           "{\"kind\":\"category\",\"category\":\"roads\"}", w->subscription_id,
           sizeof w->subscription_id);
    value_of(db, "SELECT id FROM boundaries WHERE level = 'municipality' AND code = '9054'",
             w->boundary_id, sizeof w->boundary_id);
    value_of(db, "SELECT min(id) FROM events", w->event_id, sizeof w->event_id);
    value_of(db, "SELECT min(id) FROM pois", w->poi_id, sizeof w->poi_id);
    value_of(db, "SELECT min(id) FROM schools", w->school_id, sizeof w->school_id);
    value_of(db, "SELECT min(id) FROM report_categories", w->category_id,
             sizeof w->category_id);

    /* a photo of the report (by its reporter) and of the POI (by the tourism office) */
    char path[128];
    struct h_resp r2;
    snprintf(path, sizeof path, "/api/v1/reports/%s/photos", w->report_id);
    ha_upload(w->s, &w->u[WHO_CITIZEN], path, "image/jpeg", fx_jpeg, sizeof fx_jpeg, &r2);
    if (r2.status != 201)
        h_fatal("setup: POST %s: expected 201, found %ld %.300s", path, r2.status, r2.body);
    snprintf(w->report_photo, sizeof w->report_photo, "%lld",
             json_integer_value(json_object_get(r2.json, "id")));
    h_resp_free(&r2);
    snprintf(path, sizeof path, "/api/v1/pois/%s/photos", w->poi_id);
    ha_upload(w->s, &w->u[WHO_STAFF], path, "image/jpeg", fx_jpeg, sizeof fx_jpeg, &r2);
    if (r2.status != 201)
        h_fatal("setup: POST %s: expected 201, found %ld %.300s", path, r2.status, r2.body);
    snprintf(w->poi_photo, sizeof w->poi_photo, "%lld",
             json_integer_value(json_object_get(r2.json, "id")));
    h_resp_free(&r2);
}

/* ------------------------------------------------------------ the campaign */

#define MAX_SHOWN 40
#define BURST_CLIENTS 8


struct outcome {
    long status; /* 0: no answer */
    int bad;     /* a 5xx, or no answer to a request whose framing was fine */
    int leak;    /* a path traversal reached a file outside the web root */
    int ignored; /* an unknown query parameter silently ignored by the JSON or OGC API */
};

/* Builds request (phase, ri, who, k), sends it and judges the answer; when
 * it went wrong, what (if not NULL) says what was sent and what came back. */
static void exchange_one(CURL *c, const struct world *w, uint64_t seed, int phase, int ri,
                         int who, enum kind k, struct outcome *o, char *what, size_t whatlen)
{
    const struct route *r = &polis_routes[ri];
    struct request q;
    seed_request(seed, phase, ri, who, k);
    build_request(&q, w, r, who, k);
    struct answer a = {0};
    if (q.raw.len)
        send_raw(w->s, &q, &a);
    else
        send_curl(c, w->s, &q, &a);
    o->status = a.status >= 0 && a.status < 600 ? a.status : 0;
    o->bad = a.status >= 500 || (a.status == 0 && !q.may_drop);
    o->leak = a.body.p && strstr(a.body.p, "root:x:0:0:");
    /* both APIs answer an unknown query parameter with a 400 naming it */
    o->ignored = k == K_Q_UNKNOWN && a.status / 100 == 2 &&
                 (!strncmp(r->pattern, "/api/", 5) || !strncmp(r->pattern, "/ogc", 4));
    if (what) {
        snprintf(what, whatlen, "%s %.200s%s [%s, %s, route %s, body %zu bytes%s] -> %ld%s%s "
                 "%.300s", r->method, q.target.p, q.target.len > 200 ? "..." : "",
                 kind_name[k], who_name[who], r->pattern, q.has_body ? q.body.len : q.raw.len,
                 q.raw.len ? ", raw socket" : "", a.status, a.error[0] ? " " : "", a.error,
                 o->leak      ? "served /etc/passwd"
                 : o->ignored ? "the unknown parameter was ignored"
                 : a.body.p   ? a.body.p
                              : "");
    }
    free(a.body.p);
    request_free(&q);
}

struct tally {
    long by_status[600]; /* [0]: no answer */
    long by_kind[NKINDS];
    long total, failures;
};

static void count(struct tally *t, long *per_route, enum kind k, const struct outcome *o,
                  const char *what)
{
    t->total++;
    t->by_kind[k]++;
    t->by_status[o->status]++;
    per_route[o->status]++;
    if (o->bad || o->leak || o->ignored) {
        if (t->failures++ < MAX_SHOWN)
            CHECK(0, "expected a 4xx (or a 2xx where the defect is harmless, never a file "
                     "outside the web root): %s", what);
    }
}

/* The same process, still answering /healthz. */
static int server_up(struct h_server *s, pid_t pid, const char *after)
{
    struct h_resp r;
    h_get(s, "/healthz", &r);
    int up = h_server_alive(s) && s->pid == pid && r.status == 200;
    h_resp_free(&r);
    CHECK(up, "after %s: expected polis (pid %d) alive with /healthz 200; it is gone (wait "
              "status %d)", after, (int)pid, s->exit_status);
    return up;
}

/* The campaign is cut in shards (POLIS_CAMPAIGN_SHARD="i/n", default "0/1"),
 * each run by its own ctest test on its own cluster, so the routes' requests
 * are sent side by side: route ri belongs to shard ri % n. */
static int shard_index, shard_count = 1;

static void read_shard(void)
{
    const char *v = getenv("POLIS_CAMPAIGN_SHARD");
    if (!v || !*v)
        return;
    int i, n;
    char end;
    if (sscanf(v, "%d/%d%c", &i, &n, &end) != 2 || n < 1 || i < 0 || i >= n)
        h_fatal("POLIS_CAMPAIGN_SHARD: expected i/n with 0 <= i < n, found \"%s\"", v);
    shard_index = i;
    shard_count = n;
}

static int in_shard(int ri)
{
    return ri % shard_count == shard_index;
}

/* Phase 1: every route, every caller, every kind of defect, one at a time;
 * the server checked after each route, and each request that made
 * PostgreSQL hand out a transaction id noted (it wrote, or tried to). */
static void sequential(const struct world *w, uint64_t seed, PGconn *watch, pid_t pid,
                       struct tally *t, long (*per_route)[600])
{
    CURL *c = curl_easy_init();
    char *xid = next_xid(watch), what[1024];
    int writes_shown = 0;
    for (int ri = 0; ri < polis_route_count; ri++) {
        if (!in_shard(ri))
            continue;
        for (int who = 0; who < NWHO; who++)
            for (int k = 0; k < NKINDS; k++) {
                struct outcome o;
                exchange_one(c, w, seed, 1, ri, who, (enum kind)k, &o, what, sizeof what);
                count(t, per_route[ri], (enum kind)k, &o, what);
                char *now = next_xid(watch);
                if (strcmp(now, xid) && writes_shown++ < MAX_SHOWN)
                    fprintf(stderr, "note: the database had a new transaction after %s\n",
                            what);
                free(xid);
                xid = now;
            }
        char after[200];
        snprintf(after, sizeof after, "the requests to %s %s", polis_routes[ri].method,
                 polis_routes[ri].pattern);
        if (!server_up(w->s, pid, after))
            break;
    }
    free(xid);
    curl_easy_cleanup(c);
}

/* Phase 2: each route and kind once more (a caller picked at random), from
 * BURST_CLIENTS clients at once, so requests wait for database connections
 * and statements are prepared while others are queued: the paths one client
 * at a time never takes. */
struct burst {
    const struct world *w;
    uint64_t seed;
    int n;
    _Atomic int next;
    struct outcome *out; /* [n] */
    int *who;            /* [n] */
};

static int burst_who(uint64_t seed, int i)
{
    seed_request(seed, 2, i / NKINDS, 0, (enum kind)(i % NKINDS));
    return (int)pick(NWHO);
}

static void *burst_client(void *arg)
{
    struct burst *b = arg;
    CURL *c = curl_easy_init();
    for (int i; (i = b->next++) < b->n;) {
        if (!in_shard(i / NKINDS))
            continue;
        b->who[i] = burst_who(b->seed, i);
        exchange_one(c, b->w, b->seed, 2, i / NKINDS, b->who[i], (enum kind)(i % NKINDS),
                     &b->out[i], NULL, 0);
    }
    curl_easy_cleanup(c);
    return NULL;
}

static void concurrent(const struct world *w, uint64_t seed, struct tally *t,
                       long (*per_route)[600])
{
    struct burst b = {.w = w, .seed = seed, .n = polis_route_count * NKINDS};
    b.out = calloc((size_t)b.n, sizeof *b.out);
    b.who = calloc((size_t)b.n, sizeof *b.who);
    pthread_t th[BURST_CLIENTS];
    for (int i = 0; i < BURST_CLIENTS; i++)
        if (pthread_create(&th[i], NULL, burst_client, &b))
            h_fatal("pthread_create failed");
    for (int i = 0; i < BURST_CLIENTS; i++)
        pthread_join(th[i], NULL);
    /* judged here, on one thread; a failure is built again to be shown */
    CURL *c = curl_easy_init();
    for (int i = 0; i < b.n; i++) {
        if (!in_shard(i / NKINDS))
            continue;
        char what[1024] = "";
        if (b.out[i].bad || b.out[i].leak || b.out[i].ignored) {
            struct outcome again;
            exchange_one(c, w, seed, 2, i / NKINDS, b.who[i], (enum kind)(i % NKINDS), &again,
                         what, sizeof what);
            snprintf(what + strlen(what), sizeof what - strlen(what),
                     " (with %d clients at once: %ld)", BURST_CLIENTS, b.out[i].status);
        }
        count(t, per_route[i / NKINDS], (enum kind)(i % NKINDS), &b.out[i], what);
    }
    curl_easy_cleanup(c);
    free(b.out);
    free(b.who);
}

static void print_statuses(const long *by_status)
{
    for (int st = 0; st < 600; st++)
        if (by_status[st] && st)
            fprintf(stderr, " %d×%ld", st, by_status[st]);
        else if (by_status[st])
            fprintf(stderr, " no-answer×%ld", by_status[st]);
    fputc('\n', stderr);
}

static void print_summary(const struct tally *t, long (*per_route)[600], double seconds,
                          uint64_t seed)
{
    fprintf(stderr,
            "\nbad-input campaign: %ld requests to the routes of shard %d/%d in %.1f s (seed %llu)\n",
            t->total, shard_index, shard_count, seconds, (unsigned long long)seed);
    for (int ri = 0; ri < polis_route_count; ri++) {
        if (!in_shard(ri))
            continue;
        long n = 0;
        for (int st = 0; st < 600; st++)
            n += per_route[ri][st];
        fprintf(stderr, "  %-6s %-42s %4ld:", polis_routes[ri].method, polis_routes[ri].pattern,
                n);
        print_statuses(per_route[ri]);
    }
    fprintf(stderr, "  by kind:");
    for (int k = 0; k < NKINDS; k++)
        fprintf(stderr, " %s×%ld", kind_name[k], t->by_kind[k]);
    fprintf(stderr, "\n  statuses:");
    print_statuses(t->by_status);
}

int main(void)
{
    h_init("test_bad_input_campaign", 560);
    read_shard();
    const char *seed_env = getenv("POLIS_CAMPAIGN_SEED");
    uint64_t seed = seed_env && *seed_env ? strtoull(seed_env, NULL, 10) : 20261202;

    /* a database of its own (a copy of the fixture's template: migrated,
     * with the demo): the shared one has other tests writing to it */
    const char *url = h_private_db("campaign");
    const char *var_dir = h_temp_dir("campaign");
    /* two imported layers, so the layers schema has tables to compare too */
    char parking[512];
    snprintf(parking, sizeof parking, "%s/thessaloniki_amea_parking_spots.geojson",
             h_env("POLIS_DATA"));
    const char *const import_public[] = {"import", parking, "--as", collections[1], "--public",
                                         NULL};
    const char *const import_staff[] = {"import", parking, "--as", collections[2], "--staff",
                                        NULL};
    if (h_polis_wait(h_polis_spawn(url, import_public)) != 0 ||
        h_polis_wait(h_polis_spawn(url, import_staff)) != 0)
        h_fatal("polis import of %s on the campaign's cluster failed", parking);

    /* no rate limit, cap or busy state can turn a request into a 429 or 503
     * that hides what the handler would have done; small body limits keep the
     * oversized bodies cheap */
    char var[300];
    snprintf(var, sizeof var, "POLIS_VAR=%s", var_dir);
    const char *env[] = {"POLIS_RATE_LOGIN=0", "POLIS_RATE_REGISTER=0", "POLIS_RATE_RESET=0",
                         "POLIS_RATE_ANON_WRITE=0", "POLIS_RATE_USER_WRITE=0",
                         "POLIS_LOGIN_FAILURES=1000", "POLIS_EXPENSIVE_PER_CLIENT=100000",
                         "POLIS_DB_QUEUE_MAX=100000", "POLIS_MAX_BODY_KB=64",
                         "POLIS_UPLOAD_MAX_MB=1", var,
                         "POLIS_PUBLIC_URL=http://polis.campaign.test", NULL};
    struct h_server s;
    if (h_server_start(&s, url, env) != 0)
        return h_finish();
    pid_t pid = s.pid;

    PGconn *db = h_pg_connect(url);
    struct world w = {.s = &s};
    setup_world(&w, db);

    struct table_sum *before;
    int nbefore = snapshot(db, &before);
    PGconn *watch = h_pg_connect(url);

    struct tally t = {0};
    long (*per_route)[600] = calloc((size_t)polis_route_count, sizeof *per_route);
    long long started = h_now_ms();
    sequential(&w, seed, watch, pid, &t, per_route);
    if (h_server_alive(&s)) {
        concurrent(&w, seed, &t, per_route);
        server_up(&s, pid, "the concurrent requests");
    }
    print_summary(&t, per_route, (double)(h_now_ms() - started) / 1000.0, seed);

    CHECK(t.total >= 10000 / shard_count, "expected at least %d requests, sent %ld",
          10000 / shard_count, t.total);
    CHECK(t.failures == 0, "expected no 5xx, no request without an answer and no unknown "
                           "parameter ignored by the API; found %ld (the first %d are listed "
                           "above)", t.failures, MAX_SHOWN);

    /* the database, table by table */
    struct table_sum *after;
    int nafter = snapshot(db, &after);
    CHECK_INT("tables in the public and layers schemas after the campaign", nafter, nbefore);
    for (int i = 0; i < nbefore && i < nafter; i++) {
        CHECK_STR("table name", after[i].name, before[i].name);
        CHECK(!strcmp(after[i].rows, before[i].rows) && !strcmp(after[i].md5, before[i].md5),
              "%s: expected unchanged (%s rows, md5 %s), found %s rows, md5 %s",
              before[i].name, before[i].rows, before[i].md5, after[i].rows, after[i].md5);
        if (strcmp(after[i].md5, before[i].md5)) {
            print_missing("before:", before[i].text, after[i].text);
            print_missing("after: ", after[i].text, before[i].text);
        }
    }
    snapshot_free(before, nbefore);
    snapshot_free(after, nafter);
    free(per_route);
    PQfinish(watch);
    PQfinish(db);
    return h_finish();
}
