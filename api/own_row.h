/* A write on one of the caller's own rows, named by the id in the path:
 * marking an inbox message read, removing a subscription, unfollowing a
 * report. The SQL takes $1 the id and $2 the caller's user id, and touches
 * nothing of another user's. */
#ifndef POLIS_OWN_ROW_H
#define POLIS_OWN_ROW_H

#include "http/exchange.h"

/* Answers 400 when the route gets a query parameter or the path's id is not
 * a positive integer ("a positive integer <what> id"); otherwise runs sql
 * and hands its result to done. */
void own_row_write(struct exchange *ex, const char *what, const char *sql,
                   exchange_result_cb done);

#endif
