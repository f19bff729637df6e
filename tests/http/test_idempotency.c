/* POST /api/v1/reports with an Idempotency-Key, as a client retrying after
 * a lost answer sees it: the retry gets the same 201 (same id, same body,
 * the same secret that works) and nothing is filed twice, also when 20
 * requests with one key arrive at once; the same key with another body is a
 * 422 that files nothing; keys belong to their caller; a refused request
 * keeps no key; a key expires after 24 hours; a malformed key is a 400. */
#include "h_accounts.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct h_server *srv;
static PGconn *db;

/* POST /api/v1/reports as u (NULL: anonymous) with the key (NULL: none). */
static void post_keyed(const struct ha_user *u, const char *key, const char *body,
                       struct h_resp *r)
{
    char cookie[200], csrf[200], idem[400];
    const char *headers[4] = {NULL};
    int n = 0;
    if (u) {
        snprintf(cookie, sizeof cookie, "Cookie: polis_session=%s", u->cookie);
        snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", u->csrf);
        headers[n++] = cookie;
        headers[n++] = csrf;
    }
    if (key) {
        snprintf(idem, sizeof idem, "Idempotency-Key: %s", key);
        headers[n++] = idem;
    }
    h_request(srv, "POST", "/api/v1/reports", headers, body, r);
}

/* Reports whose description is text. */
static long count_described(const char *text)
{
    const char *p[] = {text};
    char *v = h_pg_value(db, "SELECT count(*) FROM reports WHERE description = $1", 1, p);
    long n = v ? atol(v) : -1;
    free(v);
    return n;
}

static char *body_for(const char *description)
{
    static char body[512];
    snprintf(body, sizeof body,
             "{\"category\":\"roads\",\"lat\":41.0915,\"lon\":23.5501,\"description\":\"%s\"}",
             description);
    return body;
}

static void retry_gets_the_same(const struct ha_user *a, const struct ha_user *b)
{
    char desc[96], key[64];
    snprintf(desc, sizeof desc, "Idempotent pothole %d", (int)getpid());
    snprintf(key, sizeof key, "retry-%d-9f1c", (int)getpid());
    char body[512];
    snprintf(body, sizeof body, "%s", body_for(desc));
    struct h_resp first, again;
    post_keyed(a, key, body, &first);
    CHECK(first.status == 201, "POST with an Idempotency-Key: expected 201, found %ld %.300s",
          first.status, first.body);
    post_keyed(a, key, body, &again); /* the answer to the first was "lost" */
    CHECK(again.status == 201, "the retry: expected 201, found %ld %.300s", again.status,
          again.body);
    CHECK(json_equal(first.json, again.json), "the retry's body is the first one's: %s vs %s",
          first.body, again.body);
    char *l1 = h_resp_header(&first, "location"), *l2 = h_resp_header(&again, "location");
    CHECK(l1 && l2 && !strcmp(l1, l2), "the retry's Location is the first one's: %s vs %s",
          l1 ? l1 : "(none)", l2 ? l2 : "(none)");
    free(l1);
    free(l2);
    char *replayed = h_resp_header(&again, "idempotent-replayed");
    CHECK(replayed && !strcmp(replayed, "true"), "the retry says Idempotent-Replayed: true");
    free(replayed);
    CHECK_INT("reports filed by a request and its retry", count_described(desc), 1);
    long id = (long)json_integer_value(json_object_get(first.json, "id"));

    /* the same key with another body: 422, nothing filed */
    struct h_resp other;
    char desc2[120];
    snprintf(desc2, sizeof desc2, "%s, but another text", desc);
    post_keyed(a, key, body_for(desc2), &other);
    CHECK_PROBLEM("the key reused with another body", &other, 422, "Idempotency-Key");
    CHECK_INT("reports filed by the reused key", count_described(desc2), 0);
    h_resp_free(&other);

    /* a key is the caller's: another account's request is its own */
    post_keyed(b, key, body, &other);
    CHECK(other.status == 201 &&
              json_integer_value(json_object_get(other.json, "id")) != id,
          "citizen B with A's key: expected a new report, found %ld %.200s", other.status,
          other.body);
    CHECK_INT("reports after B used the same key", count_described(desc), 2);
    h_resp_free(&other);

    /* after 24 hours the key is forgotten: the same request files anew */
    char ids[32];
    snprintf(ids, sizeof ids, "%ld", id);
    const char *p[] = {ids};
    free(h_pg_value(db, "UPDATE report_idempotency SET created_at = now() - interval '25 hours'"
                        " WHERE report_id = $1::bigint RETURNING 1", 1, p));
    post_keyed(a, key, body, &other);
    CHECK(other.status == 201 && json_integer_value(json_object_get(other.json, "id")) != id,
          "the key 25 hours later: expected a new report, found %ld %.200s", other.status,
          other.body);
    char *flag = h_resp_header(&other, "idempotent-replayed");
    CHECK(!flag, "a new report is no replay");
    free(flag);
    CHECK_INT("reports after the key expired", count_described(desc), 3);
    h_resp_free(&other);
    h_resp_free(&first);
    h_resp_free(&again);
}

