/* The caller of a write as the audit log records it: every statement that
 * writes an audit_log row takes these parameters last, in this order:
 * actor user id (or NULL), API key id (or NULL), label (the email, or
 * "anonymous"), client ip (or NULL). api/actor.h fills them for a request;
 * the CLI passes its own. A statement's parameter enum ends with
 * X_P_ACTOR, X_NPARAMS = X_P_ACTOR + AUDIT_ACTOR_NPARAMS. */
#ifndef POLIS_AUDIT_ACTOR_H
#define POLIS_AUDIT_ACTOR_H

#define AUDIT_ACTOR_NPARAMS 4

#endif
