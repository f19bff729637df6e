/* The body of the endpoints that take a mailed link's token and nothing
 * else (confirm an account, confirm a new e-mail address): {"token": ...}. */
#ifndef POLIS_API_TOKEN_BODY_H
#define POLIS_API_TOKEN_BODY_H

#include "http/exchange.h"

/* The digest of the body's token as the SQL takes it (auth/token.h), from
 * the request's pool; NULL after answering 4xx (no JSON object, another
 * member, no token or one of the wrong length). */
const char *token_body_digest(struct exchange *ex);

#endif
