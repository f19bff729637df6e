/* Random secrets (session ids, API keys, one-time tokens) and the digests
 * under which they are stored: the database never holds a usable secret. */
#ifndef POLIS_TOKEN_H
#define POLIS_TOKEN_H

#include <stddef.h>

#define TOKEN_BYTES 32                 /* 256 bits of randomness */
#define TOKEN_TEXT_MAX 48              /* base64url of 32 bytes is 43 chars */
#define TOKEN_DIGEST_HEX_MAX (2 + 64 + 1) /* "\x" + hex of SHA-256 + NUL */

/* Writes a new random token as base64url text (no padding) with an optional
 * prefix ("pk_" for API keys) into out (at least TOKEN_TEXT_MAX + prefix). */
void token_new(const char *prefix, char *out, size_t outlen);

/* SHA-256 of token as a bytea literal in PostgreSQL's text format ("\x..."),
 * ready to pass as a query parameter. */
void token_digest_hex(const char *token, char out[TOKEN_DIGEST_HEX_MAX]);

/* Constant-time comparison of two NUL-terminated strings. */
int token_equal(const char *a, const char *b);

#endif
