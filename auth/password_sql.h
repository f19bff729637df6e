/* SQL for changing a password: by the signed-in user (knowing the current
 * one) or with a reset token from the mail. Either way every session of the
 * user ends and unused reset tokens die; a reset also revokes every API key
 * of the user. The change is audited in the same statement. */
#ifndef POLIS_PASSWORD_SQL_H
#define POLIS_PASSWORD_SQL_H

/* $1 user id. Row: (password hash, email). */
extern const char PASSWORD_CURRENT_SQL[];

/* $1 user id, $2 the hash the current password was verified against (the
 * change only happens if it is still the stored one), $3 new hash,
 * $4 digest of a new session|NULL for none, $5 its csrf token, $6 client
 * ip|NULL, $7 user agent|NULL, $8 session lifetime in hours, $9 actor key
 * id|NULL. Revokes every other session. Row when changed: (user json). */
extern const char PASSWORD_CHANGE_SQL[];

/* $1 email, $2 reset token digest, $3 mail body (with the {{token}}
 * placeholder), $4 the token, kept in the outbox only until the mail is
 * handed over. Adds the token (valid 1 hour) and the message only when the
 * account exists.
 * Row: (1 when it does, else 0) - never shown to the client. */
extern const char RESET_REQUEST_SQL[];

/* $1 reset token digest. Row when the token is usable: (email). */
extern const char RESET_LOOKUP_SQL[];

/* $1 reset token digest, $2 new hash, $3 client ip|NULL. Uses the token,
 * sets the password (and confirms the email: the mail reached its owner),
 * revokes every session, every API key (listed in the audit row) and the
 * other reset tokens. Row when done: (id). */
extern const char RESET_APPLY_SQL[];

#endif
