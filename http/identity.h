/* Authentication and authorisation in one place: the router calls
 * identity_then_run() for every matched route. It finds the credential (the
 * session cookie, or an API key as "Authorization: Bearer"), resolves it
 * with one query, enforces the route's access rule, the API key's scopes,
 * CSRF on cookie-authenticated writes and the route's rate limit, and only
 * then runs the handler. */
#ifndef POLIS_IDENTITY_H
#define POLIS_IDENTITY_H

#include "http/exchange.h"

#define CSRF_HEADER "x-csrf-token"

void identity_then_run(struct exchange *ex);

/* The value of cookie name in the Cookie header(s), copied into the pool;
 * NULL when absent. */
const char *identity_find_cookie(h2o_req_t *req, const char *name);

/* Rank of a role name: 1 citizen, 2 staff, 3 admin, 0 otherwise. */
int identity_rank_of(const char *role);

/* 1 when the caller is staff of department_id, or an admin. */
int identity_in_department(const struct identity *who, long department_id);

/* For what an API key must not do (take the account over, read everything
 * held about the user): 0 when the caller signed in with the session
 * cookie, else answers 403 naming what (e.g. "changing the password") and
 * returns 1. */
int identity_require_session(struct exchange *ex, const char *what);

/* For what only staff and admins may do inside a route open to others (a
 * filter of a public list): 0 when the caller is staff or admin (an API key
 * with the staff scope), else answers 401 (anonymous) or 403 naming what
 * and returns 1. */
int identity_require_staff(struct exchange *ex, const char *what);

/* For protocols that send the API key in the body (Open311's api_key):
 * resolves key into ex->who, then calls then(ex, found). A key that is
 * unknown or revoked leaves ex->who anonymous (found 0). */
void identity_use_api_key(struct exchange *ex, const char *key,
                          void (*then)(struct exchange *ex, int found));

/* 1 when who's credential carries staff powers: a session, or an API key
 * with the staff scope (a key without it acts as a citizen, whatever its
 * owner's role). The one rule for every handler that serves staff more. */
int identity_staff_scope(const struct identity *who);

/* 1 when who is staff or an admin and its credential carries staff powers
 * (identity_staff_scope): who sees what is for staff only (staff-only
 * layers in the list, their downloads and tiles). */
int identity_acts_as_staff(const struct identity *who);

/* The three VIEWER parameters of the report queries (gis/reports_sql.h):
 * user id|NULL, admin, and the departments the caller is staff of as a
 * bigint[] literal. An API key without the staff scope acts as a citizen. */
void identity_viewer_args(struct exchange *ex, const char *out[3]);


#endif
