/* Messages to users. Nothing is sent yet: every message goes into the
 * outbox table (by the SQL of the operation that causes it); a later issue
 * delivers them.
 *
 * A message that carries a one-time token (confirmation, reset) stores its
 * body with MAIL_TOKEN_PLACEHOLDER where the token goes and the token in the
 * outbox's own column, which is cleared once the mail is handed over
 * (sql/019_outbox_token.sql): sent mail keeps no usable secret.
 *
 * Links point at POLIS_PUBLIC_URL only, never at the Host header a client
 * sent (a forged Host would send users' reset links to an attacker); a
 * server without it refuses to mail links. */
#ifndef POLIS_MAIL_H
#define POLIS_MAIL_H

#include "http/exchange.h"

#define MAIL_TOKEN_PLACEHOLDER "{{token}}"

/* Returns 0 when links can be mailed; else answers 503 (no public address
 * configured) and returns 1. Call it before changing anything. */
int mail_links_unavailable(struct exchange *ex);

/* POLIS_PUBLIC_URL + path + "?token=" MAIL_TOKEN_PLACEHOLDER: the link as
 * the stored body holds it. Only after mail_links_unavailable() said 0. */
const char *mail_link(struct exchange *ex, const char *path);

/* A new one-time token for a mail: its text (for the outbox's token column)
 * and the digest under which the database keeps it, both in the request's
 * pool. */
struct mail_token {
    const char *text;
    const char *digest;
};
struct mail_token mail_token_new(struct exchange *ex);

#endif
