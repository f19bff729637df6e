#include "http/identity.h"

#include "auth/accounts_sql.h"
#include "auth/token.h"
#include "http/rate_limit.h"
#include "http/request_limits.h"
#include "http/respond.h"
#include "http/session.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int identity_rank_of(const char *role)
{
    if (!role)
        return 0;
    if (!strcmp(role, "admin"))
        return 3;
    if (!strcmp(role, "staff"))
        return 2;
    return !strcmp(role, "citizen") ? 1 : 0;
}

int identity_in_department(const struct identity *who, long department_id)
{
    if (who->rank >= 3)
        return 1;
    if (who->rank < 2)
        return 0;
    for (int i = 0; i < who->ndepartments; i++)
        if (who->departments[i] == department_id)
            return 1;
    return 0;
}

/* The client's address: the peer, or behind a trusted proxy the rightmost
 * untrusted address of X-Forwarded-For (http/client_addr.h). */
static void client_ip(struct exchange *ex)
{
    struct sockaddr_storage ss;
    socklen_t len = ex->req->conn->callbacks->get_peername(ex->req->conn, (struct sockaddr *)&ss);
    const void *addr = NULL;
    char peer[CLIENT_ADDR_MAX];
    if (len && ss.ss_family == AF_INET)
        addr = &((struct sockaddr_in *)&ss)->sin_addr;
    else if (len && ss.ss_family == AF_INET6)
        addr = &((struct sockaddr_in6 *)&ss)->sin6_addr;
    if (!addr || !inet_ntop(ss.ss_family, addr, peer, sizeof peer))
        snprintf(peer, sizeof peer, "unknown");
    const struct trusted_proxies *trusted = &ex->app->cfg.trusted;
    h2o_iovec_t forwarded = {NULL, 0};
    if (trusted->count && trusted_proxies_contain(trusted, peer)) {
        /* several X-Forwarded-For headers are one list, in order */
        for (ssize_t i = -1;
             (i = h2o_find_header(&ex->req->headers, H2O_TOKEN_X_FORWARDED_FOR, i)) != -1;) {
            h2o_iovec_t v = ex->req->headers.entries[i].value;
            forwarded = forwarded.base ? h2o_concat(&ex->req->pool, forwarded,
                                                    h2o_iovec_init(H2O_STRLIT(",")), v)
                                       : v;
        }
    }
    client_addr_resolve(trusted, peer, forwarded.base, forwarded.len, ex->client_ip);
    client_addr_key(ex->client_ip, ex->client_key);
}

const char *identity_find_cookie(h2o_req_t *req, const char *name)
{
    size_t nlen = strlen(name);
    for (ssize_t i = -1; (i = h2o_find_header(&req->headers, H2O_TOKEN_COOKIE, i)) != -1;) {
        h2o_iovec_t v = req->headers.entries[i].value;
        const char *p = v.base, *end = v.base + v.len;
        while (p < end) {
            while (p < end && (*p == ' ' || *p == ';'))
                p++;
            const char *semi = memchr(p, ';', (size_t)(end - p));
            const char *stop = semi ? semi : end;
            if ((size_t)(stop - p) > nlen && !memcmp(p, name, nlen) && p[nlen] == '=')
                return h2o_strdup(&req->pool, p + nlen + 1, (size_t)(stop - p - nlen - 1)).base;
            p = stop;
        }
    }
    return NULL;
}

static const char *find_bearer(h2o_req_t *req)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_AUTHORIZATION, -1);
    if (i < 0)
        return NULL;
    h2o_iovec_t v = req->headers.entries[i].value;
    if (v.len <= 7 || strncasecmp(v.base, "Bearer ", 7))
        return "";
    return h2o_strdup(&req->pool, v.base + 7, v.len - 7).base;
}

static void parse_departments(struct identity *who, const char *list)
{
    while (*list && who->ndepartments < IDENTITY_MAX_DEPARTMENTS) {
        char *end;
        long id = strtol(list, &end, 10);
        if (end == list)
            break;
        who->departments[who->ndepartments++] = id;
        list = *end == ',' ? end + 1 : end;
    }
}

static unsigned parse_scopes(const char *list)
{
    unsigned s = 0;
    if (strstr(list, "read"))
        s |= SCOPE_READ;
    if (strstr(list, "report"))
        s |= SCOPE_REPORT;
    if (strstr(list, "staff"))
        s |= SCOPE_STAFF;
    return s;
}

static int is_safe_method(h2o_req_t *req)
{
    return h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) ||
           h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
}

static void unauthorized(struct exchange *ex, const char *detail)
{
    respond_header(ex->req, "www-authenticate", "Bearer realm=\"polis\"");
    respond_problem(ex->req, 401, "/problems/unauthorized", "Unauthorized", NULL, "%s", detail);
}

