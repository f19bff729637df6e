/* Idempotency-Key for POST /api/v1/reports: what is stored for a key and
 * how a retry is recognised. A key belongs to a caller (the account, or the
 * client address when anonymous); the database keeps only a digest of the
 * key, a SHA-256 of the request body, the report filed, and the report's
 * tracking secret encrypted with a key derived from the Idempotency-Key
 * (XSalsa20-Poly1305): a copy of the database cannot replay anyone's answer.
 * The rows live in report_idempotency (sql/020_report_privacy.sql). */
#ifndef POLIS_REPORT_IDEMPOTENCY_H
#define POLIS_REPORT_IDEMPOTENCY_H

#include "http/exchange.h"

#define IDEMPOTENCY_HEADER "idempotency-key"
#define IDEMPOTENCY_KEY_MAX 255

/* The request's key and what it stands for, as query parameters (bytea
 * literals in the request pool). */
struct idempotency {
    const char *key;          /* the header's value, NULL when absent */
    const char *caller;       /* "user:<id>" or "ip:<address>" */
    const char *key_digest;   /* "\x..." */
    const char *request_hash; /* "\x..." SHA-256 of the body */
};

/* Reads the Idempotency-Key header into id. Returns 0 (id->key NULL when
 * there is none), or -1 after answering 400 for a malformed key. */
int idempotency_begin(struct exchange *ex, struct idempotency *id);

/* The secret sealed for the row (a bytea literal in the request pool). */
const char *idempotency_seal(struct exchange *ex, const struct idempotency *id,
                             const char *secret);

/* Opens what idempotency_seal made (hex as read back from the row) into
 * secret (size at least outlen). Returns 0, or -1 when it does not open. */
int idempotency_open(const struct idempotency *id, const char *sealed_hex, char *secret,
                     size_t outlen);

/* 1 when request_hash_hex (from the row) is this request's body hash. */
int idempotency_same_request(const struct idempotency *id, const char *request_hash_hex);

#endif
