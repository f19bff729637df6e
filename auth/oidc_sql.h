/* The SQL of sign-in with an identity provider (sql/047_identities.sql):
 * the pending sign-ins (one use each) and the account, identity, session
 * and audit row a finished sign-in writes in one statement. */
#ifndef POLIS_OIDC_SQL_H
#define POLIS_OIDC_SQL_H

/* Stores a started sign-in (expires in 10 minutes); removes those that
 * expired more than a day ago. No rows. */
extern const char OIDC_LOGIN_START_SQL[];
enum oidc_login_start_param {
    OIDC_LOGIN_START_P_STATE_HASH, /* "\x" + hex SHA-256 of the state */
    OIDC_LOGIN_START_P_NONCE,
    OIDC_LOGIN_START_P_VERIFIER,   /* the PKCE code_verifier */
    OIDC_LOGIN_START_P_RETURN_TO,  /* a path on this server */
    OIDC_LOGIN_START_NPARAMS
};

/* Takes the sign-in of a state: marks it used in the same statement that
 * finds it, so only one callback ever gets it. One row, or none when the
 * state is unknown, used or expired. */
extern const char OIDC_LOGIN_TAKE_SQL[];
enum oidc_login_take_param {
    OIDC_LOGIN_TAKE_P_STATE_HASH,
    OIDC_LOGIN_TAKE_NPARAMS
};
enum oidc_login_take_col {
    OIDC_LOGIN_TAKE_NONCE,
    OIDC_LOGIN_TAKE_VERIFIER,
    OIDC_LOGIN_TAKE_RETURN_TO,
};

/* A verified identity signs in: the account linked to (issuer, subject),
 * else a new citizen account (never an existing local one: its e-mail is the
 * provider's when verified and not taken by another account, else a
 * placeholder at identity.invalid; no usable password), the identity row
 * updated with what the provider asserted now, a new session and the audit
 * row. One row. */
extern const char OIDC_SIGN_IN_SQL[];
enum oidc_sign_in_param {
    OIDC_SIGN_IN_P_ISSUER,
    OIDC_SIGN_IN_P_SUBJECT,
    OIDC_SIGN_IN_P_LABEL,
    OIDC_SIGN_IN_P_VERIFIED_NAME,  /* NULL when not given */
    OIDC_SIGN_IN_P_TAX_NUMBER,     /* NULL when not given or not a valid ΑΦΜ */
    OIDC_SIGN_IN_P_EMAIL,          /* NULL when not given */
    OIDC_SIGN_IN_P_EMAIL_VERIFIED, /* "t" or "f" */
    OIDC_SIGN_IN_P_SESSION_DIGEST,
    OIDC_SIGN_IN_P_CSRF_TOKEN,
    OIDC_SIGN_IN_P_CLIENT_IP,
    OIDC_SIGN_IN_P_USER_AGENT,
    OIDC_SIGN_IN_P_LIFETIME_HOURS,
    OIDC_SIGN_IN_NPARAMS
};
enum oidc_sign_in_col {
    OIDC_SIGN_IN_USER_ID,
    OIDC_SIGN_IN_CREATED, /* "t" when the account was made now */
};

#endif
