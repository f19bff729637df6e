#include "auth/oidc_jwks.h"

#include "auth/base64url.h"

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RSA_MAX_MODULUS_BYTES 1024 /* 8192 bits */

/* A member of key that is a base64url text, decoded (malloc'd), or NULL. */
static unsigned char *b64_member(json_t *key, const char *name, size_t *len)
{
    const char *text = json_string_value(json_object_get(key, name));
    return text ? base64url_decode(text, strlen(text), len) : NULL;
}

static EVP_PKEY *from_params(const char *type, OSSL_PARAM_BLD *bld)
{
    EVP_PKEY *pkey = NULL;
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pkey;
}

static EVP_PKEY *rsa_key(json_t *key)
{
    size_t nlen = 0, elen = 0;
    unsigned char *n = b64_member(key, "n", &nlen), *e = b64_member(key, "e", &elen);
    EVP_PKEY *pkey = NULL;
    if (n && e && nlen >= 256 && nlen <= RSA_MAX_MODULUS_BYTES && elen >= 1 && elen <= 8) {
        BIGNUM *bn_n = BN_bin2bn(n, (int)nlen, NULL), *bn_e = BN_bin2bn(e, (int)elen, NULL);
        OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
        if (bn_n && bn_e && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) &&
            OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e))
            pkey = from_params("RSA", bld);
        OSSL_PARAM_BLD_free(bld);
        BN_free(bn_n);
        BN_free(bn_e);
    }
    free(n);
    free(e);
    return pkey;
}

static EVP_PKEY *ec_p256_key(json_t *key)
{
    const char *crv = json_string_value(json_object_get(key, "crv"));
    if (!crv || strcmp(crv, "P-256"))
        return NULL;
    size_t xlen = 0, ylen = 0;
    unsigned char *x = b64_member(key, "x", &xlen), *y = b64_member(key, "y", &ylen);
    EVP_PKEY *pkey = NULL;
    if (x && y && xlen == 32 && ylen == 32) {
        unsigned char point[65];
        point[0] = 0x04; /* uncompressed: x then y */
        memcpy(point + 1, x, 32);
        memcpy(point + 33, y, 32);
        OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
        if (bld &&
            OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
            OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point))
            pkey = from_params("EC", bld);
        OSSL_PARAM_BLD_free(bld);
    }
    free(x);
    free(y);
    return pkey;
}

/* 1 when key may verify alg's signatures. */
static int suits(json_t *key, const char *alg)
{
    const char *kty = json_string_value(json_object_get(key, "kty"));
    const char *use = json_string_value(json_object_get(key, "use"));
    const char *key_alg = json_string_value(json_object_get(key, "alg"));
    if (!kty || (use && strcmp(use, "sig")) || (key_alg && strcmp(key_alg, alg)))
        return 0;
    return (!strcmp(alg, "RS256") && !strcmp(kty, "RSA")) ||
           (!strcmp(alg, "ES256") && !strcmp(kty, "EC"));
}

EVP_PKEY *jwks_find_key(const char *jwks_json, size_t len, const char *kid, const char *alg,
                        int *unknown_kid, char *err, size_t errlen)
{
    *unknown_kid = 0;
    json_t *set = json_loadb(jwks_json, len, JSON_REJECT_DUPLICATES, NULL);
    json_t *keys = json_object_get(set, "keys");
    if (!json_is_array(keys)) {
        snprintf(err, errlen, "the provider's JWKS: expected an object with a \"keys\" array");
        json_decref(set);
        return NULL;
    }
    json_t *chosen = NULL, *key;
    size_t i, candidates = 0;
    json_array_foreach(keys, i, key) {
        if (!json_is_object(key) || !suits(key, alg))
            continue;
        const char *key_kid = json_string_value(json_object_get(key, "kid"));
        if (kid && (!key_kid || strcmp(key_kid, kid)))
            continue;
        candidates++;
        chosen = key;
    }
    EVP_PKEY *pkey = NULL;
    if (candidates != 1) {
        *unknown_kid = candidates == 0 && kid;
        snprintf(err, errlen, "the provider's JWKS: expected one %s key%s%.64s%s, found %zu",
                 alg, kid ? " with kid \"" : "", kid ? kid : "", kid ? "\"" : "", candidates);
    } else if (!(pkey = !strcmp(alg, "RS256") ? rsa_key(chosen) : ec_p256_key(chosen))) {
        snprintf(err, errlen, "the provider's JWKS: the %s key is malformed", alg);
    }
    json_decref(set);
    return pkey;
}
