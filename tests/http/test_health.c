/* What an operator relies on: /healthz and /readyz for the load balancer,
 * /metrics for Prometheus with its POLIS_METRICS_TOKEN (request counters per
 * route and status, latency histogram, database connections), and one
 * access-log line per request. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The value of the first metrics line that starts with prefix and contains
 * every string in needles (NULL-terminated); -1 when there is none. */
static double metric(const char *text, const char *prefix, const char *const *needles)
{
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char buf[1024];
        if (len < sizeof buf) {
            memcpy(buf, line, len);
            buf[len] = '\0';
            int ok = strncmp(buf, prefix, strlen(prefix)) == 0;
            for (int i = 0; ok && needles[i]; i++)
                ok = strstr(buf, needles[i]) != NULL;
            const char *sp = strrchr(buf, ' ');
            if (ok && sp)
                return atof(sp + 1);
        }
        line = end ? end + 1 : NULL;
    }
    return -1;
}

/* 1 when a log line contains all needles, 0 when none ever does
 * (H_EVENT_DEADLINE_MS): the server may write the line after it has sent
 * the response, so the test waits for the line to appear. */
static int log_has_line(const struct h_server *s, const char *const *needles)
{
    for (long long deadline = h_now_ms() + H_EVENT_DEADLINE_MS; h_now_ms() < deadline;
         h_sleep_ms(100)) {
        char *log = h_server_log(s);
        int found = 0;
        for (char *line = strtok(log, "\n"); line && !found; line = strtok(NULL, "\n")) {
            found = 1;
            for (int i = 0; found && needles[i]; i++)
                found = strstr(line, needles[i]) != NULL;
        }
        free(log);
        if (found)
            return 1;
    }
    return 0;
}

int main(void)
{
    h_init("test_health", 240);
    struct h_server s;
    /* /metrics is for Prometheus with this token (or an admin: test_privacy) */
    static const char *const env[] = {"POLIS_METRICS_TOKEN=health-test-scraper-token", NULL};
    static const char *const scraper[] = {"Authorization: Bearer health-test-scraper-token",
                                          NULL};
    if (h_server_start(&s, h_shared_dburl(), env) != 0)
        return h_finish();
    struct h_resp r;

    /* Straight after start-up (the harness only waited for /healthz) the
     * database connections may still be opening: a request must wait for
     * them, not fail (an earlier server answered 503 "database not reachable"
     * to the first requests of the second server in test_limits). */
    h_get(&s, "/api/v1/locate?lat=41.0910&lon=23.5496", &r);
    CHECK(r.status == 200, "first GET /api/v1/locate right after start-up: expected 200, "
          "found %ld %.300s", r.status, r.body);
    h_resp_free(&r);

    h_get(&s, "/healthz", &r);
    CHECK_INT("GET /healthz status", r.status, 200);
    CHECK_STR("GET /healthz", r.media_type, "application/json");
    CHECK_STR("GET /healthz: status member", json_string_value(json_object_get(r.json, "status")),
              "ok");
    h_resp_free(&r);

    h_get(&s, "/readyz", &r);
    CHECK(r.status == 200, "GET /readyz on a migrated database: expected 200, found %ld %.300s",
          r.status, r.body);
    CHECK_STR("GET /readyz", r.media_type, "application/json");
    CHECK_STR("GET /readyz: status member", json_string_value(json_object_get(r.json, "status")),
              "ready");
    h_resp_free(&r);

    /* Traffic to count: 3 (+1 above) found, 2 not found. */
    for (int i = 0; i < 3; i++) {
        h_get(&s, "/api/v1/locate?lat=41.0910&lon=23.5496", &r);
        CHECK_INT("GET /api/v1/locate (Serres) status", r.status, 200);
        h_resp_free(&r);
    }
    for (int i = 0; i < 2; i++) {
        h_get(&s, "/api/v1/locate?lat=36&lon=20", &r);
        CHECK_INT("GET /api/v1/locate (sea) status", r.status, 404);
        h_resp_free(&r);
    }
    char missing[64];
    snprintf(missing, sizeof missing, "/no-such-page-%d", (int)getpid());
    h_get(&s, missing, &r);
    CHECK_INT("GET /no-such-page status", r.status, 404);
    char missing_bytes[32];
    snprintf(missing_bytes, sizeof missing_bytes, "%zu", r.len);
    h_resp_free(&r);

    h_request(&s, "GET", "/metrics", scraper, NULL, &r);
    CHECK_INT("GET /metrics status", r.status, 200);
    CHECK_STR("GET /metrics", r.media_type, "text/plain");
    const char *ok200[] = {"locate", "status=\"200\"", NULL};
    const char *nf404[] = {"locate", "status=\"404\"", NULL};
    const char *any[] = {NULL};
    const char *le_inf[] = {"locate", "le=\"+Inf\"", NULL};
    const char *loc[] = {"locate", NULL};
    double n200 = metric(r.body, "polis_http_requests_total{", ok200);
    double n404 = metric(r.body, "polis_http_requests_total{", nf404);
    CHECK(n200 >= 3, "metrics: expected polis_http_requests_total{route=\"...locate...\","
          "status=\"200\"} >= 3, found %g in:\n%.2000s", n200, r.body);
    CHECK(n404 >= 2, "metrics: expected polis_http_requests_total{route=\"...locate...\","
          "status=\"404\"} >= 2, found %g", n404);
    double inf = metric(r.body, "polis_http_request_duration_seconds_bucket{", le_inf);
    double count = metric(r.body, "polis_http_request_duration_seconds_count{", loc);
    CHECK(inf >= 5, "metrics: expected a locate duration bucket le=\"+Inf\" >= 5, found %g", inf);
    CHECK(count >= 5 && count == inf, "metrics: expected locate duration _count (%g) equal to "
          "its +Inf bucket (%g), both >= 5", count, inf);
    CHECK(metric(r.body, "polis_http_request_duration_seconds_sum{", loc) >= 0,
          "metrics: expected polis_http_request_duration_seconds_sum for locate");
    CHECK(metric(r.body, "polis_db_connections{state=", any) >= 0,
          "metrics: expected polis_db_connections{state=\"...\"} lines");
    /* POLIS_DB_CONNECTIONS unset: 32 per process over the harness' 2 threads
     * (issue 16: more filings in flight share each commit flush) */
    double pool = 0;
    const char *states[] = {"idle", "busy", "connecting", "down"};
    for (int i = 0; i < 4; i++) {
        const char *state[] = {states[i], NULL};
        pool += metric(r.body, "polis_db_connections{state=", state);
    }
    CHECK(pool == 32, "metrics: expected 32 database connections by default (idle + busy + "
          "connecting + down), found %g", pool);
    h_resp_free(&r);

    /* Access log: one line per request with method, path and status. */
    const char *line_locate[] = {"GET", "/api/v1/locate", "200", NULL};
    const char *line_missing[] = {"GET", missing, "404", missing_bytes, "ms", NULL};
    CHECK(log_has_line(&s, line_locate),
          "access log (%s): expected a line with GET, /api/v1/locate and 200", s.log_path);
    CHECK(log_has_line(&s, line_missing),
          "access log (%s): expected a line with GET, %s, 404, %s (bytes) and ms",
          s.log_path, missing, missing_bytes);
    return h_finish();
}
