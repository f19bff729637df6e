/* The life of a report: which status may follow which, and who may move it.
 *   submitted -> acknowledged -> in_progress -> resolved | rejected | duplicate
 *   resolved -> reopened (by its reporter, within REOPEN_DAYS) or closed
 *   reopened -> acknowledged | in_progress | resolved | rejected | duplicate
 * Staff of the report's department (and admins) make every move but
 * reopening a report that is not theirs; the reporter only reopens. */
#ifndef POLIS_REPORT_WORKFLOW_H
#define POLIS_REPORT_WORKFLOW_H

#define REOPEN_DAYS 30

/* NULL-terminated list of every status, for validating input. */
extern const char *const report_statuses[];

/* 1 when staff may move a report from from to to. A move to the same status
 * is not a transition (a comment or a reassignment keeps the status). */
int workflow_staff_may(const char *from, const char *to);

/* 1 when the reporter may move their report from from to to (reopen a
 * resolved report; the 30 days are checked by the caller). */
int workflow_reporter_may(const char *from, const char *to);

#endif
