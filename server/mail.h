/* Messages to users. Nothing is sent yet: every message goes into the
 * outbox table (by the SQL of the operation that causes it); a later issue
 * delivers them. */
#ifndef POLIS_MAIL_H
#define POLIS_MAIL_H

#include "server/exchange.h"

/* The link a message carries for a one-time token: POLIS_PUBLIC_URL + path
 * when configured, else this server as the client addressed it. */
const char *mail_link(struct exchange *ex, const char *path, const char *token);

#endif
