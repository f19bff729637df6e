/* SQL for changing a user's e-mail address (sql/029_email_change.sql): a
 * request stores the new address in a one-time token mailed to it and
 * tells the old address; following the link makes the change. Sessions and
 * API keys stay valid (they belong to the account, not to its address).
 * Both steps are audited in the same statement. */
#ifndef POLIS_EMAIL_CHANGE_SQL_H
#define POLIS_EMAIL_CHANGE_SQL_H

/* Hours a link mailed to the new address stays usable. */
#define EMAIL_CHANGE_TOKEN_HOURS 48

/* $1 user id, $2 the hash the password was verified against (the request
 * only goes ahead if it is still the stored one), $3 the new address, $4
 * token digest, $5 body of the mail to the new address (with the {{token}}
 * placeholder), $6 the token (kept in the outbox until handed over), $7 body
 * of the notice to the old address, $8 client ip|NULL. When the user exists
 * and the address has no account: earlier unused change tokens of the user
 * die, the token and both mails are written. One row. */
extern const char EMAIL_CHANGE_REQUEST_SQL[];
enum email_change_request_param {
    EMAIL_CHANGE_REQUEST_P_USER_ID,
    EMAIL_CHANGE_REQUEST_P_VERIFIED_HASH,
    EMAIL_CHANGE_REQUEST_P_NEW_EMAIL,
    EMAIL_CHANGE_REQUEST_P_TOKEN_DIGEST,
    EMAIL_CHANGE_REQUEST_P_MAIL_NEW,
    EMAIL_CHANGE_REQUEST_P_TOKEN,
    EMAIL_CHANGE_REQUEST_P_MAIL_OLD,
    EMAIL_CHANGE_REQUEST_P_CLIENT_IP,
    EMAIL_CHANGE_REQUEST_NPARAMS
};
enum email_change_request_col {
    EMAIL_CHANGE_REQUEST_USER,  /* 1 when the user's password is still the verified one */
    EMAIL_CHANGE_REQUEST_TAKEN, /* 1 when the new address already has an account */
};

/* $1 token digest, $2 client ip|NULL. When the token is usable and its
 * address still has no account: the address becomes the user's (and counts
 * as confirmed: the link reached it), the user's unused change and reset
 * tokens die (a reset link in the old mailbox must not outlive the change).
 * One row. */
extern const char EMAIL_CHANGE_CONFIRM_SQL[];
enum email_change_confirm_param {
    EMAIL_CHANGE_CONFIRM_P_TOKEN_DIGEST,
    EMAIL_CHANGE_CONFIRM_P_CLIENT_IP,
    EMAIL_CHANGE_CONFIRM_NPARAMS
};
enum email_change_confirm_col {
    EMAIL_CHANGE_CONFIRM_TOKEN_OK, /* 1 when the token is unused and not expired */
    EMAIL_CHANGE_CONFIRM_EMAIL,    /* the account's address now, NULL when not changed */
};

#endif
