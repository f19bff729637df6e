/* SQL on the accounts tables (sql/004_accounts.sql). Digest parameters are
 * bytea literals from token_digest_hex(). */
#ifndef POLIS_ACCOUNTS_SQL_H
#define POLIS_ACCOUNTS_SQL_H

/* What a user may see of their own account, as SQL building JSON from the
 * users row aliased u (for the statements in auth/). */
#define USER_JSON(u)                                                                         \
    "json_build_object('id', " u ".id, 'email', " u ".email, 'role', " u ".role,"           \
    " 'display_name', " u ".display_name, 'phone', " u ".phone,"                            \
    " 'email_confirmed', " u ".email_confirmed_at IS NOT NULL,"                             \
    " 'created_at', " u ".created_at,"                                                       \
    " 'departments', coalesce((SELECT json_agg(json_build_object('id', dp.id, 'code', dp.code," \
    " 'name_el', dp.name_el, 'name_en', dp.name_en) ORDER BY dp.id)"                         \
    " FROM user_departments ud JOIN departments dp ON dp.id = ud.department_id"             \
    " WHERE ud.user_id = " u ".id), '[]'::json))"

/* $1 session digest, $2 idle timeout in seconds. Touches last_seen_at at most
 * once a minute. Row: (user id, email, role, csrf token, department ids "1,2"). */
extern const char SESSION_LOOKUP_SQL[];

/* $1 key digest. Row: (user id, email, role, key id, scopes "read,report",
 * department ids). Touches last_used_at at most once a minute. */
extern const char API_KEY_LOOKUP_SQL[];

/* $1 email, $2 password hash, $3 display name|NULL, $4 phone|NULL,
 * $5 confirmation token digest, $6 mail body for a new account (with the
 * {{token}} placeholder), $7 mail body for an address that already has one,
 * $8 the confirmation token, kept in the outbox only until the mail is
 * handed over (sql/019_outbox_token.sql). Row: (created 0/1). */
extern const char USER_REGISTER_SQL[];

/* $1 token digest. Row: (user id) when the token was valid. */
extern const char USER_CONFIRM_SQL[];

/* $1 email. Row: (id, password hash, confirmed boolean). */
extern const char USER_LOGIN_LOOKUP_SQL[];

/* $1 session digest, $2 user id, $3 csrf token, $4 client ip|NULL,
 * $5 user agent|NULL, $6 absolute lifetime in hours, $7 an upgraded
 * password hash|NULL, stored when the hash is still $8 (the one verified).
 * Row: (user json). */
extern const char SESSION_CREATE_SQL[];

/* $1 session digest. */
extern const char SESSION_REVOKE_SQL[];

/* $1 user id. Row: (user json with departments). */
extern const char USER_ME_SQL[];

#endif
