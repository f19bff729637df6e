/* Pieces every report route shares: the anonymous reporter's secret (the
 * X-Report-Secret header, or ?secret=) and the one 404 answer for a report
 * that does not exist or is not visible to the caller (the two are not told
 * apart, so ids do not leak). */
#ifndef POLIS_REPORT_ACCESS_H
#define POLIS_REPORT_ACCESS_H

#include "http/exchange.h"

#define REPORT_SECRET_HEADER "x-report-secret"

/* The anonymous reporter's secret as a digest parameter for the report
 * queries, or NULL when none was sent. Read from the X-Report-Secret header
 * (preferred: query strings end up in logs, histories and Referer headers)
 * or from ?secret=; both at once must agree. A malformed one is recorded as
 * an error on ex->query. */
const char *report_secret_digest(struct exchange *ex);

/* 404 problem naming the report id of path parameter 0. */
void report_not_found(struct exchange *ex);

/* For a query on the report of the path: answers like
 * respond_db_failure_or_missing, the 404 that of report_not_found. Returns
 * 1 when it answered, 0 when row 0 is there to use. */
int report_failure_or_missing(struct exchange *ex, const PGresult *res);

/* The parameters the report queries open to the anonymous reporter share
 * (REPORT_READ_SQL, the messages, the photo upload check): $1 the report
 * id, $2..$4 the caller as VIEWER, $5 the secret's digest (NULL: none). */
#define REPORT_READER_NPARAMS 5
void report_reader_args(struct exchange *ex, long id, const char *digest,
                        const char *out[REPORT_READER_NPARAMS]);

/* A signed-in caller's action on the report of the path (support, follow):
 * runs sql with $1 the report id and $2..$4 the caller as VIEWER
 * (gis/reports_sql.h), then done; answers 400 instead for a query
 * parameter or an id that is not a positive integer. */
void report_action(struct exchange *ex, const char *sql, exchange_result_cb done);

#endif
