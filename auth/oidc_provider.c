#include "auth/oidc_provider.h"

#include "auth/oidc_http.h"
#include "auth/oidc_jwks.h"
#include "auth/oidc_jws.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CLOCK_SKEW_S 120
#define URL_MAX 1024

struct oidc_provider {
    struct oidc_settings s;
    pthread_mutex_t lock; /* guards what follows */
    int discovered;
    char authorization[URL_MAX], token[URL_MAX], jwks[URL_MAX], userinfo[URL_MAX];
    char *jwks_text;      /* the key set last fetched, or NULL */
};

/* The endpoints of one call, copied out from under the lock. */
struct endpoints {
    char authorization[URL_MAX], token[URL_MAX], jwks[URL_MAX], userinfo[URL_MAX];
};

static void copy(char *out, const char *in)
{
    snprintf(out, URL_MAX, "%s", in ? in : "");
}

struct oidc_provider *oidc_provider_new(const struct oidc_settings *settings)
{
    struct oidc_provider *p = calloc(1, sizeof *p);
    if (!p)
        abort();
    p->s = *settings;
    pthread_mutex_init(&p->lock, NULL);
    copy(p->authorization, settings->authorization_url);
    copy(p->token, settings->token_url);
    copy(p->jwks, settings->jwks_url);
    copy(p->userinfo, settings->userinfo_url);
    /* nothing to discover without an issuer, nor when the endpoints it would
     * give are all configured */
    p->discovered = !*settings->issuer || (*p->authorization && *p->token && *p->jwks);
    return p;
}

void oidc_provider_free(struct oidc_provider *p)
{
    if (!p)
        return;
    pthread_mutex_destroy(&p->lock);
    free(p->jwks_text);
    free(p);
}

int oidc_provider_authorization_known(struct oidc_provider *p, char *out, size_t outlen)
{
    pthread_mutex_lock(&p->lock);
    int known = p->authorization[0] != '\0';
    if (known)
        snprintf(out, outlen, "%s", p->authorization);
    pthread_mutex_unlock(&p->lock);
    return known;
}

/* An endpoint of the discovery document into field, unless configured. */
static int discovered_url(json_t *doc, const char *name, char *field, int required, char *err,
                          size_t errlen)
{
    if (*field)
        return 0;
    const char *v = json_string_value(json_object_get(doc, name));
    if (v && (!strncmp(v, "https://", 8) || !strncmp(v, "http://", 7)) && strlen(v) < URL_MAX) {
        copy(field, v);
        return 0;
    }
    if (!required)
        return 0;
    snprintf(err, errlen, "the provider's discovery document: expected %s, an http(s) URL; "
             "found %s", name, v ? "another value" : "none");
    return -1;
}

int oidc_provider_discover(struct oidc_provider *p, char *err, size_t errlen)
{
    pthread_mutex_lock(&p->lock);
    int done = p->discovered;
    pthread_mutex_unlock(&p->lock);
    if (done)
        return 0;
    char url[URL_MAX + 64];
    size_t n = strlen(p->s.issuer);
    snprintf(url, sizeof url, "%.*s/.well-known/openid-configuration",
             (int)(n && p->s.issuer[n - 1] == '/' ? n - 1 : n), p->s.issuer);
    struct oidc_http_call call = {.url = url};
    json_t *doc = oidc_http_json(&call, NULL, err, errlen);
    if (!doc)
        return -1;
    /* OpenID Connect Discovery §4.3: the document's issuer is the one asked */
    const char *issuer = json_string_value(json_object_get(doc, "issuer"));
    int rc = 0;
    if (!issuer || strcmp(issuer, p->s.issuer)) {
        snprintf(err, errlen, "the provider's discovery document: expected issuer \"%.200s\", "
                 "found \"%.200s\"", p->s.issuer, issuer ? issuer : "");
        rc = -1;
    }
    pthread_mutex_lock(&p->lock);
    if (!rc && !p->discovered &&
        !(rc = discovered_url(doc, "authorization_endpoint", p->authorization, 1, err, errlen)) &&
        !(rc = discovered_url(doc, "token_endpoint", p->token, 1, err, errlen)) &&
        !(rc = discovered_url(doc, "jwks_uri", p->jwks, 1, err, errlen)) &&
        !(rc = discovered_url(doc, "userinfo_endpoint", p->userinfo, 0, err, errlen)))
        p->discovered = 1;
    pthread_mutex_unlock(&p->lock);
    json_decref(doc);
    return rc;
}

