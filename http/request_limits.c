#include "http/request_limits.h"

#include "http/rate_limit.h"
#include "http/respond.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int request_limits_take(struct exchange *ex, const char *bucket, int per_minute)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int wait = rate_limit_take(ex->app->limits, bucket, per_minute,
                               (double)now.tv_sec + now.tv_nsec / 1e9);
    if (!wait)
        return 0;
    char seconds[16];
    snprintf(seconds, sizeof seconds, "%d", wait);
    respond_header(ex->req, "retry-after", seconds);
    respond_problem(ex->req, 429, "/problems/rate-limited", "Too Many Requests", NULL,
                    "too many attempts; try again in %d seconds", wait);
    return 1;
}

static double now_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + now.tv_nsec / 1e9;
}

static void too_many(struct exchange *ex, int wait, const char *what)
{
    char seconds[16];
    snprintf(seconds, sizeof seconds, "%d", wait);
    respond_header(ex->req, "retry-after", seconds);
    respond_problem(ex->req, 429, "/problems/rate-limited", "Too Many Requests", NULL,
                    "%s; try again in %d second%s", what, wait, wait == 1 ? "" : "s");
}

static int is_write(h2o_req_t *req)
{
    return !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) &&
           !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
}

int request_limits_pass(struct exchange *ex)
{
    const struct route *r = &polis_routes[ex->route];
    const struct polis_config *cfg = &ex->app->cfg;
    const struct identity *who = &ex->who;
    int limit = r->rate == RATE_LOGIN      ? cfg->rate_login
                : r->rate == RATE_REGISTER ? cfg->rate_register
                : r->rate == RATE_RESET    ? cfg->rate_reset
                : r->rate == RATE_ANON_WRITE && who->rank == 0 ? cfg->rate_anon_write
                                                              : 0;
    if (limit && request_limits_take(
                     ex, exchange_printf(ex, "route %d ip %s", (int)r->rate, ex->client_key),
                     limit))
        return 1;
    if (who->user_id && is_write(ex->req) && cfg->rate_user_write &&
        request_limits_take(ex, exchange_printf(ex, "user write %ld", who->user_id),
                              cfg->rate_user_write))
        return 1;
    if (r->rate == RATE_EXPENSIVE) {
        const char *key = who->user_id ? exchange_printf(ex, "busy user %ld", who->user_id)
                                       : exchange_printf(ex, "busy ip %s", ex->client_key);
        int handle;
        if (rate_hold(ex->app->limits, key, cfg->expensive_per_client, now_seconds(), &handle)) {
            too_many(ex, 1, exchange_printf(ex, "this client already has as many expensive "
                                                "requests (searches, counts, exports) in "
                                                "progress as it may (POLIS_EXPENSIVE_PER_CLIENT"
                                                "=%d)",
                                            cfg->expensive_per_client));
            return 1;
        }
        ex->limits_hold = handle + 1;
    }
    return 0;
}

void request_limits_release(struct exchange *ex)
{
    if (ex->limits_hold > 0)
        rate_release(ex->app->limits, ex->limits_hold - 1);
    ex->limits_hold = 0;
}

/* "login fail <address key> <hash of the email in lower case>": the hash
 * keeps long addresses within a slot's key */
static const char *failure_key(struct exchange *ex, const char *email)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const char *c = email; *c; c++) {
        char lower = *c >= 'A' && *c <= 'Z' ? (char)(*c - 'A' + 'a') : *c;
        h = (h ^ (unsigned char)lower) * 1099511628211ULL;
    }
    return exchange_printf(ex, "login fail %s %016llx", ex->client_key, (unsigned long long)h);
}

int request_limits_login_refused(struct exchange *ex, const char *email)
{
    int wait = rate_fail_wait(ex->app->limits, failure_key(ex, email), now_seconds());
    if (!wait)
        return 0;
    too_many(ex, wait, "too many failed sign-ins for this account from your address");
    return 1;
}

void request_limits_login_result(struct exchange *ex, const char *email, int succeeded)
{
    const char *key = failure_key(ex, email);
    if (succeeded)
        rate_fail_clear(ex->app->limits, key);
    else
        rate_fail_record(ex->app->limits, key, ex->app->cfg.login_failures, now_seconds());
}
