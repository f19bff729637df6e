/* The identity provider polis signs people in with (OpenID Connect, or a
 * plain OAuth 2.0 provider with a userinfo endpoint): its endpoints (from
 * its discovery document or configured), its signing keys (cached, fetched
 * again once when an id_token names a key not in the cache), and the back
 * half of a sign-in: the code exchanged for tokens, the id_token checked,
 * the userinfo read. Every call here may block on the network: run them
 * off the event loop. One provider per process, shared by the threads. */
#ifndef POLIS_OIDC_PROVIDER_H
#define POLIS_OIDC_PROVIDER_H

#include <stddef.h>

/* The POLIS_OIDC_* settings (http/config.c reads and checks them). */
struct oidc_settings {
    const char *issuer;            /* "" or the issuer URL (discovery) */
    const char *authorization_url; /* "" or explicit, wins over discovery */
    const char *token_url;
    const char *jwks_url;
    const char *userinfo_url;
    const char *client_id;
    const char *client_secret;
    const char *scopes;
    const char *label;
    const char *tax_number_claim;
    const char *name_claim;
    int enabled;                   /* any of issuer, client id, endpoints set */
};

/* Who the provider says signed in. Fields are "" when not given. */
struct oidc_identity {
    char issuer[1024];     /* the issuer (or, without one, the token endpoint) */
    char subject[256];
    char name[301];
    char tax_number[32];   /* as given: the caller checks it */
    char email[255];
    int email_verified;
};

struct oidc_provider;

struct oidc_provider *oidc_provider_new(const struct oidc_settings *settings);
void oidc_provider_free(struct oidc_provider *p);

/* The authorization endpoint into out when known without a network call
 * (configured, or discovered before); returns 1 then, else 0. */
int oidc_provider_authorization_known(struct oidc_provider *p, char *out, size_t outlen);

/* Blocking: discovers the endpoints if not done yet. 0, or -1 with why. */
int oidc_provider_discover(struct oidc_provider *p, char *err, size_t errlen);

/* Blocking: the back half of a sign-in. Exchanges code (with the PKCE
 * verifier and the redirect_uri the authorization request named) at the
 * token endpoint; in OpenID Connect mode checks the id_token (signature by
 * the provider's key, iss, aud/azp, exp, iat, nbf, nonce); reads the
 * userinfo endpoint when one is known (its sub must be the id_token's).
 * Returns 0 with out filled, or -1 with what was refused in err. */
int oidc_provider_sign_in(struct oidc_provider *p, const char *code, const char *verifier,
                          const char *redirect_uri, const char *nonce, struct oidc_identity *out,
                          char *err, size_t errlen);

#endif
