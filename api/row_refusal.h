/* The first answer of many writes: their statement answers one row that
 * says whether the caller may act (a boolean column) and whether the thing
 * acted on exists (another), and the handler refuses before it reads
 * anything else. Used by the POI and event writes. */
#ifndef POLIS_ROW_REFUSAL_H
#define POLIS_ROW_REFUSAL_H

#include "http/exchange.h"

/* Answers the database failure, else forbidden(ex) when column may_column
 * of row 0 is false, else missing(ex) when column exists_column is false,
 * in that order. Returns 1 when it answered, 0 when the row is there to
 * use. */
int row_refused_or_missing(struct exchange *ex, const PGresult *res, int may_column,
                           int exists_column, void (*forbidden)(struct exchange *ex),
                           void (*missing)(struct exchange *ex));

#endif
