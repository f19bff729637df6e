/* Pieces every report route shares: the anonymous reporter's ?secret= and
 * the one 404 answer for a report that does not exist or is not visible to
 * the caller (the two are not told apart, so ids do not leak). */
#ifndef POLIS_REPORT_ACCESS_H
#define POLIS_REPORT_ACCESS_H

#include "server/exchange.h"

/* ?secret= as a digest parameter for the report queries, or NULL when
 * absent; a malformed one is recorded as an error on ex->query. */
const char *report_secret_digest(struct exchange *ex);

/* 404 problem naming the report id of path parameter 0. */
void report_not_found(struct exchange *ex);

#endif
