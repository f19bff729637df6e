#include "auth/oidc_jws.h"

#include "auth/base64url.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A base64url part that is a JSON object. */
static json_t *json_part(const char *p, size_t len)
{
    size_t n;
    unsigned char *bytes = base64url_decode(p, len, &n);
    json_t *j = bytes ? json_loadb((const char *)bytes, n, JSON_REJECT_DUPLICATES, NULL) : NULL;
    free(bytes);
    if (j && !json_is_object(j)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

int jws_parse(const char *compact, size_t len, struct jws *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *dot1 = len ? memchr(compact, '.', len) : NULL;
    const char *dot2 = dot1 ? memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - compact)) : NULL;
    if (len > JWS_MAX_BYTES || !dot2 ||
        memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - compact))) {
        snprintf(err, errlen, "the id_token: expected a JWS in compact form "
                 "(three base64url parts, at most %d bytes), found %zu bytes", JWS_MAX_BYTES, len);
        return -1;
    }
    out->text = compact;
    out->signing_len = (size_t)(dot2 - compact);
    out->header = json_part(compact, (size_t)(dot1 - compact));
    out->claims = json_part(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    out->signature =
        base64url_decode(dot2 + 1, len - (size_t)(dot2 + 1 - compact), &out->signature_len);
    if (!out->header || !out->claims || !out->signature) {
        snprintf(err, errlen, "the id_token: expected a JSON header, JSON claims and a "
                 "signature, each base64url; found a part that is not");
        jws_free(out);
        return -1;
    }
    out->alg = json_string_value(json_object_get(out->header, "alg"));
    out->kid = json_string_value(json_object_get(out->header, "kid"));
    if (!out->alg || (strcmp(out->alg, "RS256") && strcmp(out->alg, "ES256"))) {
        snprintf(err, errlen, "the id_token: expected alg RS256 or ES256, found %.20s",
                 out->alg ? out->alg : "none given");
        jws_free(out);
        return -1;
    }
    return 0;
}

void jws_free(struct jws *jws)
{
    json_decref(jws->header);
    json_decref(jws->claims);
    free(jws->signature);
    memset(jws, 0, sizeof *jws);
}

/* ES256 signs as r||s (32 bytes each, RFC 7518 §3.4); OpenSSL verifies DER. */
static unsigned char *es256_der(const struct jws *jws, size_t *der_len)
{
    if (jws->signature_len != 64)
        return NULL;
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(jws->signature, 32, NULL), *s = BN_bin2bn(jws->signature + 32, 32, NULL);
    unsigned char *der = NULL;
    if (sig && r && s && ECDSA_SIG_set0(sig, r, s)) {
        r = s = NULL; /* sig owns them */
        int n = i2d_ECDSA_SIG(sig, &der);
        *der_len = n > 0 ? (size_t)n : 0;
    }
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return der;
}

int jws_verify(const struct jws *jws, EVP_PKEY *key)
{
    int es = !strcmp(jws->alg, "ES256");
    if (EVP_PKEY_get_base_id(key) != (es ? EVP_PKEY_EC : EVP_PKEY_RSA))
        return 0;
    size_t sig_len = jws->signature_len;
    unsigned char *der = es ? es256_der(jws, &sig_len) : NULL;
    const unsigned char *sig = es ? der : jws->signature;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = sig && md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
             EVP_DigestVerify(md, sig, sig_len, (const unsigned char *)jws->text,
                              jws->signing_len) == 1;
    EVP_MD_CTX_free(md);
    OPENSSL_free(der);
    return ok;
}

/* aud is the client id, or an array holding it (then azp, if present or
 * if there are several audiences, must be the client id). */
static int audience_ok(json_t *claims, const char *client_id)
{
    json_t *aud = json_object_get(claims, "aud");
    const char *azp = json_string_value(json_object_get(claims, "azp"));
    if (json_is_string(aud))
        return !strcmp(json_string_value(aud), client_id) && (!azp || !strcmp(azp, client_id));
    if (!json_is_array(aud))
        return 0;
    int found = 0;
    size_t i;
    json_t *one;
    json_array_foreach(aud, i, one) found |= json_is_string(one) &&
                                             !strcmp(json_string_value(one), client_id);
    if (!found)
        return 0;
    if (json_array_size(aud) > 1 || azp)
        return azp && !strcmp(azp, client_id);
    return 1;
}

int id_token_check_claims(json_t *claims, const struct id_token_expect *expect, char *err,
                          size_t errlen)
{
    const char *iss = json_string_value(json_object_get(claims, "iss"));
    const char *sub = json_string_value(json_object_get(claims, "sub"));
    const char *nonce = json_string_value(json_object_get(claims, "nonce"));
    json_t *exp = json_object_get(claims, "exp"), *iat = json_object_get(claims, "iat"),
           *nbf = json_object_get(claims, "nbf");
    const char *wrong = NULL;
    if (!iss || strcmp(iss, expect->issuer))
        wrong = "iss: expected the configured issuer";
    else if (!sub || !*sub || strlen(sub) > 255)
        wrong = "sub: expected the subject (1 to 255 characters)";
    else if (!audience_ok(claims, expect->client_id))
        wrong = "aud: expected this client's id (and azp equal to it)";
    else if (!json_is_number(exp) || json_number_value(exp) + expect->skew_s < (double)expect->now)
        wrong = "exp: the id_token has expired";
    else if (!json_is_number(iat) || json_number_value(iat) - expect->skew_s > (double)expect->now)
        wrong = "iat: expected an issue time that is not in the future";
    else if (nbf && (!json_is_number(nbf) ||
                     json_number_value(nbf) - expect->skew_s > (double)expect->now))
        wrong = "nbf: the id_token is not valid yet";
    else if (!nonce || strcmp(nonce, expect->nonce))
        wrong = "nonce: expected the one sent with this sign-in";
    if (!wrong)
        return 0;
    snprintf(err, errlen, "the id_token's %s", wrong);
    return -1;
}
