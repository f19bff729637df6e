/* Account writes for the command line (polis user, polis key, polis demo
 * users): blocking libpq, the same SQL as the HTTP API (auth/), and an
 * audit_log row with actor_label "cli" in the same statement. */
#ifndef POLIS_CLI_ACCOUNTS_H
#define POLIS_CLI_ACCOUNTS_H

#include <libpq-fe.h>
#include <stddef.h>

/* Creates a confirmed user. codes: department codes of the municipality
 * muni (n of them). Returns 1 created (id in *id), 0 when the email already
 * has an account, -1 on error (reason in err). */
int cli_user_create(PGconn *db, const char *email, const char *role, const char *name,
                    const char *const *codes, int n, const char *muni, const char *password,
                    long *id, char *err, size_t errlen);

/* Creates an API key for the user with this email. scopes: "read,report".
 * Writes the key (shown once) into key. Returns 0, or -1 with err. */
int cli_key_create(PGconn *db, const char *email, const char *name, const char *scopes,
                   char *key, size_t keylen, char *err, size_t errlen);

/* A new random password (43 characters) in out (at least 64 bytes). */
void cli_password_generate(char *out, size_t outlen);

#endif