static void anonymous_retry(void)
{
    char desc[96], key[64];
    snprintf(desc, sizeof desc, "Anonymous idempotent report %d", (int)getpid());
    snprintf(key, sizeof key, "anon-%d-77aa", (int)getpid());
    char body[512];
    snprintf(body, sizeof body, "%s", body_for(desc));
    struct h_resp first, again;
    post_keyed(NULL, key, body, &first);
    post_keyed(NULL, key, body, &again);
    CHECK(first.status == 201 && again.status == 201 && json_equal(first.json, again.json),
          "anonymous retry: expected the same 201 twice, found %ld %.200s and %ld %.200s",
          first.status, first.body, again.status, again.body);
    CHECK_INT("anonymous reports filed by a request and its retry", count_described(desc), 1);
    /* the secret given again is the real one */
    const char *secret = json_string_value(json_object_get(again.json, "secret"));
    char path[64], header[128];
    snprintf(path, sizeof path, "/api/v1/reports/%lld/messages",
             (long long)json_integer_value(json_object_get(again.json, "id")));
    snprintf(header, sizeof header, "X-Report-Secret: %s", secret ? secret : "");
    const char *headers[] = {header, NULL};
    struct h_resp r;
    h_request(srv, "GET", path, headers, NULL, &r);
    CHECK(r.status == 200, "the replayed secret opens the report's messages: %ld %.200s",
          r.status, r.body);
    h_resp_free(&r);
    /* the database holds neither the key nor the secret in clear */
    char *stored = h_pg_value(db, "SELECT string_agg(caller || encode(key_digest, 'escape')"
                                  " || encode(secret_box, 'escape'), ',')"
                                  " FROM report_idempotency", 0, NULL);
    CHECK(stored && !strstr(stored, key) && secret && !strstr(stored, secret),
          "report_idempotency keeps neither the key nor the secret readable");
    free(stored);
    h_resp_free(&first);
    h_resp_free(&again);
}

/* A refused request keeps no key: once the body is right the key files it. */
static void refused_keeps_no_key(const struct ha_user *a)
{
    char desc[96], key[64];
    snprintf(desc, sizeof desc, "Fixed after a refusal %d", (int)getpid());
    snprintf(key, sizeof key, "refused-%d", (int)getpid());
    struct h_resp r;
    char bad[512];
    snprintf(bad, sizeof bad,
             "{\"category\":\"roads\",\"lat\":36.0,\"lon\":20.0,\"description\":\"%s\"}", desc);
    post_keyed(a, key, bad, &r);
    CHECK_PROBLEM("a point outside the served area", &r, 422, "lat");
    h_resp_free(&r);
    post_keyed(a, key, body_for(desc), &r);
    CHECK(r.status == 201, "the corrected request with the same key: expected 201, found %ld "
          "%.200s", r.status, r.body);
    char *flag = h_resp_header(&r, "idempotent-replayed");
    CHECK(!flag, "the corrected request is no replay");
    free(flag);
    h_resp_free(&r);
    CHECK_INT("reports filed after a refusal and a correction", count_described(desc), 1);
}

