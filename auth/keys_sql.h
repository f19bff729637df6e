/* SQL on api_keys (sql/004_accounts.sql). The key itself never reaches the
 * database: only its SHA-256 digest (token_digest_hex) and a short prefix to
 * tell keys apart in lists. Writes record an audit_log row in the same
 * statement; the last four parameters of those are the actor (api/actor.h:
 * user id|NULL, key id|NULL, label, client ip|NULL). */
#ifndef POLIS_KEYS_SQL_H
#define POLIS_KEYS_SQL_H

/* Keys are "pk_" and 43 random characters; lists show the first 11. */
#define API_KEY_PREFIX "pk_"
#define API_KEY_SHOWN_CHARS 11

/* $1 owner user id, $2 name, $3 prefix, $4 key digest, $5 scopes as a text[]
 * literal ("{read,report}"), $6..$9 actor. A citizen's key cannot hold the
 * staff scope. Row: (owner role|NULL when no such user, key json|NULL when
 * the scopes are not allowed for the owner's role). */
extern const char KEY_CREATE_SQL[];

/* $1 owner user id. Row: (json array of the active keys, without secrets). */
extern const char KEY_LIST_SQL[];

/* $1 key id, $2 owner user id (a key of anybody else is not found),
 * $3..$6 actor. Row per revoked key: (id). */
extern const char KEY_REVOKE_SQL[];

/* $1 owner email. Row: (id, role) of the user (for the CLI). */
extern const char KEY_OWNER_SQL[];

#endif
