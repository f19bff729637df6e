/* The per-client limits a request meets after its caller is known and
 * authorised, before its handler runs (identity.c calls request_limits_pass):
 *  - the route's token bucket (RATE_LOGIN, RATE_REGISTER, RATE_RESET per
 *    client address; RATE_ANON_WRITE per address for anonymous callers);
 *  - any write (not GET/HEAD) by a signed-in caller: POLIS_RATE_USER_WRITE
 *    per minute per account;
 *  - RATE_EXPENSIVE reads: at most POLIS_EXPENSIVE_PER_CLIENT of them in
 *    progress per client (account, or address when anonymous); the hold is
 *    released when the exchange is disposed;
 * and, for the sign-in handler, failed sign-ins per account and address.
 * Each refusal is a 429 problem with Retry-After. */
#ifndef POLIS_REQUEST_LIMITS_H
#define POLIS_REQUEST_LIMITS_H

#include "http/exchange.h"

/* Returns 0 when the request may go on; 1 after answering 429. */
int request_limits_pass(struct exchange *ex);

/* Releases what request_limits_pass held for ex (from exchange_dispose). */
void request_limits_release(struct exchange *ex);

/* Sign-in: 1 after answering 429 when this client has failed too often
 * for this account (email, any case); 0 when it may try. */
int request_limits_login_refused(struct exchange *ex, const char *email);
/* The outcome of a sign-in attempt for email from this client. */
void request_limits_login_result(struct exchange *ex, const char *email, int succeeded);

/* Takes a token from bucket (per client, account or purpose) allowing
 * per_minute; when none is left answers 429 with Retry-After and returns 1. */
int request_limits_take(struct exchange *ex, const char *bucket, int per_minute);

#endif
