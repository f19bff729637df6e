/* The mail sender: delivers the outbox over SMTP (POLIS_SMTP_URL). It runs
 * as a thread of `polis serve` when POLIS_SMTP_URL is set, and as
 * `polis mail send` for operators.
 *
 * Each round claims due messages (notify/outbox_sql.h: FOR UPDATE SKIP
 * LOCKED and a lease, so that one process sends each message however many
 * run), composes each (notify/smtp_message.h), hands it to the server
 * (notify/smtp_send.h) and records the answer: accepted -> sent and its
 * token forgotten; refused (5xx) -> failed; anything else -> retried later,
 * with a growing delay, until POLIS_MAIL_GIVE_UP_AFTER_S after it was
 * written, then failed.
 *
 * A crash (or a lost database connection) between the server's 250 and the
 * recording of it leaves the message claimed; once the lease has passed it
 * is sent again. Such a message can arrive twice; none is lost. */
#ifndef POLIS_MAIL_SENDER_H
#define POLIS_MAIL_SENDER_H

#include "http/config.h"

#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>

struct mail_round {
    long sent;     /* accepted by the SMTP server */
    long retrying; /* not accepted, to be tried again */
    long failed;   /* refused for good, or past the give-up time */
};

/* Sends every message due now with the blocking connection db, logging one
 * line per message to log. Adds to counts. Returns 0, or -1 with the reason
 * in err when the database failed (what was sent is recorded). */
int mail_send_due(PGconn *db, const struct polis_config *cfg, FILE *log,
                  struct mail_round *counts, char *err, size_t errlen);

/* Sends what is due every few seconds until *stop is set, with a
 * connection of its own (reconnecting after a failure), logging to log. */
void mail_sender_loop(const struct polis_config *cfg, volatile sig_atomic_t *stop, FILE *log);

/* Runs mail_sender_loop on a thread of its own, logging to stderr, for the
 * life of the process (a message it was sending when the process ends is
 * sent again after the lease). */
void mail_sender_start(const struct polis_config *cfg);

#endif
