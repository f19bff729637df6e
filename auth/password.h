/* Passwords: argon2id hashing (libsodium) and the rules a new password must
 * meet. Hashing is deliberately slow (tens of ms, 64 MiB): the server runs
 * it off the event loop (http/offload.h). */
#ifndef POLIS_PASSWORD_H
#define POLIS_PASSWORD_H

#include <stddef.h>

#define PASSWORD_MIN_CHARS 10
#define PASSWORD_MAX_BYTES 256
#define PASSWORD_HASH_MAX 128 /* crypto_pwhash_STRBYTES */

/* Writes the argon2id string (algorithm, parameters, salt, digest) into out
 * (PASSWORD_HASH_MAX bytes). Returns 0, or -1 when out of memory. */
int password_hash(const char *password, char *out);

/* The argon2id runs a call made, added up for /metrics (api/password_job.c). */
struct password_work {
    unsigned long hashes;        /* crypto_pwhash_str */
    unsigned long verifications; /* crypto_pwhash_str_verify */
};

/* 1 when password matches hash, else 0; adds the work done to *work. A NULL
 * hash (no such account) costs one verification against a dummy hash of
 * today's parameters, as a real account's does, so timing does not tell
 * whether an email has an account. */
int password_verify(const char *hash, const char *password, struct password_work *work);

/* Makes the dummy hash now (once per process; password_verify does it
 * when needed). Slow the first time: call it off the event loop. Returns 0,
 * or -1 when out of memory. */
int password_prepare(void);

/* 1 when hash was made with other parameters than password_hash() uses now
 * (libsodium's defaults went up, or an older setting): after a successful
 * sign-in the password is hashed anew and stored. */
int password_needs_rehash(const char *hash);

/* NULL when password is acceptable for the account with this email; else
 * what a new password must be, for the client's error message. */
const char *password_policy_problem(const char *password, const char *email);

#endif
