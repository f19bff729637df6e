/* No report acknowledged with 201 is ever lost: several clients file
 * reports as fast as they can, the server is killed with SIGKILL in the
 * middle of the burst, a new server starts on the same database, and every
 * report that got a 201 is there, with its description. (The server answers
 * 201 only after its INSERT has committed, with synchronous_commit on.) */
#include "harness.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THREADS 6
#define PER_THREAD 35 /* 210 reports in all */
#define KILL_AFTER 60 /* 201s seen before the kill */

struct filed {
    long id;
    char description[96];
};

static struct h_server server;
static struct filed filed[THREADS][PER_THREAD];
static int nfiled[THREADS];
static atomic_int acknowledged;
static atomic_int other_answers; /* neither 201 nor "no answer" */

/* One client: files its share of reports and remembers each 201. No CHECK
 * here: the harness's counters belong to the main thread. */
static void *client(void *arg)
{
    long t = (long)arg;
    for (int i = 0; i < PER_THREAD; i++) {
        char description[96], body[300];
        snprintf(description, sizeof description, "durability %d-%ld-%d", (int)getpid(), t, i);
        snprintf(body, sizeof body,
                 "{\"category\":\"cleaning\",\"lat\":41.0917,\"lon\":23.5494,"
                 "\"description\":\"%s\"}",
                 description);
        struct h_resp r;
        h_post(&server, "/api/v1/reports", "application/json", body, &r);
        if (r.status == 201) {
            struct filed *f = &filed[t][nfiled[t]++];
            f->id = (long)json_integer_value(json_object_get(r.json, "id"));
            snprintf(f->description, sizeof f->description, "%s", description);
            atomic_fetch_add(&acknowledged, 1);
        } else if (r.status != 0) {
            atomic_fetch_add(&other_answers, 1);
        }
        h_resp_free(&r);
    }
    return NULL;
}

int main(void)
{
    h_init("test_reports_durability", 240);
    const char *url = h_shared_dburl();
    PGconn *db = h_pg_connect(url);
    const char *env[] = {"POLIS_RATE_ANON_WRITE=100000", "POLIS_ACCESS_LOG=0", NULL};
    if (h_server_start(&server, url, env) != 0)
        return h_finish();

    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, client, (void *)i);
    long long deadline = h_now_ms() + H_EVENT_DEADLINE_MS;
    while (atomic_load(&acknowledged) < KILL_AFTER && h_now_ms() < deadline)
        h_sleep_ms(1);
    int at_kill = atomic_load(&acknowledged);
    kill(server.pid, SIGKILL);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    CHECK(at_kill >= KILL_AFTER, "expected %d reports filed before the kill, found %d",
          KILL_AFTER, at_kill);
    CHECK(atomic_load(&acknowledged) < THREADS * PER_THREAD,
          "the kill must interrupt the burst (all %d reports were filed first)",
          THREADS * PER_THREAD);
    CHECK_INT("answers other than 201 or no answer", atomic_load(&other_answers), 0);
    CHECK(h_server_wait_exit(&server, H_EVENT_DEADLINE_MS / 1000), "the killed server exits");

    struct h_server again;
    if (h_server_start(&again, url, env) != 0)
        return h_finish();
    int missing = 0;
    for (int i = 0; i < THREADS; i++)
        for (int j = 0; j < nfiled[i]; j++) {
            const struct filed *f = &filed[i][j];
            char path[64];
            snprintf(path, sizeof path, "/api/v1/reports/%ld", f->id);
            struct h_resp r;
            h_get(&again, path, &r);
            const char *d = json_string_value(
                json_object_get(json_object_get(r.json, "properties"), "description"));
            if (r.status != 200 || !d || strcmp(d, f->description)) {
                missing++;
                CHECK(0, "report %ld (\"%s\") got 201 but after the restart: %ld %.200s", f->id,
                      f->description, r.status, r.body);
            }
            h_resp_free(&r);
        }
    CHECK_INT("reports acknowledged with 201 and lost", missing, 0);
    /* and each has its first history row, written by the same statement */
    char pattern[64];
    snprintf(pattern, sizeof pattern, "durability %d-%%", (int)getpid());
    const char *p[] = {pattern};
    char *without = h_pg_value(db,
                               "SELECT count(*) FROM reports r WHERE r.description LIKE $1"
                               " AND NOT EXISTS (SELECT 1 FROM report_history h"
                               "   WHERE h.report_id = r.id AND h.to_status = 'submitted')",
                               1, p);
    CHECK_STR("reports without their first history row", without, "0");
    free(without);
    printf("durability: %d reports acknowledged, %d when the server was killed\n",
           atomic_load(&acknowledged), at_kill);
    PQfinish(db);
    return h_finish();
}
