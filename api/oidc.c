/* Sign-in with an identity provider (OpenID Connect, or OAuth 2.0 with a
 * userinfo endpoint): the authorization code flow with PKCE.
 *
 *   GET /auth/oidc/start?return_to=/path
 *     makes a state, a nonce and a PKCE code_verifier, stores them (the
 *     state as its hash) in oidc_logins, binds the state to this browser
 *     with a short cookie, and sends the browser to the provider.
 *   GET /auth/oidc/callback?code=&state=   (or ?error=)
 *     takes the stored sign-in of that state (one use, in the statement that
 *     finds it), exchanges the code off the event loop (auth/oidc_provider.h:
 *     token, id_token check, userinfo), then in one statement finds or makes
 *     the account, stores the identity, starts a session as a password
 *     sign-in does and writes the audit row; 302 to return_to.
 *
 * A refused callback creates nothing: a 400 page (problem+json when the
 * client asks for JSON) saying why. */
#include "api/api.h"
#include "auth/base64url.h"
#include "auth/oidc_http.h"
#include "auth/oidc_provider.h"
#include "auth/oidc_sql.h"
#include "auth/token.h"
#include "http/identity.h"
#include "http/respond.h"
#include "http/session.h"
#include "services/afm.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The cookie that ties a started sign-in to the browser that started it, so
 * that nobody can finish their own sign-in in someone else's browser (login
 * CSRF): it holds the state and lives as long as the stored sign-in. */
#define STATE_COOKIE "polis_oidc_state"
#define STATE_COOKIE_PATH "/auth/oidc"
#define LOGIN_MINUTES 10
#define CODE_MAX_BYTES 4096
#define RETURN_TO_MAX_BYTES 1000

static int not_configured(struct exchange *ex)
{
    if (ex->app->oidc)
        return 0;
    respond_problem(ex->req, 404, "/problems/not-configured", "Not Found", NULL,
                    "sign-in with an identity provider is not configured");
    return 1;
}

static int over_https(const struct exchange *ex)
{
    return !strncmp(ex->app->cfg.public_url, "https://", 8);
}

static const char *redirect_uri(struct exchange *ex)
{
    return exchange_printf(ex, "%s/auth/oidc/callback", ex->app->cfg.public_url);
}

/* text with &<>"' escaped, in the request pool. */
static const char *html_escape(struct exchange *ex, const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p; p++)
        n += strchr("&<>\"'", *p) ? 6 : 1;
    char *out = h2o_mem_alloc_pool(&ex->req->pool, n + 1), *o = out;
    for (const char *p = text; *p; p++) {
        const char *e = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;"
                      : *p == '"' ? "&quot;" : *p == '\'' ? "&#39;" : NULL;
        if (e) {
            memcpy(o, e, strlen(e));
            o += strlen(e);
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

static int wants_json(h2o_req_t *req)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_ACCEPT, -1);
    return i >= 0 && h2o_strstr(req->headers.entries[i].value.base,
                                req->headers.entries[i].value.len,
                                H2O_STRLIT("application/json")) != SIZE_MAX;
}

/* A refused sign-in: 400, as a page for a browser, as a problem for a client
 * that asks for JSON. Nothing was created. */
static void refuse(struct exchange *ex, const char *detail)
{
    if (wants_json(ex->req)) {
        respond_problem(ex->req, 400, "/problems/sign-in-refused", "Bad Request", NULL, "%s",
                        detail);
        return;
    }
    const char *d = html_escape(ex, detail);
    const char *html = exchange_printf(
        ex,
        "<!DOCTYPE html>\n<html lang=\"el\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>polis: η σύνδεση απέτυχε / sign-in failed</title></head>\n"
        "<body style=\"font-family: sans-serif; max-width: 36em; margin: 2em auto; "
        "padding: 0 1em\">\n<h1>Η σύνδεση δεν ολοκληρώθηκε</h1>\n"
        "<div lang=\"en\"><h2>Sign-in failed</h2><p>%s</p></div>\n"
        "<p><a href=\"/\">polis</a></p>\n</body></html>\n",
        d);
    respond_private(ex->req);
    respond_bytes(ex->req, 400, "text/html; charset=utf-8", html, strlen(html));
}

