/* A mock OpenID Connect provider for tests/http/test_oidc.c: a small
 * HTTP/1.1 server on 127.0.0.1 in a thread of the test. It serves the
 * discovery document, its key set (an RSA key made with OpenSSL at start),
 * /authorize (which answers at once with a redirect carrying a code and the
 * state, as if the person had signed in), /token (client_secret_basic,
 * the code once, the redirect_uri and the PKCE verifier checked against the
 * challenge it saw; then an id_token it signs) and /userinfo (Bearer). */
#ifndef POLIS_TEST_H_OIDC_MOCK_H
#define POLIS_TEST_H_OIDC_MOCK_H

#define MOCK_CLIENT_ID "polis-test"
#define MOCK_CLIENT_SECRET "s3cret:with/odd&chars"

/* What the next id_token gets wrong, to see polis refuse it. */
enum mock_fault {
    MOCK_GOOD = 0,
    MOCK_BAD_SIGNATURE, /* a byte of the signature changed */
    MOCK_WRONG_NONCE,
    MOCK_WRONG_AUDIENCE,
    MOCK_EXPIRED,       /* exp an hour ago */
    MOCK_OTHER_KEY,     /* signed by a key not in the set (kid unknown) */
};

struct mock_person {
    char subject[64];
    char name[128];       /* in the id_token */
    char tax_number[16];  /* in the userinfo reply only */
    char email[128];
};

/* Starts the provider; returns its base URL (the issuer), static storage. */
const char *mock_start(void);

/* Who signs in next, and what goes wrong. */
void mock_set(const struct mock_person *who, enum mock_fault fault);

/* Codes /token refused because the verifier did not match the challenge. */
int mock_verifier_refusals(void);

/* How many times the key set was fetched. */
int mock_jwks_fetches(void);

#endif