static void malformed_keys(const struct ha_user *a)
{
    char desc[96], long_key[300];
    snprintf(desc, sizeof desc, "Malformed key report %d", (int)getpid());
    memset(long_key, 'k', 256);
    long_key[256] = '\0';
    struct h_resp r;
    post_keyed(a, long_key, body_for(desc), &r);
    CHECK_PROBLEM("a 256-character Idempotency-Key", &r, 400, "Idempotency-Key");
    h_resp_free(&r);
    const char *headers[] = {"Idempotency-Key;", NULL}; /* curl: the header, empty */
    h_request(srv, "POST", "/api/v1/reports", headers, body_for(desc), &r);
    CHECK_PROBLEM("an empty Idempotency-Key", &r, 400, "Idempotency-Key");
    h_resp_free(&r);
    CHECK_INT("reports filed with malformed keys", count_described(desc), 0);
}

/* ---- 20 at once ---- */

struct racer {
    pthread_t t;
    const char *key, *body;
    long status;
    long long id;
    char secret[80];
};

static void *race(void *arg)
{
    struct racer *rc = arg;
    struct h_resp r;
    post_keyed(NULL, rc->key, rc->body, &r);
    rc->status = r.status;
    rc->id = r.json ? (long long)json_integer_value(json_object_get(r.json, "id")) : 0;
    snprintf(rc->secret, sizeof rc->secret, "%s",
             r.json ? json_string_value(json_object_get(r.json, "secret")) ?: "" : "");
    h_resp_free(&r);
    return NULL;
}

static void twenty_at_once(void)
{
    enum { N = 20 };
    char desc[96], key[64], body[512];
    snprintf(desc, sizeof desc, "Twenty at once %d", (int)getpid());
    snprintf(key, sizeof key, "race-%d-20", (int)getpid());
    snprintf(body, sizeof body, "%s", body_for(desc));
    struct racer rc[N];
    memset(rc, 0, sizeof rc);
    for (int i = 0; i < N; i++) {
        rc[i].key = key;
        rc[i].body = body;
        pthread_create(&rc[i].t, NULL, race, &rc[i]);
    }
    for (int i = 0; i < N; i++)
        pthread_join(rc[i].t, NULL);
    int created = 0, same = 0;
    for (int i = 0; i < N; i++) {
        created += rc[i].status == 201;
        same += rc[i].id == rc[0].id && !strcmp(rc[i].secret, rc[0].secret);
    }
    CHECK(created == N, "20 requests with one key at once: expected 20 times 201, found %d",
          created);
    CHECK(same == N && rc[0].id > 0, "20 requests with one key: expected one id and secret, "
          "found %d agreeing with the first (id %lld)", same, rc[0].id);
    CHECK_INT("reports filed by 20 requests with one key", count_described(desc), 1);
}

int main(void)
{
    h_init("test_idempotency", 240);
    curl_global_init(CURL_GLOBAL_DEFAULT); /* before the racing threads */
    const char *url = h_shared_dburl();
    db = h_pg_connect(url);
    struct h_server s;
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                         "POLIS_RATE_RESET=100000", "POLIS_RATE_ANON_WRITE=100000", NULL};
    if (h_server_start(&s, url, env) != 0)
        return h_finish();
    srv = &s;
    struct ha_user a, b;
    if (ha_new_user(&s, db, "idem-a", &a) || ha_new_user(&s, db, "idem-b", &b))
        return h_finish();

    retry_gets_the_same(&a, &b);
    anonymous_retry();
    refused_keeps_no_key(&a);
    malformed_keys(&a);
    twenty_at_once();

    PQfinish(db);
    return h_finish();
}
