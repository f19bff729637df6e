/* The caller's own rows: their inbox messages, subscriptions, followed
 * reports and API keys. The SQL takes the caller's user id and touches or
 * shows nothing of another user's: another's id is "not found". */
#ifndef POLIS_OWN_ROW_H
#define POLIS_OWN_ROW_H

#include "http/exchange.h"

/* Runs sql with $1 the id in the path and $2 the caller's user id, and
 * hands its result to done; answers 400 instead when the route gets a query
 * parameter or the id is not a positive integer ("a positive integer <what>
 * id"). */
void own_row_query(struct exchange *ex, const char *what, const char *sql,
                   exchange_result_cb done);

/* own_row_query for a write whose SQL returns the row it changed: 204, or
 * 404 with the detail `missing` when it returned none. */
void own_row_write(struct exchange *ex, const char *what, const char *sql, const char *missing);

/* A list of the caller's own: sql takes $1 the user id and returns one row
 * holding the list as a JSON array in `column`; answers 200 {member: list},
 * not stored by caches. No query parameters. */
void own_rows_list(struct exchange *ex, const char *sql, const char *member, int column);

#endif
