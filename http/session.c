#include "http/session.h"

#include "http/respond.h"

#include <string.h>

static int served_over_https(const struct polis_config *cfg)
{
    return !strncmp(cfg->public_url, "https://", 8);
}

const char *session_cookie_name(const struct polis_config *cfg)
{
    return served_over_https(cfg) ? SESSION_COOKIE_HOST_ONLY : SESSION_COOKIE;
}

struct new_session *session_new(struct exchange *ex)
{
    struct new_session *ns = h2o_mem_alloc_pool(&ex->req->pool, sizeof *ns);
    memset(ns, 0, sizeof *ns);
    token_new(NULL, ns->token, sizeof ns->token);
    token_new(NULL, ns->csrf, sizeof ns->csrf);
    token_digest_hex(ns->token, ns->digest);
    ns->client_ip = strcmp(ex->client_ip, "unknown") ? ex->client_ip : NULL;
    ssize_t ua = h2o_find_header(&ex->req->headers, H2O_TOKEN_USER_AGENT, -1);
    if (ua >= 0) {
        h2o_iovec_t v = ex->req->headers.entries[ua].value;
        ns->user_agent = exchange_printf(ex, "%.*s", (int)(v.len > 200 ? 200 : v.len), v.base);
    }
    ns->max_hours = exchange_printf(ex, "%d", ex->app->cfg.session_max_hours);
    return ns;
}

void session_set_cookie(struct exchange *ex, const struct new_session *ns)
{
    const struct polis_config *cfg = &ex->app->cfg;
    respond_header(ex->req, "set-cookie",
                   exchange_printf(ex, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s",
                                   session_cookie_name(cfg), ns->token,
                                   cfg->session_max_hours * 3600,
                                   served_over_https(cfg) ? "; Secure" : ""));
    respond_header(ex->req, "cache-control", "no-store");
}

void session_respond(struct exchange *ex, const struct new_session *ns, const char *user_json)
{
    session_set_cookie(ex, ns);
    const char *body =
        exchange_printf(ex, "{\"user\":%s,\"csrf_token\":\"%s\"}", user_json, ns->csrf);
    respond_bytes(ex->req, 200, CT_JSON, body, strlen(body));
}

void session_clear_cookie(struct exchange *ex)
{
    const struct polis_config *cfg = &ex->app->cfg;
    /* a __Host- cookie is only replaced by one that is Secure too */
    respond_header(ex->req, "set-cookie",
                   exchange_printf(ex, "%s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s",
                                   session_cookie_name(cfg),
                                   served_over_https(cfg) ? "; Secure" : ""));
}
