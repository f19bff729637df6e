/* Helpers of the mail tests (test_mail_*.c): waiting for a row to reach a
 * state. Each mail test works on a database of its own (h_private_db), since
 * a mail sender delivers (and forgets the tokens of) every pending message
 * of its database. */
#ifndef POLIS_TEST_H_MAIL_H
#define POLIS_TEST_H_MAIL_H

#include "harness.h"

/* Polls sql (one value; $1 = arg) until it equals expected, for at most
 * H_EVENT_DEADLINE_MS; returns the last value (malloc'd, may be NULL). */
char *hm_wait_value(PGconn *db, const char *sql, const char *arg, const char *expected);

#endif
