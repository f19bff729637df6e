/* Operations endpoints: liveness, readiness, Prometheus metrics. */
#include "common/textbuf.h"
#include "gis/embedded_sql.h"
#include "gis/migrate.h"
#include "api/api.h"
#include "http/respond.h"
#include "tiles/tiles.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void api_healthz(struct exchange *ex)
{
    static const char body[] = "{\"status\":\"ok\"}";
    respond_bytes(ex->req, 200, CT_JSON, body, sizeof body - 1);
}

/* Ready means: the database answers and its schema is the one this binary
 * was built for. A load balancer sends no traffic while it is 503. */
static void readyz_done(struct exchange *ex, PGresult *res)
{
    int expected = polis_migrations_count;
    if (!res) {
        respond_problem(ex->req, 503, "/problems/not-ready", "Not ready", NULL,
                        "the database is unreachable");
        return;
    }
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (state && !strcmp(state, "42P01")) { /* schema_migrations does not exist */
        respond_problem(ex->req, 503, "/problems/not-ready", "Not ready", NULL,
                        "%d migrations pending: the database has none applied; run "
                        "'polis migrate'",
                        expected);
        return;
    }
    if (respond_db_failure(ex->req, res))
        return;
    int applied = atoi(PQgetvalue(res, 0, MIGRATE_APPLIED_COUNT));
    int at = atoi(PQgetvalue(res, 0, MIGRATE_APPLIED_HIGHEST));
    if (applied < expected) {
        respond_problem(ex->req, 503, "/problems/not-ready", "Not ready", NULL,
                        "%d migrations pending: the database is at version %d, this server "
                        "needs %d; run 'polis migrate'",
                        expected - applied, at, migrate_latest_version());
        return;
    }
    json_t *body = json_pack("{s:s,s:s,s:{s:i,s:i}}", "status", "ready", "database", "ok",
                             "schema", "applied", applied, "expected", expected);
    respond_json(ex->req, 200, body);
}

void api_readyz(struct exchange *ex)
{
    char *versions = h2o_mem_alloc_pool(&ex->req->pool, 4096);
    migrate_versions_array(versions, 4096);
    const char *args[] = {versions};
    exchange_query_prepared(ex, MIGRATE_APPLIED_VERSION_SQL, 1, args, readyz_done);
}

static void render_route_metrics(struct textbuf *t, const struct polis_metrics *m, int route,
                                 const char *name)
{
    unsigned long count = 0;
    for (int s = 0; s < 500; s++) {
        unsigned long n = atomic_load_explicit(&m->requests[route][s], memory_order_relaxed);
        if (n)
            textbuf_printf(t, "polis_http_requests_total{route=\"%s\",status=\"%d\"} %lu\n", name,
                        s + 100, n);
    }
    for (int b = 0; b <= METRICS_BUCKETS; b++)
        count += atomic_load_explicit(&m->latency[route][b], memory_order_relaxed);
    if (!count)
        return;
    unsigned long cumulative = 0;
    for (int b = 0; b <= METRICS_BUCKETS; b++) {
        cumulative += atomic_load_explicit(&m->latency[route][b], memory_order_relaxed);
        if (b < METRICS_BUCKETS)
            textbuf_printf(t,
                        "polis_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %lu\n",
                        name, metrics_bucket_bounds[b], cumulative);
        else
            textbuf_printf(t,
                        "polis_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lu\n",
                        name, cumulative);
    }
    textbuf_printf(t, "polis_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", name,
                atomic_load_explicit(&m->latency_sum_us[route], memory_order_relaxed) / 1e6);
    textbuf_printf(t, "polis_http_request_duration_seconds_count{route=\"%s\"} %lu\n", name, count);
}

void api_metrics(struct exchange *ex)
{
    struct polis_ctx *app = ex->app;
    struct textbuf t = {0};
    textbuf_printf(&t, "# HELP polis_http_requests_total HTTP requests by route and status.\n"
                    "# TYPE polis_http_requests_total counter\n");
    for (int r = 0; r < polis_route_count; r++)
        render_route_metrics(&t, &app->metrics, r, polis_routes[r].pattern);
    render_route_metrics(&t, &app->metrics, METRICS_MAX_ROUTES - 1, "unmatched");
    textbuf_printf(&t, "# TYPE polis_http_request_duration_seconds histogram\n");
    textbuf_printf(&t, "# HELP polis_http_response_bytes_total Bytes sent in responses.\n"
                    "# TYPE polis_http_response_bytes_total counter\n"
                    "polis_http_response_bytes_total %lu\n",
                atomic_load(&app->metrics.bytes_sent));
    textbuf_printf(&t, "# HELP polis_password_work_total Password hashing work (argon2id) by kind:"
                       " verifications (sign-in, key minting, password change; an unknown email"
                       " costs one too) and hashes made.\n"
                       "# TYPE polis_password_work_total counter\n"
                       "polis_password_work_total{kind=\"verify\"} %lu\n"
                       "polis_password_work_total{kind=\"hash\"} %lu\n",
                   atomic_load(&app->metrics.password_verifications),
                   atomic_load(&app->metrics.password_hashes));

    int connecting = 0, idle = 0, busy = 0, down = 0, queued = 0, in_flight = 0;
    unsigned long queries = 0, failures = 0;
    for (int i = 0; i < app->nworkers; i++) {
        const struct db_pool_stats *s = db_pool_stats(app->workers[i].db);
        connecting += atomic_load(&s->connecting);
        idle += atomic_load(&s->idle);
        busy += atomic_load(&s->busy);
        down += atomic_load(&s->down);
        queued += atomic_load(&s->queued);
        queries += atomic_load(&s->queries);
        failures += atomic_load(&s->failures);
        in_flight += atomic_load(&app->workers[i].in_flight);
    }
    textbuf_printf(&t,
                "# HELP polis_db_connections Database connections by state.\n"
                "# TYPE polis_db_connections gauge\n"
                "polis_db_connections{state=\"idle\"} %d\n"
                "polis_db_connections{state=\"busy\"} %d\n"
                "polis_db_connections{state=\"connecting\"} %d\n"
                "polis_db_connections{state=\"down\"} %d\n"
                "# HELP polis_db_queue_length Queries waiting for a free connection.\n"
                "# TYPE polis_db_queue_length gauge\n"
                "polis_db_queue_length %d\n"
                "# HELP polis_db_queries_total Queries sent to the database.\n"
                "# TYPE polis_db_queries_total counter\n"
                "polis_db_queries_total %lu\n"
                "# HELP polis_db_unavailable_total Queries failed because no connection was up.\n"
                "# TYPE polis_db_unavailable_total counter\n"
                "polis_db_unavailable_total %lu\n"
                "# HELP polis_http_in_flight Requests being handled.\n"
                "# TYPE polis_http_in_flight gauge\n"
                "polis_http_in_flight %d\n"
                "# HELP polis_worker_threads Event-loop threads.\n"
                "# TYPE polis_worker_threads gauge\n"
                "polis_worker_threads %d\n",
                idle, busy, connecting, down, queued, queries, failures, in_flight, app->nworkers);
    char *tiles_text;
    size_t tiles_len;
    tiles_metrics_text(app->tiles, &tiles_text, &tiles_len);
    textbuf_printf(&t, "%.*s", (int)tiles_len, tiles_text);
    free(tiles_text);
    respond_bytes(ex->req, 200, "text/plain; version=0.0.4; charset=utf-8", t.buf, t.len);
    free(t.buf);
}
