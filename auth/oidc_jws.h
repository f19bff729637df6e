/* An id_token as it arrives: a JWS in compact form (RFC 7515 §7.1,
 * header.payload.signature, each base64url), its RS256/ES256 signature
 * checked with OpenSSL, and the OpenID Connect claims a client must check
 * (Core 1.0 §3.1.3.7). Untrusted input: tests/fuzz/fuzz_oidc_jws.c. */
#ifndef POLIS_OIDC_JWS_H
#define POLIS_OIDC_JWS_H

#include <jansson.h>
#include <openssl/evp.h>
#include <stddef.h>
#include <time.h>

#define JWS_MAX_BYTES 16384 /* an id_token longer than this is refused */

struct jws {
    json_t *header, *claims;      /* owned */
    unsigned char *signature;     /* decoded, owned */
    size_t signature_len;
    size_t signing_len;           /* header.payload: the first signing_len bytes of the text */
    const char *text;             /* the compact form given to jws_parse (not owned) */
    const char *alg, *kid;        /* in header; kid NULL when absent */
};

/* Splits and decodes compact (len bytes). alg must be RS256 or ES256 ("none"
 * and the HMAC algorithms are refused: the key is the provider's public
 * one). Returns 0, or -1 with the reason in err (nothing to free). */
int jws_parse(const char *compact, size_t len, struct jws *out, char *err, size_t errlen);

/* 1 when the signature is valid for key under jws->alg. */
int jws_verify(const struct jws *jws, EVP_PKEY *key);

void jws_free(struct jws *jws);

/* What the id_token's claims must say. */
struct id_token_expect {
    const char *issuer;    /* iss, exactly */
    const char *client_id; /* in aud; azp equal to it when aud has several */
    const char *nonce;     /* nonce, exactly */
    time_t now;
    int skew_s;            /* allowed clock difference */
};

/* Returns 0 when claims carry a sub and meet expect, else -1 with the
 * first claim that does not in err. */
int id_token_check_claims(json_t *claims, const struct id_token_expect *expect, char *err,
                          size_t errlen);

#endif
