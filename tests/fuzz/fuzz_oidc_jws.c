/* An id_token and the provider's key set (auth/oidc_jws.c, auth/oidc_jwks.c,
 * auth/base64url.c): untrusted bytes from the token endpoint and the JWKS
 * endpoint. Input: the compact JWS, a newline, the JWKS JSON.
 * Properties: base64url decoding accepts only the canonical form (encoding
 * what it decoded gives the input back); a parsed JWS has alg RS256 or
 * ES256 and its signing input ends just before the second dot; finding a
 * key, verifying with it and checking the claims never crash, and claims
 * that pass carry the expected nonce and audience. */
#include "auth/base64url.h"
#include "auth/oidc_jwks.h"
#include "auth/oidc_jws.h"
#include "tests/fuzz/fuzz.h"

static void base64url_round_trip(const char *s, size_t len)
{
    size_t n;
    unsigned char *bytes = base64url_decode(s, len, &n);
    if (!bytes)
        return;
    char *again = malloc(base64url_size(n));
    if (!again)
        abort();
    base64url_encode(bytes, n, again);
    FUZZ_CHECK(strlen(again) == len && !memcmp(again, s, len),
               "decoded %zu chars to %zu bytes, encoded back to %s", len, n, again);
    free(again);
    free(bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *rest;
    size_t restlen;
    char *compact = fuzz_split_line(data, size, &rest, &restlen);
    size_t len = strlen(compact);
    base64url_round_trip(compact, strcspn(compact, "."));
    struct jws jws;
    char err[512];
    if (jws_parse(compact, len, &jws, err, sizeof err) == 0) {
        FUZZ_CHECK(!strcmp(jws.alg, "RS256") || !strcmp(jws.alg, "ES256"), "alg %s", jws.alg);
        FUZZ_CHECK(jws.signing_len < len && compact[jws.signing_len] == '.' &&
                       memchr(compact, '.', jws.signing_len) != NULL,
                   "signing input of %zu bytes in %zu", jws.signing_len, len);
        int unknown_kid;
        EVP_PKEY *key = jwks_find_key((const char *)rest, restlen, jws.kid, jws.alg,
                                      &unknown_kid, err, sizeof err);
        FUZZ_CHECK(!(key && unknown_kid), "a key found and its kid unknown");
        if (key) {
            jws_verify(&jws, key);
            EVP_PKEY_free(key);
        }
        struct id_token_expect expect = {.issuer = "https://idp.example", .client_id = "polis",
                                         .nonce = "n0nce", .now = 1800000000, .skew_s = 120};
        if (id_token_check_claims(jws.claims, &expect, err, sizeof err) == 0) {
            const char *nonce = json_string_value(json_object_get(jws.claims, "nonce"));
            FUZZ_CHECK(nonce && !strcmp(nonce, "n0nce"), "claims passed with another nonce");
            json_t *aud = json_object_get(jws.claims, "aud");
            FUZZ_CHECK(json_is_string(aud) || json_is_array(aud), "claims passed without aud");
        }
        jws_free(&jws);
    }
    free(compact);
    return 0;
}
