/* Starting a cookie session: the random session id and CSRF token, the
 * arguments SESSION_CREATE_SQL (and the password change) store, and the
 * answer that sets the cookie. Used by login and by the password change,
 * which replaces every session of the user with a fresh one. */
#ifndef POLIS_SESSION_H
#define POLIS_SESSION_H

#include "auth/token.h"
#include "http/config.h"
#include "http/exchange.h"

/* The cookie's name. Served over https (POLIS_PUBLIC_URL https://...) it
 * carries the __Host- prefix, with which browsers accept it only when it is
 * Secure, Path=/ and without Domain, so neither a sibling subdomain nor a
 * plain-http page can set or overwrite it. Over http (development, tests)
 * the plain name, since browsers refuse Secure cookies there. */
#define SESSION_COOKIE "polis_session"
#define SESSION_COOKIE_HOST_ONLY "__Host-polis_session"

/* The name this server sets and reads (one of the two above). */
const char *session_cookie_name(const struct polis_config *cfg);

struct new_session {
    char token[TOKEN_TEXT_MAX + 1];      /* the cookie value: never stored, never logged */
    char csrf[TOKEN_TEXT_MAX + 1];
    char digest[TOKEN_DIGEST_HEX_MAX];   /* what the database stores */
    const char *client_ip;               /* NULL when unknown */
    const char *user_agent;              /* truncated to 200 bytes; NULL when absent */
    const char *max_hours;               /* absolute lifetime, as text */
};

/* A new session for ex, allocated in the request pool. */
struct new_session *session_new(struct exchange *ex);

/* Sets the session cookie of ns on the answer being made (and no-store):
 * sign-in with a password (session_respond) or with an identity provider. */
void session_set_cookie(struct exchange *ex, const struct new_session *ns);

/* Answers 200 {"user":user_json,"csrf_token":...} and sets the cookie. */
void session_respond(struct exchange *ex, const struct new_session *ns, const char *user_json);

/* The header that removes the cookie (logout, account deleted). */
void session_clear_cookie(struct exchange *ex);

#endif
