/* SQL for changing a password: by the signed-in user (knowing the current
 * one) or with a reset token from the mail. Either way every session of the
 * user ends and unused reset tokens die; a reset also revokes every API key
 * of the user. The change is audited in the same statement. */
#ifndef POLIS_PASSWORD_SQL_H
#define POLIS_PASSWORD_SQL_H

/* $1 user id. One row when the user exists. */
extern const char PASSWORD_CURRENT_SQL[];
enum password_current_col {
    PASSWORD_CURRENT_HASH,
    PASSWORD_CURRENT_EMAIL,
};

/* $1 user id, $2 the hash the current password was verified against (the
 * change only happens if it is still the stored one), $3 new hash,
 * $4 digest of a new session|NULL for none, $5 its csrf token, $6 client
 * ip|NULL, $7 user agent|NULL, $8 session lifetime in hours, $9 actor key
 * id|NULL. Revokes every other session. One row when changed. */
extern const char PASSWORD_CHANGE_SQL[];
enum password_change_param {
    PASSWORD_CHANGE_P_USER_ID,
    PASSWORD_CHANGE_P_VERIFIED_HASH,
    PASSWORD_CHANGE_P_NEW_HASH,
    PASSWORD_CHANGE_P_SESSION_DIGEST,
    PASSWORD_CHANGE_P_CSRF_TOKEN,
    PASSWORD_CHANGE_P_CLIENT_IP,
    PASSWORD_CHANGE_P_USER_AGENT,
    PASSWORD_CHANGE_P_LIFETIME_HOURS,
    PASSWORD_CHANGE_P_ACTOR_KEY_ID,
    PASSWORD_CHANGE_NPARAMS
};
enum password_change_col {
    PASSWORD_CHANGE_USER, /* user json */
};

/* $1 email, $2 reset token digest, $3 mail body (with the {{token}}
 * placeholder), $4 the token, kept in the outbox only until the mail is
 * handed over. Adds the token (valid 1 hour) and the message only when the
 * account exists.
 * One row - never shown to the client. */
extern const char RESET_REQUEST_SQL[];
enum reset_request_param {
    RESET_REQUEST_P_EMAIL,
    RESET_REQUEST_P_TOKEN_DIGEST,
    RESET_REQUEST_P_MAIL_BODY,
    RESET_REQUEST_P_TOKEN,
    RESET_REQUEST_NPARAMS
};
enum reset_request_col {
    RESET_REQUEST_SENT, /* 1 when the account exists, else 0 */
};

/* $1 reset token digest. One row when the token is usable. */
extern const char RESET_LOOKUP_SQL[];
enum reset_lookup_col {
    RESET_LOOKUP_EMAIL,
};

/* $1 reset token digest, $2 new hash, $3 client ip|NULL. Uses the token,
 * sets the password (and confirms the email: the mail reached its owner),
 * revokes every session, every API key (listed in the audit row) and the
 * other reset tokens. One row when done. */
extern const char RESET_APPLY_SQL[];
enum reset_apply_col {
    RESET_APPLY_USER_ID,
};

#endif
