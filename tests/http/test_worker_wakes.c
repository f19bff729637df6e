/* Every worker thread woken at the same moment, thousands of times, and the
 * server stays up and answers right. Two kinds of wake come through a
 * worker's h2o message queue: a photo read off the loop (every photo GET),
 * and a batch of new mailbox entries, which the process's one reader hands
 * to every worker at once (written here straight into the inbox table, each
 * row its own transaction with its NOTIFY, as fast as one connection can).
 * Meanwhile clients fetch a report's photo as fast as they can; every one
 * gets it. The server runs 8 workers: more queues woken by each batch.
 *
 * What this guards against: the workers' h2o contexts (and with them their
 * message queues) were made on the main thread. h2o recycles socket read
 * buffers through a free list of the thread that made the socket, with no
 * lock, so every worker's queue drew from and gave back to the main
 * thread's list: two workers woken at once could take the same buffer and
 * give it back twice, and malloc crashed later (CI: a segfault in
 * _int_malloc). The window is a few instructions, so this test makes the
 * race likely rather than certain: before the fix the server aborted in each
 * of three runs (free(): invalid pointer, corrupted unsorted chunks), and
 * ThreadSanitizer reported the race in every server of the suite. */
#include "../unit/photo_fixtures.h"
#include "h_accounts.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLIENTS 8
#define BURST_MS 8000

static struct h_server server;
static char photo_url[512];
static size_t photo_len;
static long long burst_end;
static atomic_long answered, wrong; /* 200s with the photo; anything else */
static char first_wrong[300];
static atomic_int first_wrong_taken;
static char inbox_user[32], inbox_report[32];
static atomic_long entries; /* inbox rows written */

static size_t count_bytes(char *data, size_t size, size_t n, void *len)
{
    (void)data;
    *(size_t *)len += size * n;
    return size * n;
}

/* One client on one keep-alive connection, as fast as it can until the
 * burst ends. */
static void *client(void *arg)
{
    (void)arg;
    CURL *c = curl_easy_init();
    size_t got = 0;
    curl_easy_setopt(c, CURLOPT_URL, photo_url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, count_bytes);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &got);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    while (h_now_ms() < burst_end) {
        got = 0;
        CURLcode rc = curl_easy_perform(c);
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (rc == CURLE_OK && status == 200 && got == photo_len) {
            atomic_fetch_add(&answered, 1);
            continue;
        }
        atomic_fetch_add(&wrong, 1);
        if (!atomic_exchange(&first_wrong_taken, 1))
            snprintf(first_wrong, sizeof first_wrong, "status %ld, %zu bytes, %s", status, got,
                     curl_easy_strerror(rc));
        if (rc != CURLE_OK)
            break; /* no answer: the server is gone, no need to keep knocking */
    }
    curl_easy_cleanup(c);
    return NULL;
}

/* New mailbox entries for the test's own user, one transaction each: the
 * server's reader wakes on each NOTIFY and hands what it read to both
 * workers. */
static void *inbox_writer(void *arg)
{
    PGconn *db = h_pg_connect(arg);
    const char *p[] = {inbox_user, inbox_report};
    while (h_now_ms() < burst_end) {
        PGresult *res = PQexecParams(db,
                                     "WITH i AS (INSERT INTO inbox (user_id, report_id)"
                                     "  VALUES ($1::bigint, $2::bigint) RETURNING user_id)"
                                     " SELECT pg_notify('polis_inbox', user_id::text) FROM i",
                                     2, NULL, p, NULL, NULL, 0);
        int ok = PQresultStatus(res) == PGRES_TUPLES_OK;
        PQclear(res);
        if (!ok)
            break;
        atomic_fetch_add(&entries, 1);
    }
    PQfinish(db);
    return NULL;
}

int main(void)
{
    h_init("test_worker_wakes", 240);
    const char *url = h_shared_dburl();
    PGconn *db = h_pg_connect(url);
    const char *env[] = {"POLIS_RATE_ANON_WRITE=100000", "POLIS_RATE_REGISTER=100000",
                         "POLIS_RATE_LOGIN=100000", "POLIS_ACCESS_LOG=0", "POLIS_THREADS=8",
                         NULL};
    if (h_server_start(&server, url, env) != 0)
        return h_finish();
    struct ha_user u;
    if (ha_new_user(&server, db, "wakes", &u))
        return h_finish();

    struct h_resp r;
    ha_call(&server, &u, "POST", "/api/v1/reports",
            "{\"category\":\"cleaning\",\"lat\":41.0912,\"lon\":23.5490,"
            "\"description\":\"worker wakes\"}",
            &r);
    CHECK(r.status == 201, "file a report: expected 201, found %ld %.200s", r.status, r.body);
    long id = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/photos", id);
    uint8_t jpeg[1024];
    size_t len = fx_jpeg_with_exif(jpeg);
    ha_upload(&server, &u, path, "image/jpeg", jpeg, len, &r);
    CHECK(r.status == 201, "upload a photo: expected 201, found %ld %.300s", r.status, r.body);
    const char *photo = json_string_value(json_object_get(r.json, "url"));
    snprintf(photo_url, sizeof photo_url, "%s", photo ? photo : "");
    h_resp_free(&r);
    if (!*photo_url)
        return h_finish();
    h_get_url(photo_url, &r);
    CHECK_INT("GET the photo once", r.status, 200);
    photo_len = r.len;
    h_resp_free(&r);
    snprintf(inbox_user, sizeof inbox_user, "%ld", u.id);
    snprintf(inbox_report, sizeof inbox_report, "%ld", id);

    burst_end = h_now_ms() + BURST_MS;
    pthread_t t[CLIENTS], writer;
    pthread_create(&writer, NULL, inbox_writer, (void *)url);
    for (long i = 0; i < CLIENTS; i++)
        pthread_create(&t[i], NULL, client, NULL);
    for (int i = 0; i < CLIENTS; i++)
        pthread_join(t[i], NULL);
    pthread_join(writer, NULL);

    CHECK(h_server_alive(&server),
          "the server is still running after %ld photos and %ld mailbox entries",
          atomic_load(&answered), atomic_load(&entries));
    CHECK_INT("photo requests not answered 200 with the photo", atomic_load(&wrong), 0);
    if (atomic_load(&wrong))
        fprintf(stderr, "first wrong answer: %s\n", first_wrong);
    CHECK(atomic_load(&answered) > 0, "photos were served during the burst");
    CHECK(atomic_load(&entries) > 0, "mailbox entries were written during the burst");
    h_get(&server, "/healthz", &r);
    CHECK_INT("GET /healthz after the burst", r.status, 200);
    h_resp_free(&r);
    printf("worker wakes: %ld photos served and %ld mailbox entries in %d ms\n",
           atomic_load(&answered), atomic_load(&entries), BURST_MS);
    PQfinish(db);
    return h_finish();
}
