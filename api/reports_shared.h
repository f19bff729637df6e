/* What the report handler files (reports.c, reports_list.c,
 * report_support.c, report_transitions.c) share; defined in reports.c. */
#ifndef POLIS_REPORTS_SHARED_H
#define POLIS_REPORTS_SHARED_H

#include "http/exchange.h"

/* Answers 400 with the errors recorded on ex->query and returns 1; 0 when
 * there are none. */
int reject_bad_params(struct exchange *ex);

/* The report id of the path, or 0 after answering 400. */
long path_report_id(struct exchange *ex);

#endif