/* return_to when it is a path on this server, else "/": never another
 * origin ("//host", "/\host"), nothing that could end the Location header. */
static const char *same_origin_path(const char *v)
{
    if (!v || v[0] != '/' || v[1] == '/' || v[1] == '\\' || strlen(v) > RETURN_TO_MAX_BYTES)
        return "/";
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f || *p == '\\' || *p == '"' || *p == '<' || *p == '>')
            return "/";
    return v;
}

static void state_cookie(struct exchange *ex, const char *state, int max_age)
{
    respond_header(ex->req, "set-cookie",
                   exchange_printf(ex, "%s=%s; Path=%s; HttpOnly; SameSite=Lax; Max-Age=%d%s",
                                   STATE_COOKIE, state, STATE_COOKIE_PATH, max_age,
                                   over_https(ex) ? "; Secure" : ""));
}

static void redirect(struct exchange *ex, const char *location)
{
    respond_header(ex->req, "location", location);
    respond_header(ex->req, "cache-control", "no-store");
    respond_bytes(ex->req, 302, "text/plain; charset=utf-8", "", 0);
}

/* ---- GET /auth/oidc/start ---- */

struct start {
    char state[TOKEN_TEXT_MAX + 1], nonce[TOKEN_TEXT_MAX + 1], verifier[TOKEN_TEXT_MAX + 1];
    char state_digest[TOKEN_DIGEST_HEX_MAX];
};

/* value form-urlencoded, in the request pool. */
static const char *escaped(struct exchange *ex, const char *value)
{
    char *e = oidc_http_escape(value);
    if (!e)
        abort();
    const char *copy = exchange_strdup(ex, e);
    free(e);
    return copy;
}

static void to_provider(struct exchange *ex, const char *authorization)
{
    struct start *st = ex->handler_data;
    const struct oidc_settings *o = &ex->app->cfg.oidc;
    /* RFC 7636 §4.2: S256, the base64url of the verifier's SHA-256 */
    unsigned char digest[crypto_hash_sha256_BYTES];
    char challenge[base64url_size(sizeof digest)];
    crypto_hash_sha256(digest, (const unsigned char *)st->verifier, strlen(st->verifier));
    base64url_encode(digest, sizeof digest, challenge);
    const char *location = exchange_printf(
        ex, "%s%cresponse_type=code&client_id=%s&redirect_uri=%s&scope=%s&state=%s&nonce=%s"
            "&code_challenge=%s&code_challenge_method=S256",
        authorization, strchr(authorization, '?') ? '&' : '?', escaped(ex, o->client_id),
        escaped(ex, redirect_uri(ex)), escaped(ex, o->scopes), st->state, st->nonce, challenge);
    state_cookie(ex, st->state, LOGIN_MINUTES * 60);
    redirect(ex, location);
}

struct discover_job {
    struct offload_job job;
    struct exchange *ex;
    struct oidc_provider *provider;
    int rc;
    char err[512];
};

static void discover_work(struct offload_job *job)
{
    struct discover_job *d = (struct discover_job *)job;
    d->rc = oidc_provider_discover(d->provider, d->err, sizeof d->err);
}

static void discover_done(struct offload_job *job)
{
    struct discover_job *d = (struct discover_job *)job;
    if (!job->cancelled) {
        struct exchange *ex = d->ex;
        ex->offload = NULL;
        char authorization[1024];
        if (d->rc || !oidc_provider_authorization_known(ex->app->oidc, authorization,
                                                        sizeof authorization))
            respond_problem(ex->req, 502, "/problems/provider-unavailable", "Bad Gateway", NULL,
                            "the identity provider could not be reached: %s", d->err);
        else
            to_provider(ex, authorization);
    }
    free(d);
}

static void start_stored(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    char authorization[1024];
    if (oidc_provider_authorization_known(ex->app->oidc, authorization, sizeof authorization)) {
        to_provider(ex, authorization);
        return;
    }
    /* only an issuer is configured and its discovery document not read yet */
    struct discover_job *d = calloc(1, sizeof *d);
    if (!d)
        abort();
    d->job.work = discover_work;
    d->job.done = discover_done;
    d->ex = ex;
    d->provider = ex->app->oidc;
    if (exchange_offload(ex, &d->job))
        free(d);
}

