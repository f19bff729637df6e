/* Who did it, for the audit log: every statement that writes an audit_log
 * row takes the caller as four parameters in this order. */
#ifndef POLIS_ACTOR_H
#define POLIS_ACTOR_H

#include "http/exchange.h"

/* out[0] actor user id|NULL, out[1] API key id|NULL, out[2] label (the
 * email; "anonymous" when nobody is signed in), out[3] client ip|NULL.
 * Strings live in the request pool. */
void actor_args(struct exchange *ex, const char *out[4]);

#endif
