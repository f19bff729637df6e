/* Who did it, for the audit log: every statement that writes an audit_log
 * row takes the caller as AUDIT_ACTOR_NPARAMS parameters, in the order
 * common/audit_actor.h gives. */
#ifndef POLIS_ACTOR_H
#define POLIS_ACTOR_H

#include "common/audit_actor.h"
#include "http/exchange.h"

/* out[0] actor user id|NULL, out[1] API key id|NULL, out[2] label (the
 * email; "anonymous" when nobody is signed in), out[3] client ip|NULL.
 * Strings live in the request pool. */
void actor_args(struct exchange *ex, const char *out[AUDIT_ACTOR_NPARAMS]);

#endif
