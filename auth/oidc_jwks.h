/* A JSON Web Key Set (RFC 7517), as an identity provider publishes its
 * signing keys: finding the key an id_token names and making an OpenSSL
 * public key of it. Untrusted input (fuzzed: tests/fuzz/fuzz_oidc_jws.c). */
#ifndef POLIS_OIDC_JWKS_H
#define POLIS_OIDC_JWKS_H

#include <openssl/evp.h>
#include <stddef.h>

/* The public key in the set jwks_json (len bytes) whose "kid" is kid (NULL:
 * the set must hold exactly one signing key) and that suits alg ("RS256":
 * kty RSA; "ES256": kty EC, crv P-256). Keys marked "use" other than "sig"
 * are skipped. Returns a key (EVP_PKEY_free it) or NULL with the reason in
 * err; *unknown_kid is set to 1 when the only problem is that no key has
 * that kid (the provider may have rotated its keys: fetch the set again). */
EVP_PKEY *jwks_find_key(const char *jwks_json, size_t len, const char *kid, const char *alg,
                        int *unknown_kid, char *err, size_t errlen);

#endif
