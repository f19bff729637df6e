/* Helpers of the mail tests (test_mail_*.c): a database of the test's own,
 * since a mail sender delivers (and forgets the tokens of) every pending
 * message of its database, and waiting for a row to reach a state. */
#ifndef POLIS_TEST_H_MAIL_H
#define POLIS_TEST_H_MAIL_H

#include "harness.h"

/* A private cluster (h_cluster_create) with every migration applied; exits
 * the test when `polis migrate` fails. */
void hm_migrated_cluster(struct h_cluster *c);

/* Polls sql (one value; $1 = arg) until it equals expected, for at most
 * H_EVENT_DEADLINE_MS; returns the last value (malloc'd, may be NULL). */
char *hm_wait_value(PGconn *db, const char *sql, const char *arg, const char *expected);

#endif
