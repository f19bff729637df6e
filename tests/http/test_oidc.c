/* Sign-in with an identity provider (issue 17): polis against a mock
 * OpenID Connect provider run by this test (h_oidc_mock.h), configured by
 * its issuer only (discovery). A person starts at /auth/oidc/start, is sent
 * to the provider with a PKCE S256 challenge, state and nonce, comes back to
 * /auth/oidc/callback and is signed in (the session cookie as a password
 * sign-in sets it), landing on return_to; /api/v1/me shows the verified Greek
 * name and the tax number the provider gave (the latter only in userinfo).
 * The same subject signing in again is the same account. Refused, with a 4xx
 * and no session, no account: the same callback again (replay), a tampered
 * state, a callback in a browser that did not start the sign-in, and an
 * id_token with a bad signature, a wrong nonce, a wrong audience, an expired
 * one, or signed by a key the provider's set does not hold (fetched again
 * once). The mock refuses a wrong PKCE verifier, and accepts polis's. Local
 * password sign-in keeps working beside it. A draft made after signing in
 * carries the verified name and tax number (a business application takes
 * the tax number; another one is 422 naming tax_number, at creation and in
 * a PATCH). */
#include "h_accounts.h"
#include "h_oidc_mock.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GREEK_NAME "Μαρία Παπαδοπούλου"
#define TAX_NUMBER "090000045" /* a valid ΑΦΜ: its check digit holds */

static const struct h_server *S;
static PGconn *DB;
static const char *ISSUER;

/* Everything a sign-in passed through. */
struct flow {
    char *state_cookie;    /* polis_oidc_state set by start */
    char *authorize_url;   /* where start sent the browser */
    char *callback_path;   /* where the provider sent it back (below the server's base) */
    struct h_resp done;    /* the callback's answer */
};

static void flow_free(struct flow *f)
{
    free(f->state_cookie);
    free(f->authorize_url);
    free(f->callback_path);
    h_resp_free(&f->done);
}

static struct mock_person person(const char *tag)
{
    struct mock_person p = {0};
    snprintf(p.subject, sizeof p.subject, "sub-%s-%d", tag, (int)getpid());
    snprintf(p.name, sizeof p.name, "%s", GREEK_NAME);
    snprintf(p.tax_number, sizeof p.tax_number, "%s", TAX_NUMBER);
    snprintf(p.email, sizeof p.email, "%s-%d@mock-idp.example", tag, (int)getpid());
    return p;
}

/* The callback request, with the state cookie when cookie is not NULL. */
static void callback(const char *path, const char *cookie, struct h_resp *r)
{
    char line[256];
    snprintf(line, sizeof line, "Cookie: polis_oidc_state=%s", cookie ? cookie : "");
    const char *headers[] = {line, NULL};
    const struct h_req q = {.path = path, .headers = cookie ? headers : NULL};
    h_send(S, &q, r);
}

/* start -> the provider's /authorize -> (not yet the callback). 0 when both
 * redirects came as expected. */
