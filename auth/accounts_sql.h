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
    " 'language', " u ".language,"                                                         \
    " 'created_at', " u ".created_at,"                                                       \
    " 'departments', coalesce((SELECT json_agg(json_build_object('id', dp.id, 'code', dp.code," \
    " 'name_el', dp.name_el, 'name_en', dp.name_en) ORDER BY dp.id)"                         \
    " FROM user_departments ud JOIN departments dp ON dp.id = ud.department_id"             \
    " WHERE ud.user_id = " u ".id), '[]'::json),"                                         \
    " 'identity', (SELECT json_build_object('label', ui.label, 'issuer', ui.issuer,"         \
    " 'verified_name', ui.verified_name, 'tax_number', ui.tax_number)"                      \
    " FROM user_identities ui WHERE ui.user_id = " u ".id ORDER BY ui.last_seen DESC LIMIT 1))"

/* $1 session digest, $2 idle timeout in seconds. Touches last_seen_at at most
 * once a minute. One row when the session is alive. */
extern const char SESSION_LOOKUP_SQL[];
enum session_lookup_col {
    SESSION_LOOKUP_USER_ID,
    SESSION_LOOKUP_EMAIL,
    SESSION_LOOKUP_ROLE,
    SESSION_LOOKUP_CSRF_TOKEN,
    SESSION_LOOKUP_DEPARTMENTS, /* department ids "1,2" */
};

/* $1 key digest. One row when the key is active. Touches last_used_at at most
 * once a minute. The first three columns are those of SESSION_LOOKUP_SQL. */
extern const char API_KEY_LOOKUP_SQL[];
enum api_key_lookup_col {
    API_KEY_LOOKUP_USER_ID,
    API_KEY_LOOKUP_EMAIL,
    API_KEY_LOOKUP_ROLE,
    API_KEY_LOOKUP_KEY_ID,
    API_KEY_LOOKUP_SCOPES,      /* "read,report" */
    API_KEY_LOOKUP_DEPARTMENTS, /* department ids "1,2" */
};

/* $1 email, $2 password hash, $3 display name|NULL, $4 phone|NULL,
 * $5 confirmation token digest, $6 mail body for a new account (with the
 * {{token}} placeholder), $7 mail body for an address that already has one,
 * $8 the confirmation token, kept in the outbox only until the mail is
 * handed over (sql/019_outbox_token.sql), $9 the language of later mail
 * (NULL: Greek). One row. */
extern const char USER_REGISTER_SQL[];
enum user_register_param {
    USER_REGISTER_P_EMAIL,
    USER_REGISTER_P_PASSWORD_HASH,
    USER_REGISTER_P_DISPLAY_NAME,
    USER_REGISTER_P_PHONE,
    USER_REGISTER_P_TOKEN_DIGEST,
    USER_REGISTER_P_MAIL_NEW,
    USER_REGISTER_P_MAIL_EXISTING,
    USER_REGISTER_P_TOKEN,
    USER_REGISTER_P_LANGUAGE, /* "el" or "en"; NULL: Greek */
    USER_REGISTER_NPARAMS
};
enum user_register_col {
    USER_REGISTER_CREATED, /* 1 when an account was created, else 0 */
};

/* $1 token digest. One row when the token was valid. */
extern const char USER_CONFIRM_SQL[];
enum user_confirm_col {
    USER_CONFIRM_USER_ID,
};

/* $1 email. One row when the account exists. */
extern const char USER_LOGIN_LOOKUP_SQL[];
enum user_login_lookup_col {
    USER_LOGIN_LOOKUP_ID,
    USER_LOGIN_LOOKUP_PASSWORD_HASH,
    USER_LOGIN_LOOKUP_CONFIRMED, /* boolean: the email is confirmed */
};

/* $1 session digest, $2 user id, $3 csrf token, $4 client ip|NULL,
 * $5 user agent|NULL, $6 absolute lifetime in hours, $7 an upgraded
 * password hash|NULL, stored when the hash is still $8 (the one verified).
 * One row. */
extern const char SESSION_CREATE_SQL[];
enum session_create_param {
    SESSION_CREATE_P_DIGEST,
    SESSION_CREATE_P_USER_ID,
    SESSION_CREATE_P_CSRF_TOKEN,
    SESSION_CREATE_P_CLIENT_IP,
    SESSION_CREATE_P_USER_AGENT,
    SESSION_CREATE_P_LIFETIME_HOURS,
    SESSION_CREATE_P_UPGRADED_HASH,
    SESSION_CREATE_P_VERIFIED_HASH,
    SESSION_CREATE_NPARAMS
};
enum session_create_col {
    SESSION_CREATE_USER, /* user json */
};

/* $1 session digest. */
extern const char SESSION_REVOKE_SQL[];

/* $1 user id. One row. */
extern const char USER_ME_SQL[];
enum user_me_col {
    USER_ME_USER, /* user json with departments */
};

/* Changes the account's own settings: $2 language ("el"/"en"; NULL: kept).
 * One row (its USER_JSON, as USER_ME_SQL), none when the account is gone. */
extern const char USER_UPDATE_SQL[];
enum user_update_param {
    USER_UPDATE_P_USER_ID,
    USER_UPDATE_P_LANGUAGE,
    USER_UPDATE_NPARAMS
};

#endif
