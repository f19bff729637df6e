/* What the report handler files (reports.c, reports_list.c,
 * report_support.c, report_transitions.c, and open311.c, which files
 * reports too) share; defined in reports.c. */
#ifndef POLIS_REPORTS_SHARED_H
#define POLIS_REPORTS_SHARED_H

#include "http/exchange.h"

/* The report id of the path, or 0 after answering 400. */
long path_report_id(struct exchange *ex);

/* Checks without filing: looks up the category (by code) and the
 * municipality holding the point (REPORT_CREATE_SQL with no fields seen);
 * cb gets the one row (enum report_create_col). */
void report_create_check(struct exchange *ex, const char *category, double lat, double lon,
                         exchange_result_cb cb);

/* Where the point of a REPORT_CREATE_SQL row lies when that is outside the
 * served municipality ("not in any municipality", "in <name>"), in the
 * request's pool; NULL when inside. */
const char *report_point_outside(struct exchange *ex, PGresult *res);

/* The parameters of REPORT_CREATE_SQL (enum report_create_param) that every
 * way of filing shares, in the request's pool: the category code, the
 * served municipality, the point, the caller, and the digest of a new
 * secret, written to secret (size bytes). The others are NULL, for the
 * caller to fill (REPORT_CREATE_P_FIELDS_SEEN among them: NULL only checks). */
const char **report_create_args(struct exchange *ex, const char *category, double lat,
                                double lon, char *secret, size_t size);

#endif