static int begin(const char *return_to, struct flow *f)
{
    memset(f, 0, sizeof *f);
    char path[512];
    snprintf(path, sizeof path, "/auth/oidc/start?return_to=%s", return_to);
    struct h_resp r;
    h_get(S, path, &r);
    CHECK_INT("GET /auth/oidc/start", r.status, 302);
    f->authorize_url = h_resp_header(&r, "location");
    f->state_cookie = ha_set_cookie(&r, "polis_oidc_state");
    h_resp_free(&r);
    if (!f->authorize_url || !f->state_cookie) {
        CHECK(0, "start: expected a Location and the state cookie, found %s",
              f->authorize_url ? "no cookie" : "no Location");
        return -1;
    }
    char expect[256];
    snprintf(expect, sizeof expect, "%s/authorize?", ISSUER);
    CHECK(!strncmp(f->authorize_url, expect, strlen(expect)),
          "start sends the browser to the discovered authorization endpoint: expected %s..., "
          "found %s", expect, f->authorize_url);
    CHECK_HAS("the authorization request", f->authorize_url, "code_challenge_method=S256");
    CHECK_HAS("the authorization request", f->authorize_url, "response_type=code");
    CHECK_HAS("the authorization request", f->authorize_url, "&nonce=");
    CHECK_HAS("the authorization request", f->authorize_url, "&state=");
    CHECK_HAS("the authorization request's redirect_uri", f->authorize_url,
              "redirect_uri=http%3A%2F%2F127.0.0.1");
    h_get_url(f->authorize_url, &r);
    CHECK_INT("the provider's /authorize", r.status, 302);
    char *back = h_resp_header(&r, "location");
    h_resp_free(&r);
    size_t base = strlen(S->base);
    if (!back || strncmp(back, S->base, base)) {
        CHECK(0, "the provider sends the browser back to %s, found %s", S->base,
              back ? back : "no Location");
        free(back);
        return -1;
    }
    f->callback_path = strdup(back + base);
    free(back);
    return 0;
}

/* A whole sign-in; f->done holds the callback's answer. */
static void sign_in(const char *return_to, struct flow *f)
{
    if (begin(return_to, f) == 0)
        callback(f->callback_path, f->state_cookie, &f->done);
}

static long count(const char *sql, const char *arg)
{
    const char *params[] = {arg};
    char *v = h_pg_value(DB, sql, 1, params);
    long n = v ? atol(v) : -1;
    free(v);
    return n;
}

/* The callback was refused: 4xx, no session cookie, no account or identity
 * for p. */
static void check_refused(const char *what, const struct h_resp *r, const struct mock_person *p)
{
    char label[200];
    snprintf(label, sizeof label, "%s: the callback's status", what);
    CHECK(r->status >= 400 && r->status < 500, "%s: expected 4xx, found %ld", label, r->status);
    char name[32];
    char *session = ha_session_cookie(r, name, sizeof name);
    CHECK(!session, "%s: expected no session cookie, found one", what);
    free(session);
    if (p) {
        CHECK_INT(what, count("SELECT count(*) FROM user_identities WHERE subject = $1",
                              p->subject), 0);
        CHECK_INT(what, count("SELECT count(*) FROM users WHERE email = $1", p->email), 0);
    }
}

/* The account /api/v1/me shows for the session the callback set. */
static json_t *me(const struct h_resp *done, struct ha_user *u)
{
    memset(u, 0, sizeof *u);
    char *cookie = ha_session_cookie(done, u->cookie_name, sizeof u->cookie_name);
    if (!cookie) {
        CHECK(0, "the callback sets the session cookie: found none");
        return NULL;
    }
    snprintf(u->cookie, sizeof u->cookie, "%s", cookie);
    free(cookie);
    struct h_resp r;
    ha_call(S, u, "GET", "/api/v1/me", NULL, &r);
    CHECK_INT("GET /api/v1/me with the session from the identity provider", r.status, 200);
    json_t *user = r.json ? json_incref(json_object_get(r.json, "user")) : NULL;
    h_resp_free(&r);
    return user;
}