void api_oidc_start(struct exchange *ex)
{
    static const char *const allowed[] = {"return_to", NULL};
    if (not_configured(ex))
        return;
    params_allow_only(&ex->query, allowed);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    struct start *st = h2o_mem_alloc_pool(&ex->req->pool, sizeof *st);
    token_new(NULL, st->state, sizeof st->state);
    token_new(NULL, st->nonce, sizeof st->nonce);
    token_new(NULL, st->verifier, sizeof st->verifier);
    token_digest_hex(st->state, st->state_digest);
    ex->handler_data = st;
    const char *args[OIDC_LOGIN_START_NPARAMS] = {
        [OIDC_LOGIN_START_P_STATE_HASH] = st->state_digest,
        [OIDC_LOGIN_START_P_NONCE] = st->nonce,
        [OIDC_LOGIN_START_P_VERIFIER] = st->verifier,
        [OIDC_LOGIN_START_P_RETURN_TO] =
            same_origin_path(params_get(&ex->query, "return_to")),
    };
    exchange_query_prepared(ex, OIDC_LOGIN_START_SQL, OIDC_LOGIN_START_NPARAMS, args,
                            start_stored);
}

/* ---- GET /auth/oidc/callback ---- */

struct callback {
    const char *code, *return_to;
    struct new_session *session;
};

struct sign_in_job {
    struct offload_job job;
    struct exchange *ex;
    struct oidc_provider *provider;
    char *code, *verifier, *nonce, *redirect_uri; /* malloc'd */
    struct oidc_identity who;
    int rc;
    char err[512];
};

static void sign_in_free(struct sign_in_job *j)
{
    free(j->code);
    free(j->verifier);
    free(j->nonce);
    free(j->redirect_uri);
    free(j);
}

static void sign_in_work(struct offload_job *job)
{
    struct sign_in_job *j = (struct sign_in_job *)job;
    j->rc = oidc_provider_sign_in(j->provider, j->code, j->verifier, j->redirect_uri, j->nonce,
                                  &j->who, j->err, sizeof j->err);
}

static void signed_in(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct callback *cb = ex->handler_data;
    session_set_cookie(ex, cb->session);
    state_cookie(ex, "", 0);
    redirect(ex, exchange_printf(ex, "%s%s", ex->app->cfg.public_url, cb->return_to));
}

/* text, or NULL when empty, in the request pool. */
static const char *or_null(struct exchange *ex, const char *text)
{
    return *text ? exchange_strdup(ex, text) : NULL;
}

static void sign_in_done(struct offload_job *job)
{
    struct sign_in_job *j = (struct sign_in_job *)job;
    if (job->cancelled) {
        sign_in_free(j);
        return;
    }
    struct exchange *ex = j->ex;
    ex->offload = NULL;
    if (j->rc) {
        refuse(ex, j->err);
        sign_in_free(j);
        return;
    }
    struct callback *cb = ex->handler_data;
    struct new_session *ns = cb->session = session_new(ex);
    const struct oidc_identity *who = &j->who;
    const char *args[OIDC_SIGN_IN_NPARAMS] = {
        [OIDC_SIGN_IN_P_ISSUER] = exchange_strdup(ex, who->issuer),
        [OIDC_SIGN_IN_P_SUBJECT] = exchange_strdup(ex, who->subject),
        [OIDC_SIGN_IN_P_LABEL] = ex->app->cfg.oidc.label,
        [OIDC_SIGN_IN_P_VERIFIED_NAME] = or_null(ex, who->name),
        /* a tax number whose check digit is wrong is not the person's */
        [OIDC_SIGN_IN_P_TAX_NUMBER] = afm_valid(who->tax_number) ? or_null(ex, who->tax_number)
                                                                 : NULL,
        [OIDC_SIGN_IN_P_EMAIL] = strchr(who->email, '@') ? or_null(ex, who->email) : NULL,
        [OIDC_SIGN_IN_P_EMAIL_VERIFIED] = who->email_verified ? "t" : "f",
        [OIDC_SIGN_IN_P_SESSION_DIGEST] = ns->digest,
        [OIDC_SIGN_IN_P_CSRF_TOKEN] = ns->csrf,
        [OIDC_SIGN_IN_P_CLIENT_IP] = ns->client_ip,
        [OIDC_SIGN_IN_P_USER_AGENT] = ns->user_agent,
        [OIDC_SIGN_IN_P_LIFETIME_HOURS] = ns->max_hours,
    };
    sign_in_free(j);
    exchange_query_prepared(ex, OIDC_SIGN_IN_SQL, OIDC_SIGN_IN_NPARAMS, args, signed_in);
}