/* The route's rule against who is asking; then the handler. */
static void authorize_and_run(struct exchange *ex)
{
    const struct route *r = &polis_routes[ex->route];
    struct identity *who = &ex->who;
    h2o_req_t *req = ex->req;
    int safe = is_safe_method(req);

    if (r->access >= ACCESS_SIGNED_IN && who->rank == 0) {
        unauthorized(ex, "sign in (session cookie) or send an API key "
                         "(Authorization: Bearer ...) to use this resource");
        return;
    }
    int admin_route = r->access == ACCESS_ADMIN || r->access == ACCESS_METRICS;
    if ((r->access == ACCESS_STAFF && who->rank < 2) || (admin_route && who->rank < 3)) {
        respond_problem(req, 403, "/problems/forbidden", "Forbidden", NULL,
                        "this resource is for %s; you are signed in as %s",
                        admin_route ? "administrators" : "municipal staff", who->role);
        return;
    }
    if (who->via == CRED_API_KEY) {
        int staff_route = r->access >= ACCESS_STAFF;
        if ((staff_route && !(who->scopes & SCOPE_STAFF)) ||
            (!safe && !(who->scopes & (SCOPE_REPORT | SCOPE_STAFF)))) {
            respond_problem(req, 403, "/problems/insufficient-scope", "Forbidden", NULL,
                            "this API key's scopes do not allow this request (it needs the "
                            "\"%s\" scope)",
                            staff_route ? "staff" : "report");
            return;
        }
    }
    if (who->via == CRED_SESSION && !safe) {
        ssize_t i = h2o_find_header_by_str(&req->headers, H2O_STRLIT(CSRF_HEADER), -1);
        const char *sent = i < 0 ? "" :
            h2o_strdup(&req->pool, req->headers.entries[i].value.base,
                       req->headers.entries[i].value.len).base;
        if (!token_equal(sent, who->csrf_token)) {
            respond_problem(req, 403, "/problems/csrf", "Forbidden", NULL,
                            "a request signed in with the session cookie that changes something "
                            "must carry the X-CSRF-Token header given at sign-in (and by GET "
                            "/api/v1/me)");
            return;
        }
    }
    if (request_limits_pass(ex))
        return;
    r->handle(ex);
}

/* Fills ex->who from a row of SESSION_LOOKUP_SQL or API_KEY_LOOKUP_SQL. */
static void fill_identity(struct exchange *ex, PGresult *res)
{
    struct identity *who = &ex->who;
    _Static_assert((int)SESSION_LOOKUP_USER_ID == (int)API_KEY_LOOKUP_USER_ID &&
                       (int)SESSION_LOOKUP_EMAIL == (int)API_KEY_LOOKUP_EMAIL &&
                       (int)SESSION_LOOKUP_ROLE == (int)API_KEY_LOOKUP_ROLE,
                   "both lookups start with the user's id, email and role");
    who->user_id = atol(PQgetvalue(res, 0, SESSION_LOOKUP_USER_ID));
    who->email = exchange_strdup(ex, PQgetvalue(res, 0, SESSION_LOOKUP_EMAIL));
    who->role = exchange_strdup(ex, PQgetvalue(res, 0, SESSION_LOOKUP_ROLE));
    who->rank = identity_rank_of(who->role);
    if (who->via == CRED_SESSION) {
        who->csrf_token = exchange_strdup(ex, PQgetvalue(res, 0, SESSION_LOOKUP_CSRF_TOKEN));
        who->scopes = SCOPE_READ | SCOPE_REPORT | SCOPE_STAFF;
        parse_departments(who, PQgetvalue(res, 0, SESSION_LOOKUP_DEPARTMENTS));
    } else {
        who->key_id = atol(PQgetvalue(res, 0, API_KEY_LOOKUP_KEY_ID));
        who->scopes = parse_scopes(PQgetvalue(res, 0, API_KEY_LOOKUP_SCOPES));
        parse_departments(who, PQgetvalue(res, 0, API_KEY_LOOKUP_DEPARTMENTS));
    }
}

static void on_identity(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct identity *who = &ex->who;
    if (PQntuples(res) == 0) {
        if (who->via == CRED_API_KEY) {
            unauthorized(ex, "the API key is unknown or has been revoked");
            return;
        }
        /* an expired or revoked session: go on as anonymous */
        memset(who, 0, sizeof *who);
        authorize_and_run(ex);
        return;
    }
    fill_identity(ex, res);
    authorize_and_run(ex);
}