static void happy_path_and_replay(void)
{
    struct mock_person p = person("happy");
    mock_set(&p, MOCK_GOOD);
    struct flow f;
    sign_in("/track/42", &f);
    CHECK_INT("the callback of a good sign-in", f.done.status, 302);
    char *location = h_resp_header(&f.done, "location");
    char expect[256];
    snprintf(expect, sizeof expect, "%s/track/42", S->base);
    CHECK_STR("the callback sends the person to return_to", location ? location : "", expect);
    free(location);
    char *set = h_resp_header(&f.done, "set-cookie");
    CHECK_HAS("the session cookie, as a password sign-in sets it", set ? set : "",
              "HttpOnly; SameSite=Lax");
    free(set);
    struct ha_user u;
    json_t *user = me(&f.done, &u);
    json_t *identity = json_object_get(user, "identity");
    CHECK_STR("the account's verified name",
              json_string_value(json_object_get(identity, "verified_name")), GREEK_NAME);
    CHECK_STR("the account's tax number (from userinfo)",
              json_string_value(json_object_get(identity, "tax_number")), TAX_NUMBER);
    CHECK_STR("the identity's issuer", json_string_value(json_object_get(identity, "issuer")),
              ISSUER);
    CHECK_STR("a new account is a citizen", json_string_value(json_object_get(user, "role")),
              "citizen");
    CHECK_STR("its e-mail is the provider's verified one",
              json_string_value(json_object_get(user, "email")), p.email);
    long first_id = (long)json_integer_value(json_object_get(user, "id"));
    json_decref(user);
    char id_text[32];
    snprintf(id_text, sizeof id_text, "%ld", first_id);
    CHECK_INT("the new account is in the audit log",
              count("SELECT count(*) FROM audit_log WHERE action = 'user.create_oidc'"
                    " AND entity_id = $1", id_text), 1);

    /* the same callback again: the state was used */
    struct h_resp again;
    callback(f.callback_path, f.state_cookie, &again);
    check_refused("the same callback a second time (replay)", &again, NULL);
    h_resp_free(&again);
    flow_free(&f);

    /* the same subject again: the same account */
    sign_in("/", &f);
    CHECK_INT("the second sign-in of the same subject", f.done.status, 302);
    user = me(&f.done, &u);
    CHECK_INT("the second sign-in finds the same account",
              (long)json_integer_value(json_object_get(user, "id")), first_id);
    json_decref(user);
    flow_free(&f);
    CHECK_INT("one identity row for the subject",
              count("SELECT count(*) FROM user_identities WHERE subject = $1", p.subject), 1);
}

/* The state in the callback's query changed: with the browser's cookie (not
 * this browser's sign-in), and with a cookie changed to match (an unknown
 * state). */
static void tampered_state(void)
{
    struct mock_person p = person("tamper");
    mock_set(&p, MOCK_GOOD);
    struct flow f;
    if (begin("/", &f) == 0) {
        char *path = strdup(f.callback_path);
        char *st = strstr(path, "state=");
        if (st)
            st[6] = st[6] == 'A' ? 'B' : 'A';
        struct h_resp r;
        callback(path, f.state_cookie, &r);
        check_refused("a tampered state (the browser's cookie holds the real one)", &r, &p);
        h_resp_free(&r);
        callback(path, st ? st + 6 : "", &r);
        check_refused("a tampered state (and a cookie to match)", &r, &p);
        h_resp_free(&r);
        callback(f.callback_path, NULL, &r);
        check_refused("the real state in a browser that did not start the sign-in", &r, &p);
        CHECK_INT("a refusal a browser shows is a page", strcmp(r.media_type, "text/html"), 0);
        h_resp_free(&r);
        free(path);
    }
    flow_free(&f);
}

