/* SQL on api_keys (sql/004_accounts.sql). The key itself never reaches the
 * database: only its SHA-256 digest (token_digest_hex) and a short prefix to
 * tell keys apart in lists. Writes record an audit_log row in the same
 * statement; the last four parameters of those are the actor (api/actor.h:
 * user id|NULL, key id|NULL, label, client ip|NULL). */
#ifndef POLIS_KEYS_SQL_H
#define POLIS_KEYS_SQL_H

#include "common/audit_actor.h"

/* Keys are "pk_" and 43 random characters; lists show the first 11. */
#define API_KEY_PREFIX "pk_"
#define API_KEY_SHOWN_CHARS 11

/* $1 owner user id, $2 name, $3 prefix, $4 key digest, $5 scopes as a text[]
 * literal ("{read,report}"), $6..$9 actor. A citizen's key cannot hold the
 * staff scope. One row. */
extern const char KEY_CREATE_SQL[];
enum key_create_param {
    KEY_CREATE_P_OWNER_ID,
    KEY_CREATE_P_NAME,
    KEY_CREATE_P_PREFIX,
    KEY_CREATE_P_DIGEST,
    KEY_CREATE_P_SCOPES,
    KEY_CREATE_P_ACTOR, /* the four actor parameters start here */
    KEY_CREATE_NPARAMS = KEY_CREATE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum key_create_col {
    KEY_CREATE_OWNER_ROLE, /* NULL when there is no such user */
    KEY_CREATE_KEY,        /* key json; NULL when the scopes are not allowed for the role */
};

/* $1 owner user id. One row. */
extern const char KEY_LIST_SQL[];
enum key_list_col {
    KEY_LIST_KEYS, /* json array of the active keys, without secrets */
};

/* $1 key id, $2 owner user id (a key of anybody else is not found),
 * $3..$6 actor. One row per revoked key. */
extern const char KEY_REVOKE_SQL[];
enum key_revoke_param {
    KEY_REVOKE_P_KEY_ID,
    KEY_REVOKE_P_OWNER_ID,
    KEY_REVOKE_P_ACTOR, /* the four actor parameters start here */
    KEY_REVOKE_NPARAMS = KEY_REVOKE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum key_revoke_col {
    KEY_REVOKE_ID,
};

/* $1 owner email. One row when the user exists (for the CLI). */
extern const char KEY_OWNER_SQL[];
enum key_owner_col {
    KEY_OWNER_ID,
    KEY_OWNER_ROLE,
};

#endif
