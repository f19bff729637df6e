#include "api/report_idempotency.h"

#include "http/respond.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Domain separation: the lookup digest and the sealing key are two
 * different hashes of the same Idempotency-Key. */
static const char LOOKUP_DOMAIN[] = "polis report idempotency lookup v1";
static const char SEAL_DOMAIN[] = "polis report idempotency seal v1";

static void keyed_hash(unsigned char *out, size_t outlen, const char *key, const char *domain)
{
    crypto_generichash(out, outlen, (const unsigned char *)key, strlen(key),
                       (const unsigned char *)domain, strlen(domain));
}

/* bytes as a bytea literal "\x..." in the request pool */
static const char *bytea_literal(struct exchange *ex, const unsigned char *bytes, size_t len)
{
    char *out = h2o_mem_alloc_pool(&ex->req->pool, 2 * len + 3);
    out[0] = '\\', out[1] = 'x';
    sodium_bin2hex(out + 2, 2 * len + 1, bytes, len);
    return out;
}

int idempotency_begin(struct exchange *ex, struct idempotency *id)
{
    memset(id, 0, sizeof *id);
    h2o_req_t *req = ex->req;
    ssize_t i = h2o_find_header_by_str(&req->headers, H2O_STRLIT(IDEMPOTENCY_HEADER), -1);
    if (i < 0)
        return 0;
    h2o_iovec_t v = req->headers.entries[i].value;
    int printable = v.len > 0 && v.len <= IDEMPOTENCY_KEY_MAX;
    for (size_t k = 0; printable && k < v.len; k++)
        printable = v.base[k] >= 0x20 && v.base[k] < 0x7f;
    if (!printable) {
        json_t *errors = NULL;
        field_error_append(&errors, "Idempotency-Key",
                           "1 to 255 printable ASCII characters, such as a UUID",
                           v.len > IDEMPOTENCY_KEY_MAX ? "a longer value"
                           : v.len == 0                ? "an empty value"
                                                       : "other characters");
        respond_problem(req, 400, "/problems/invalid-header", "Invalid header", errors,
                        "the Idempotency-Key header must be 1 to %d printable ASCII characters",
                        IDEMPOTENCY_KEY_MAX);
        return -1;
    }
    id->key = h2o_strdup(&req->pool, v.base, v.len).base;
    id->caller = ex->who.user_id ? exchange_printf(ex, "user:%ld", ex->who.user_id)
                                 : exchange_printf(ex, "ip:%s", ex->client_ip);
    unsigned char digest[32];
    keyed_hash(digest, sizeof digest, id->key, LOOKUP_DOMAIN);
    id->key_digest = bytea_literal(ex, digest, sizeof digest);
    crypto_hash_sha256(digest, (const unsigned char *)(req->entity.base ? req->entity.base : ""),
                       req->entity.len);
    id->request_hash = bytea_literal(ex, digest, sizeof digest);
    return 0;
}

const char *idempotency_seal(struct exchange *ex, const struct idempotency *id,
                             const char *secret)
{
    unsigned char key[crypto_secretbox_KEYBYTES];
    keyed_hash(key, sizeof key, id->key, SEAL_DOMAIN);
    size_t len = strlen(secret);
    size_t total = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
    unsigned char *box = h2o_mem_alloc_pool(&ex->req->pool, total);
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)secret, len,
                          box, key);
    sodium_memzero(key, sizeof key);
    return bytea_literal(ex, box, total);
}

int idempotency_open(const struct idempotency *id, const char *sealed_hex, char *secret,
                     size_t outlen)
{
    unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 256];
    size_t len;
    if (sodium_hex2bin(box, sizeof box, sealed_hex, strlen(sealed_hex), NULL, &len, NULL) ||
        len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES ||
        len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES >= outlen)
        return -1;
    unsigned char key[crypto_secretbox_KEYBYTES];
    keyed_hash(key, sizeof key, id->key, SEAL_DOMAIN);
    int rc = crypto_secretbox_open_easy((unsigned char *)secret, box + crypto_secretbox_NONCEBYTES,
                                        len - crypto_secretbox_NONCEBYTES, box, key);
    sodium_memzero(key, sizeof key);
    if (rc)
        return -1;
    secret[len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES] = '\0';
    return 0;
}

int idempotency_same_request(const struct idempotency *id, const char *request_hash_hex)
{
    return !strcmp(id->request_hash + 2, request_hash_hex);
}