static void bad_tokens(void)
{
    static const struct {
        enum mock_fault fault;
        const char *what, *tag;
    } cases[] = {
        {MOCK_BAD_SIGNATURE, "an id_token with a bad signature", "badsig"},
        {MOCK_WRONG_NONCE, "an id_token with another nonce", "nonce"},
        {MOCK_WRONG_AUDIENCE, "an id_token for another client (aud)", "aud"},
        {MOCK_EXPIRED, "an expired id_token", "expired"},
        {MOCK_OTHER_KEY, "an id_token signed by a key not in the provider's set", "otherkey"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct mock_person p = person(cases[i].tag);
        mock_set(&p, cases[i].fault);
        int fetches = mock_jwks_fetches();
        struct flow f;
        sign_in("/", &f);
        check_refused(cases[i].what, &f.done, &p);
        if (cases[i].fault == MOCK_OTHER_KEY)
            CHECK_INT("an unknown kid makes polis fetch the key set again, once",
                      mock_jwks_fetches() - fetches, 1);
        flow_free(&f);
    }
}

/* POST the provider's /token as a client would, with verifier. */
static long token_with_verifier(const char *code, const char *verifier)
{
    CURL *c = curl_easy_init();
    char url[256], form[512];
    snprintf(url, sizeof url, "%s/token", ISSUER);
    char *esc = curl_easy_escape(c, MOCK_CLIENT_SECRET, 0);
    char userpwd[256];
    snprintf(userpwd, sizeof userpwd, "%s:%s", MOCK_CLIENT_ID, esc);
    curl_free(esc);
    char redirect[128];
    snprintf(redirect, sizeof redirect, "%s/auth/oidc/callback", S->base);
    char *redirect_esc = curl_easy_escape(c, redirect, 0);
    snprintf(form, sizeof form, "grant_type=authorization_code&code=%s&redirect_uri=%s"
             "&code_verifier=%s", code, redirect_esc, verifier);
    curl_free(redirect_esc);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_USERPWD, userpwd);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, h_body_append);
    struct h_body body = {0};
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    free(body.p);
    return status;
}

/* The mock refuses a code with a wrong verifier; the same code then works
 * through polis: polis sent the verifier whose S256 is the challenge. */
static void pkce(void)
{
    struct mock_person p = person("pkce");
    mock_set(&p, MOCK_GOOD);
    struct flow f;
    if (begin("/", &f) == 0) {
        char *code = strstr(f.callback_path, "code="), code_text[64] = "";
        if (code)
            snprintf(code_text, sizeof code_text, "%.*s", (int)strcspn(code + 5, "&"), code + 5);
        int refusals = mock_verifier_refusals();
        token_with_verifier(code_text, "a-wrong-verifier-a-wrong-verifier-a-wrong-verifier");
        CHECK_INT("the provider refuses a code_verifier whose S256 is not the challenge",
                  mock_verifier_refusals() - refusals, 1);
        callback(f.callback_path, f.state_cookie, &f.done);
        CHECK_INT("the same code through polis (its verifier matches the challenge)",
                  f.done.status, 302);
        CHECK_INT("polis's verifier was never refused", mock_verifier_refusals() - refusals, 1);
    }
    flow_free(&f);
}

static void local_login_still_works(void)
{
    struct ha_user u;
    if (ha_new_user(S, DB, "oidc-local", &u) == 0) {
        CHECK_INT("a local account signs in with its password", ha_login(S, &u), 200);
        struct h_resp r;
        ha_call(S, &u, "GET", "/api/v1/me", NULL, &r);
        CHECK_INT("GET /api/v1/me of a local account", r.status, 200);
        json_t *identity = json_object_get(json_object_get(r.json, "user"), "identity");
        CHECK(json_is_null(identity), "a local account has no identity: found %s",
              identity ? "one" : "the member missing");
        h_resp_free(&r);
    }
}

/* A draft made after signing in with the provider carries the verified name
 * and tax number: a business application takes the tax number when none is
 * given, and neither its creation nor a PATCH can put another one. */
