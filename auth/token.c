#include "auth/token.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void token_new(const char *prefix, char *out, size_t outlen)
{
    unsigned char raw[TOKEN_BYTES];
    char text[TOKEN_TEXT_MAX + 1];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(text, sizeof text, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(out, outlen, "%s%s", prefix ? prefix : "", text);
    sodium_memzero(raw, sizeof raw);
}

void token_digest_hex(const char *token, char out[TOKEN_DIGEST_HEX_MAX])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)token, strlen(token));
    out[0] = '\\';
    out[1] = 'x';
    sodium_bin2hex(out + 2, TOKEN_DIGEST_HEX_MAX - 2, digest, sizeof digest);
}

int token_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return 0;
    return sodium_memcmp(a, b, la) == 0;
}