static void endpoints_of(struct oidc_provider *p, struct endpoints *e)
{
    pthread_mutex_lock(&p->lock);
    copy(e->authorization, p->authorization);
    copy(e->token, p->token);
    copy(e->jwks, p->jwks);
    copy(e->userinfo, p->userinfo);
    pthread_mutex_unlock(&p->lock);
}

/* The key for jws: from the cached set, else (none cached, or an unknown
 * kid: the provider rotated its keys) from the set fetched now. */
static EVP_PKEY *signing_key(struct oidc_provider *p, const char *jwks_url, const struct jws *jws,
                             char *err, size_t errlen)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        pthread_mutex_lock(&p->lock);
        char *text = p->jwks_text ? strdup(p->jwks_text) : NULL;
        pthread_mutex_unlock(&p->lock);
        int unknown_kid = 1;
        if (text) {
            EVP_PKEY *key =
                jwks_find_key(text, strlen(text), jws->kid, jws->alg, &unknown_kid, err, errlen);
            free(text);
            if (key || !unknown_kid || attempt == 1)
                return key;
        }
        struct oidc_http_call call = {.url = jwks_url};
        char *raw = NULL;
        json_t *set = oidc_http_json(&call, &raw, err, errlen);
        json_decref(set);
        if (!set)
            return NULL;
        pthread_mutex_lock(&p->lock);
        free(p->jwks_text);
        p->jwks_text = raw;
        pthread_mutex_unlock(&p->lock);
    }
    return NULL;
}

/* Checks the id_token of a token reply; its claims (a new reference) or NULL. */
static json_t *checked_id_token(struct oidc_provider *p, const struct endpoints *e,
                                const char *id_token, const char *nonce, char *err,
                                size_t errlen)
{
    if (!id_token) {
        snprintf(err, errlen, "the token reply: expected an id_token, found none");
        return NULL;
    }
    struct jws jws;
    if (jws_parse(id_token, strlen(id_token), &jws, err, errlen))
        return NULL;
    json_t *claims = NULL;
    EVP_PKEY *key = signing_key(p, e->jwks, &jws, err, errlen);
    if (key && !jws_verify(&jws, key)) {
        snprintf(err, errlen, "the id_token: its signature does not verify with the provider's "
                 "key");
    } else if (key) {
        struct id_token_expect expect = {
            .issuer = p->s.issuer, .client_id = p->s.client_id, .nonce = nonce,
            .now = time(NULL), .skew_s = CLOCK_SKEW_S};
        if (!id_token_check_claims(jws.claims, &expect, err, errlen))
            claims = json_incref(jws.claims);
    }
    EVP_PKEY_free(key);
    jws_free(&jws);
    return claims;
}