static void prefill(void)
{
    struct mock_person p = person("prefill");
    mock_set(&p, MOCK_GOOD);
    struct flow f;
    sign_in("/", &f);
    CHECK_INT("the sign-in before applying", f.done.status, 302);
    struct ha_user u;
    json_decref(me(&f.done, &u));
    flow_free(&f);
    struct h_resp r;
    ha_call(S, &u, "GET", "/api/v1/me", NULL, &r); /* its CSRF token, for the writes */
    snprintf(u.csrf, sizeof u.csrf, "%s",
             json_string_value(json_object_get(r.json, "csrf_token")) ?: "");
    h_resp_free(&r);
    char *service = h_pg_value(DB, "SELECT s.id FROM services s JOIN boundaries b"
                                   " ON b.id = s.municipality_id WHERE b.code = '9054'"
                                   " AND s.code = 'tree_cutting'", 0, NULL);
    char body[300], path[96];
    snprintf(body, sizeof body, "{\"service\":%s,\"applicant_kind\":\"business\","
             "\"business_name\":\"Δέντρα ΑΕ\",\"tax_number\":\"094019282\"}", service ?: "0");
    ha_call(S, &u, "POST", "/api/v1/applications", body, &r);
    CHECK_PROBLEM("a draft with a tax number other than the verified one", &r, 422,
                  "tax_number");
    CHECK_HAS("naming the provider", r.body, "TAXISnet");
    h_resp_free(&r);
    snprintf(body, sizeof body, "{\"service\":%s,\"applicant_kind\":\"business\","
             "\"business_name\":\"Δέντρα ΑΕ\"}", service ?: "0");
    free(service);
    ha_call(S, &u, "POST", "/api/v1/applications", body, &r);
    CHECK_INT("a business draft without a tax number", r.status, 201);
    CHECK_STR("takes the verified tax number",
              json_string_value(json_object_get(r.json, "tax_number")), TAX_NUMBER);
    json_t *v = json_object_get(r.json, "verified_identity");
    CHECK_STR("the verified name", json_string_value(json_object_get(v, "name")), GREEK_NAME);
    CHECK_STR("the verified tax number", json_string_value(json_object_get(v, "tax_number")),
              TAX_NUMBER);
    CHECK_STR("verified by", json_string_value(json_object_get(v, "label")), "TAXISnet");
    snprintf(path, sizeof path, "/api/v1/applications/%lld",
             json_integer_value(json_object_get(r.json, "id")));
    h_resp_free(&r);
    ha_call(S, &u, "PATCH", path, "{\"tax_number\":\"094019282\"}", &r);
    CHECK_PROBLEM("a PATCH of another tax number", &r, 422, "tax_number");
    h_resp_free(&r);
    ha_call(S, &u, "PATCH", path, "{\"tax_number\":null}", &r);
    CHECK_INT("a PATCH clearing it", r.status, 200);
    CHECK_STR("keeps the verified one", json_string_value(json_object_get(r.json, "tax_number")),
              TAX_NUMBER);
    h_resp_free(&r);
    ha_call(S, &u, "GET", path, NULL, &r);
    CHECK_STR("the stored draft still has it",
              json_string_value(json_object_get(r.json, "tax_number")), TAX_NUMBER);
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_oidc", 240);
    ISSUER = mock_start();
    if (!ISSUER)
        h_fatal("could not start the mock identity provider");
    char issuer[128], secret[128];
    snprintf(issuer, sizeof issuer, "POLIS_OIDC_ISSUER=%s", ISSUER);
    snprintf(secret, sizeof secret, "POLIS_OIDC_CLIENT_SECRET=%s", MOCK_CLIENT_SECRET);
    const char *env[] = {issuer, "POLIS_OIDC_CLIENT_ID=" MOCK_CLIENT_ID, secret,
                         "POLIS_OIDC_LABEL=TAXISnet", "POLIS_RATE_LOGIN=10000",
                         "POLIS_RATE_REGISTER=1000", NULL};
    static struct h_server server;
    if (h_server_start(&server, h_shared_dburl(), env))
        return h_finish();
    S = &server;
    DB = h_pg_connect(h_shared_dburl());
    struct h_resp info;
    h_get(S, "/api/v1/auth/oidc", &info);
    CHECK_INT("GET /api/v1/auth/oidc (what the sign-in page links to)", info.status, 200);
    CHECK(json_is_true(json_object_get(info.json, "enabled")), "the sign-in link is enabled: %.200s",
          info.body ? info.body : "");
    CHECK_STR("the provider's label for the sign-in link",
              json_string_value(json_object_get(info.json, "label")), "TAXISnet");
    h_resp_free(&info);
    happy_path_and_replay();
    tampered_state();
    bad_tokens();
    pkce();
    local_login_still_works();
    prefill();
    PQfinish(DB);
    return h_finish();
}
