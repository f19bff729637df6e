/* The body of the endpoints that take a mailed link's token and nothing
 * else (confirm an account, confirm a new e-mail address): {"token": ...}. */
#ifndef POLIS_API_TOKEN_BODY_H
#define POLIS_API_TOKEN_BODY_H

#include "http/exchange.h"

/* The digest of the body's token as the SQL takes it (auth/token.h), from
 * the request's pool; NULL after answering 4xx (no JSON object, another
 * member, no token or one of the wrong length). */
const char *token_body_digest(struct exchange *ex);

/* Answers 422 /problems/invalid-token for a body's token that the database
 * did not take (unknown, used or expired): the field error names "token",
 * what was expected (expected: "a reset token that is unused and not
 * expired") and what was found; detail is the problem's detail. Also for
 * bodies with more than the token (the password reset). */
void token_body_invalid(struct exchange *ex, const char *expected, const char *detail);

#endif
