/* Passwords: argon2id hashing (libsodium) and the rules a new password must
 * meet. Hashing is deliberately slow (tens of ms, 64 MiB): the server runs
 * it off the event loop (server/offload.h). */
#ifndef POLIS_PASSWORD_H
#define POLIS_PASSWORD_H

#include <stddef.h>

#define PASSWORD_MIN_CHARS 10
#define PASSWORD_MAX_BYTES 256
#define PASSWORD_HASH_MAX 128 /* crypto_pwhash_STRBYTES */

/* Writes the argon2id string (algorithm, parameters, salt, digest) into out
 * (PASSWORD_HASH_MAX bytes). Returns 0, or -1 when out of memory. */
int password_hash(const char *password, char *out);

/* 1 when password matches hash, else 0. A NULL hash (no such account)
 * still costs a full verification, so timing does not tell whether an email
 * has an account. */
int password_verify(const char *hash, const char *password);

/* NULL when password is acceptable for the account with this email; else
 * what a new password must be, for the client's error message. */
const char *password_policy_problem(const char *password, const char *email);

#endif