/* A claim that is a string, or an integer (a tax number may come as one). */
static void claim_text(json_t *claims, const char *name, char *out, size_t outlen)
{
    json_t *v = json_object_get(claims, name);
    if (json_is_string(v) && json_string_length(v) < outlen)
        snprintf(out, outlen, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(out, outlen, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
}

static void identity_from(const struct oidc_settings *s, json_t *claims, struct oidc_identity *out)
{
    claim_text(claims, s->name_claim, out->name, sizeof out->name);
    if (!out->name[0]) { /* given and family name, when there is no full name */
        char given[150] = "", family[150] = "";
        claim_text(claims, "given_name", given, sizeof given);
        claim_text(claims, "family_name", family, sizeof family);
        if (*given && *family)
            snprintf(out->name, sizeof out->name, "%s %s", given, family);
    }
    claim_text(claims, s->tax_number_claim, out->tax_number, sizeof out->tax_number);
    claim_text(claims, "email", out->email, sizeof out->email);
    json_t *verified = json_object_get(claims, "email_verified");
    out->email_verified = json_is_true(verified) ||
                          (json_is_string(verified) && !strcmp(json_string_value(verified), "true"));
}

/* The token endpoint's reply to the code (with the PKCE verifier). */
static json_t *exchange_code(struct oidc_provider *p, const struct endpoints *e, const char *code,
                             const char *verifier, const char *redirect_uri, char *err,
                             size_t errlen)
{
    char *c = oidc_http_escape(code), *v = oidc_http_escape(verifier),
         *r = oidc_http_escape(redirect_uri), *id = oidc_http_escape(p->s.client_id);
    json_t *reply = NULL;
    if (c && v && r && id) {
        int secret = *p->s.client_secret != '\0';
        size_t n = strlen(c) + strlen(v) + strlen(r) + strlen(id) + 128;
        char *form = malloc(n);
        if (form) {
            /* a confidential client authenticates with HTTP Basic (client_secret_basic);
             * a public one names itself in the form */
            snprintf(form, n, "grant_type=authorization_code&code=%s&redirect_uri=%s"
                     "&code_verifier=%s%s%s", c, r, v, secret ? "" : "&client_id=",
                     secret ? "" : id);
            char *user = secret ? oidc_http_escape(p->s.client_id) : NULL;
            char *pass = secret ? oidc_http_escape(p->s.client_secret) : NULL;
            struct oidc_http_call call = {.url = e->token, .form = form,
                                          .basic_user = user, .basic_pass = pass};
            reply = oidc_http_json(&call, NULL, err, errlen);
            free(user);
            free(pass);
            free(form);
        }
    }
    free(c);
    free(v);
    free(r);
    free(id);
    return reply;
}

int oidc_provider_sign_in(struct oidc_provider *p, const char *code, const char *verifier,
                          const char *redirect_uri, const char *nonce, struct oidc_identity *out,
                          char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (oidc_provider_discover(p, err, errlen))
        return -1;
    struct endpoints e;
    endpoints_of(p, &e);
    json_t *reply = exchange_code(p, &e, code, verifier, redirect_uri, err, errlen);
    if (!reply)
        return -1;
    const char *access_token = json_string_value(json_object_get(reply, "access_token"));
    /* OpenID Connect: the identity is the id_token's; plain OAuth 2.0 (no
     * issuer, no key set): the userinfo endpoint's */
    int oidc = *p->s.issuer || *e.jwks;
    json_t *claims = oidc ? checked_id_token(p, &e, json_string_value(json_object_get(
                                                        reply, "id_token")),
                                             nonce, err, errlen)
                          : json_object();
    int rc = claims ? 0 : -1;
    if (!rc && *e.userinfo) {
        struct oidc_http_call call = {.url = e.userinfo, .bearer = access_token};
        json_t *info = access_token ? oidc_http_json(&call, NULL, err, errlen) : NULL;
        const char *sub = json_string_value(json_object_get(claims, "sub"));
        const char *info_sub = json_string_value(json_object_get(info, "sub"));
        if (!access_token)
            snprintf(err, errlen, "the token reply: expected an access_token, found none");
        if (!info || !info_sub || (sub && strcmp(sub, info_sub))) {
            if (info)
                snprintf(err, errlen, "the userinfo reply: expected the sub of the id_token, "
                         "found %s", info_sub ? "another" : "none");
            rc = -1;
        } else {
            json_object_update_missing(info, claims); /* the id_token's claims where missing */
            json_decref(claims);
            claims = json_incref(info);
        }
        json_decref(info);
    }
    if (!rc) {
        const char *sub = json_string_value(json_object_get(claims, "sub"));
        if (!sub || !*sub || strlen(sub) >= sizeof out->subject) {
            snprintf(err, errlen, "the provider's claims: expected sub (1 to 255 characters)");
            rc = -1;
        } else {
            snprintf(out->subject, sizeof out->subject, "%s", sub);
            snprintf(out->issuer, sizeof out->issuer, "%s", *p->s.issuer ? p->s.issuer : e.token);
            identity_from(&p->s, claims, out);
        }
    }
    json_decref(claims);
    json_decref(reply);
    return rc;
}
