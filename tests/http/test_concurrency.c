/* Many clients at once: every answer must belong to its own question. The
 * server multiplexes requests over a few database connections per thread;
 * a mix-up there would tell a citizen in Serres that they are in Andros.
 * Two ways in: many HTTP/1.1 clients in parallel threads, and many HTTP/2
 * streams multiplexed on one connection (h2c by Upgrade: libcurl 7.88 fails
 * to reuse a prior-knowledge h2c connection, curl issue #10634, fixed in 8.0). */
#include "harness.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *query;
    const char *code;        /* expected municipality code; "" for null, NULL for 404 */
} points[] = {
    {"lat=41.0910&lon=23.5496", "9054"},   /* Serres */
    {"lat=40.9058&lon=23.4976", "9050"},   /* Nigrita, Visaltia */
    {"lat=40.6000&lon=22.9870", "9037"},   /* Pylaia */
    {"lat=37.8390&lon=24.9340", "9268"},   /* Andros */
    {"lat=40.2550&lon=24.2460", ""},       /* Karyes, Mount Athos */
    {"lat=36&lon=20", NULL},               /* Ionian Sea */
};
#define N_POINTS (sizeof points / sizeof points[0])
#define THREADS 8
#define PER_THREAD 30
#define STREAMS 60

static struct h_server srv;
static int wrong[THREADS];

/* Does this response answer point i? Prints why not. */
static int answers(size_t i, long status, const char *media, json_t *json, const char *body)
{
    if (!points[i].code)
        return status == 404;
    json_t *code = json_object_get(json_object_get(json, "municipality"), "code");
    const char *got = json_is_null(code) ? "" : json_string_value(code);
    int ok = status == 200 && media && strcmp(media, "application/json") == 0 && got &&
             strcmp(got, points[i].code) == 0;
    if (!ok)
        fprintf(stderr, "  %s: expected code \"%s\", got status %ld body %.200s\n",
                points[i].query, points[i].code, status, body);
    return ok;
}

static void *client(void *arg)
{
    int t = (int)(long)arg;
    for (int k = 0; k < PER_THREAD; k++) {
        size_t i = (size_t)(t + k) % N_POINTS;
        char path[128];
        snprintf(path, sizeof path, "/api/v1/locate?%s", points[i].query);
        struct h_resp r;
        h_get(&srv, path, &r);
        if (!answers(i, r.status, r.media_type, r.json, r.body))
            wrong[t]++;
        h_resp_free(&r);
    }
    return NULL;
}

struct stream {
    size_t point;
    struct h_body body;
};

/* STREAMS requests on one HTTP/2 connection; returns how many were wrong. */
static int h2_multiplexed(void)
{
    CURLM *m = curl_multi_init();
    curl_multi_setopt(m, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
    static struct stream st[STREAMS];
    CURL *easy[STREAMS];
    for (int k = 0; k < STREAMS; k++) {
        st[k].point = (size_t)k % N_POINTS;
        char url[256];
        snprintf(url, sizeof url, "%s/api/v1/locate?%s", srv.base, points[st[k].point].query);
        easy[k] = curl_easy_init();
        curl_easy_setopt(easy[k], CURLOPT_URL, url);
        curl_easy_setopt(easy[k], CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_0);
        curl_easy_setopt(easy[k], CURLOPT_PIPEWAIT, 1L);
        curl_easy_setopt(easy[k], CURLOPT_TIMEOUT, 60L);
        curl_easy_setopt(easy[k], CURLOPT_WRITEFUNCTION, h_body_append);
        curl_easy_setopt(easy[k], CURLOPT_WRITEDATA, &st[k].body);
        curl_multi_add_handle(m, easy[k]);
    }
    int running = 1;
    while (running) {
        curl_multi_perform(m, &running);
        if (running)
            curl_multi_poll(m, NULL, 0, 1000, NULL);
    }
    int bad = 0;
    long connects = 0;
    for (int k = 0; k < STREAMS; k++) {
        long status = 0, version = 0, nc = 0;
        curl_easy_getinfo(easy[k], CURLINFO_NUM_CONNECTS, &nc);
        connects += nc;
        char *ctype = NULL;
        curl_easy_getinfo(easy[k], CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(easy[k], CURLINFO_HTTP_VERSION, &version);
        curl_easy_getinfo(easy[k], CURLINFO_CONTENT_TYPE, &ctype);
        char media[128] = "";
        if (ctype)
            snprintf(media, sizeof media, "%.*s", (int)strcspn(ctype, "; "), ctype);
        json_t *j = st[k].body.p ? json_loads(st[k].body.p, 0, NULL) : NULL;
        if (version != CURL_HTTP_VERSION_2_0 ||
            !answers(st[k].point, status, media, j, st[k].body.p ? st[k].body.p : "")) {
            if (version != CURL_HTTP_VERSION_2_0)
                fprintf(stderr, "  stream %d: expected HTTP/2, got version code %ld\n", k,
                        version);
            bad++;
        }
        json_decref(j);
        free(st[k].body.p);
        curl_multi_remove_handle(m, easy[k]);
        curl_easy_cleanup(easy[k]);
    }
    curl_multi_cleanup(m);
    printf("%d HTTP/2 requests used %ld connection(s)\n", STREAMS, connects);
    return bad;
}

int main(void)
{
    h_init("test_concurrency", 240);
    /* HTTP/2 without TLS is off by default (POLIS_HTTP2_CLEARTEXT) */
    static const char *const env[] = {"POLIS_HTTP2_CLEARTEXT=1", NULL};
    if (h_server_start(&srv, h_shared_dburl(), env) != 0)
        return h_finish();

    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, client, (void *)i);
    int bad = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        bad += wrong[i];
    }
    CHECK(bad == 0, "%d HTTP/1.1 clients x %d requests: expected every answer to match its "
          "point, %d did not (listed above)", THREADS, PER_THREAD, bad);

    bad = h2_multiplexed();
    CHECK(bad == 0, "%d HTTP/2 streams on one connection: expected every answer to match its "
          "point, %d did not (listed above)", STREAMS, bad);

    CHECK(h_server_alive(&srv), "polis serve exited under load (wait status %d)",
          srv.exit_status);
    return h_finish();
}