static void login_taken(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) {
        refuse(ex, "this sign-in is unknown, was finished already or took longer than 10 "
                   "minutes (state): start it again");
        return;
    }
    struct callback *cb = ex->handler_data;
    cb->return_to = exchange_strdup(ex, PQgetvalue(res, 0, OIDC_LOGIN_TAKE_RETURN_TO));
    struct sign_in_job *j = calloc(1, sizeof *j);
    if (!j)
        abort();
    j->job.work = sign_in_work;
    j->job.done = sign_in_done;
    j->ex = ex;
    j->provider = ex->app->oidc;
    j->code = strdup(cb->code);
    j->verifier = strdup(PQgetvalue(res, 0, OIDC_LOGIN_TAKE_VERIFIER));
    j->nonce = strdup(PQgetvalue(res, 0, OIDC_LOGIN_TAKE_NONCE));
    j->redirect_uri = strdup(redirect_uri(ex));
    if (!j->code || !j->verifier || !j->nonce || !j->redirect_uri)
        abort();
    if (exchange_offload(ex, &j->job))
        sign_in_free(j);
}

void api_oidc_callback(struct exchange *ex)
{
    if (not_configured(ex))
        return;
    const char *error = params_get(&ex->query, "error");
    const char *code = params_get(&ex->query, "code");
    const char *state = params_get(&ex->query, "state");
    if (error) {
        const char *description = params_get(&ex->query, "error_description");
        refuse(ex, exchange_printf(ex, "the identity provider did not sign you in: %.100s%s%.300s",
                                   error, description ? ": " : "", description ? description : ""));
        return;
    }
    if (!code || !*code || strlen(code) > CODE_MAX_BYTES || !state ||
        strlen(state) > TOKEN_TEXT_MAX) {
        refuse(ex, "expected the provider's answer: code (at most 4096 bytes) and state; found "
                   "them missing or too long");
        return;
    }
    /* the browser that finishes must be the one that started */
    const char *bound = identity_find_cookie(ex->req, STATE_COOKIE);
    if (!bound || !token_equal(bound, state)) {
        refuse(ex, "this sign-in was not started in this browser, or took longer than 10 "
                   "minutes (state): start it again");
        return;
    }
    struct callback *cb = h2o_mem_alloc_pool(&ex->req->pool, sizeof *cb);
    memset(cb, 0, sizeof *cb);
    cb->code = code;
    ex->handler_data = cb;
    char digest[TOKEN_DIGEST_HEX_MAX];
    token_digest_hex(state, digest);
    const char *args[OIDC_LOGIN_TAKE_NPARAMS] = {
        [OIDC_LOGIN_TAKE_P_STATE_HASH] = exchange_strdup(ex, digest),
    };
    exchange_query_prepared(ex, OIDC_LOGIN_TAKE_SQL, OIDC_LOGIN_TAKE_NPARAMS, args,
                            login_taken);
}

/* ---- GET /api/v1/auth/oidc ----
 * Whether the sign-in page shows "Sign in with <label>": the provider's
 * label and where the sign-in starts; 404 when none is configured. */
/* Always 200 (the sign-in page asks on every load: a 404 would be an error
 * in every browser console): {"enabled": false} without a provider. */
void api_oidc_info(struct exchange *ex)
{
    params_allow_only(&ex->query, (const char *const[]){NULL});
    if (respond_params_problem(ex->req, &ex->query))
        return;
    if (!ex->app->oidc) {
        respond_json(ex->req, 200, json_pack("{s:b}", "enabled", 0));
        return;
    }
    respond_json(ex->req, 200, json_pack("{s:b,s:s,s:s}", "enabled", 1, "label",
                                         ex->app->cfg.oidc.label, "start", "/auth/oidc/start"));
}