void identity_then_run(struct exchange *ex)
{
    client_ip(ex);
    const char *key = find_bearer(ex->req);
    const char *session =
        key ? NULL : identity_find_cookie(ex->req, session_cookie_name(&ex->app->cfg));
    if (key && !*key) {
        unauthorized(ex, "the Authorization header must be \"Bearer <API key>\"");
        return;
    }
    const struct route *r = &polis_routes[ex->route];
    const char *metrics_token = ex->app->cfg.metrics_token;
    if (key && r->access == ACCESS_METRICS && *metrics_token && token_equal(key, metrics_token)) {
        r->handle(ex); /* the scraper: no account behind it */
        return;
    }
    if (r->access == ACCESS_TOKEN ||
        (!key && r->access == ACCESS_PUBLIC && is_safe_method(ex->req))) {
        /* public reads and token links do not depend on who asks: no
         * lookup of a cookie or key (and so no CSRF check) */
        authorize_and_run(ex);
        return;
    }
    const char *token = key ? key : session;
    if (!token || !*token || strlen(token) > 200) {
        authorize_and_run(ex);
        return;
    }
    char *digest = h2o_mem_alloc_pool(&ex->req->pool, TOKEN_DIGEST_HEX_MAX);
    token_digest_hex(token, digest);
    if (key) {
        ex->who.via = CRED_API_KEY;
        const char *args[] = {digest};
        exchange_query_prepared(ex, API_KEY_LOOKUP_SQL, 1, args, on_identity);
    } else {
        ex->who.via = CRED_SESSION;
        ex->who.session_digest = digest;
        const char *args[] = {digest,
                              exchange_printf(ex, "%d", ex->app->cfg.session_idle_minutes * 60)};
        exchange_query_prepared(ex, SESSION_LOOKUP_SQL, 2, args, on_identity);
    }
}

static void on_key_identity(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    int found = PQntuples(res) == 1;
    if (found)
        fill_identity(ex, res);
    else
        memset(&ex->who, 0, sizeof ex->who);
    ex->identity_then(ex, found);
}

void identity_use_api_key(struct exchange *ex, const char *key,
                          void (*then)(struct exchange *ex, int found))
{
    char *digest = h2o_mem_alloc_pool(&ex->req->pool, TOKEN_DIGEST_HEX_MAX);
    token_digest_hex(key, digest);
    memset(&ex->who, 0, sizeof ex->who);
    ex->who.via = CRED_API_KEY;
    ex->identity_then = then;
    const char *args[] = {digest};
    exchange_query_prepared(ex, API_KEY_LOOKUP_SQL, 1, args, on_key_identity);
}

int identity_staff_scope(const struct identity *who)
{
    return who->via != CRED_API_KEY || (who->scopes & SCOPE_STAFF);
}

int identity_acts_as_staff(const struct identity *who)
{
    return who->rank >= 2 && identity_staff_scope(who);
}

void identity_viewer_args(struct exchange *ex, const char *out[3])
{
    const struct identity *who = &ex->who;
    int staff_scope = identity_staff_scope(who);
    out[0] = who->user_id ? exchange_printf(ex, "%ld", who->user_id) : NULL;
    out[1] = who->rank >= 3 && staff_scope ? "true" : "false";
    char deps[IDENTITY_MAX_DEPARTMENTS * 21 + 3] = "{";
    size_t n = 1;
    for (int i = 0; who->rank == 2 && staff_scope && i < who->ndepartments; i++)
        n += (size_t)snprintf(deps + n, sizeof deps - n, "%s%ld", i ? "," : "",
                              who->departments[i]);
    snprintf(deps + n, sizeof deps - n, "}");
    out[2] = exchange_strdup(ex, deps);
}

int identity_require_session(struct exchange *ex, const char *what)
{
    if (ex->who.via == CRED_SESSION)
        return 0;
    respond_problem(ex->req, 403, "/problems/session-required", "Forbidden", NULL,
                    "%s needs the session cookie (sign in with a password); an API key cannot "
                    "do it",
                    what);
    return 1;
}

int identity_require_staff(struct exchange *ex, const char *what)
{
    const struct identity *who = &ex->who;
    if (who->rank == 0) {
        unauthorized(ex, exchange_printf(ex, "%s is for municipal staff: sign in or send an "
                                             "API key", what));
        return 1;
    }
    if (who->rank < 2 || (who->via == CRED_API_KEY && !(who->scopes & SCOPE_STAFF))) {
        respond_problem(ex->req, 403, "/problems/forbidden", "Forbidden", NULL,
                        "%s is for municipal staff (an API key needs the \"staff\" scope); you "
                        "are signed in as %s",
                        what, who->role);
        return 1;
    }
    return 0;
}
