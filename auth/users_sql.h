/* SQL on users as a whole: creation by an administrator or the CLI, the
 * admin's list, the user's export of everything held about them, and the
 * deletion of an account. Writes record an audit_log row in the same
 * statement; the actor parameters are those of api/actor.h (user id|NULL,
 * key id|NULL, label, client ip|NULL). */
#ifndef POLIS_USERS_SQL_H
#define POLIS_USERS_SQL_H

#include "common/audit_actor.h"

/* $1 email, $2 password hash, $3 role, $4 display name|NULL, $5 department
 * codes as a JSON array ('[]' for none), $6 municipality code (whose
 * departments the codes name), $7..$10 actor. The user is created with the
 * email confirmed (an administrator vouches for it).
 * One row. */
extern const char USER_CREATE_SQL[];
enum user_create_param {
    USER_CREATE_P_EMAIL,
    USER_CREATE_P_PASSWORD_HASH,
    USER_CREATE_P_ROLE,
    USER_CREATE_P_DISPLAY_NAME,
    USER_CREATE_P_DEPARTMENTS,
    USER_CREATE_P_MUNICIPALITY,
    USER_CREATE_P_ACTOR, /* the four actor parameters start here */
    USER_CREATE_NPARAMS = USER_CREATE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum user_create_col {
    USER_CREATE_UNKNOWN_DEPARTMENTS, /* codes "a,b" that name no department|NULL */
    USER_CREATE_USER, /* user json|NULL when nothing was created: unknown codes, or
                       * the email already has an account */
};

/* $1 list after this user id (0 from the start), $2 rows to return.
 * Rows by id. */
extern const char USER_LIST_SQL[];
enum user_list_col {
    USER_LIST_ID,
    USER_LIST_USER, /* user json with department codes */
};

/* $1 user id, $2 digest of the session asking|NULL. One row. */
extern const char USER_EXPORT_SQL[];
enum user_export_col {
    USER_EXPORT_JSON, /* everything held about the user, without secrets: account,
                       * sessions, keys, mail, audit, reports with their public
                       * history, supports, follows, subscriptions, inbox */
};

/* $1 user id, $2 client ip|NULL. Removes the account and what cascades from
 * it, their outbox messages, and their name from the audit log; their
 * reports stay without account and contact data, their supports uncounted.
 * One row. */
extern const char USER_DELETE_SQL[];
enum user_delete_col {
    USER_DELETE_COUNT, /* accounts removed (0 or 1) */
};

#endif
