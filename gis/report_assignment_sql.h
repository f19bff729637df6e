/* SQL moving a report between departments and people (issue 18): staff
 * reassign it to another department with a reason, or assign it to one of
 * its department's staff. Each write is one statement with its history
 * event (report_history.event 'reassigned' or 'assigned', which the fan-out
 * turns into inbox rows: gis/notify_fanout_sql.c) and its audit_log row. The
 * caller's right to act is decided in the statement, on the report as it
 * is then. */
#ifndef POLIS_REPORT_ASSIGNMENT_SQL_H
#define POLIS_REPORT_ASSIGNMENT_SQL_H

#include "common/audit_actor.h"

/* The first columns of both answers (one row). */
enum report_assignment_col {
    REPORT_ASSIGNMENT_FOUND,      /* boolean: the report exists */
    REPORT_ASSIGNMENT_PRIVATE,    /* boolean: its category is private */
    REPORT_ASSIGNMENT_ALLOWED,    /* boolean: the caller acts for its department */
    REPORT_ASSIGNMENT_DEPARTMENT, /* its department's code (before the change) */
    REPORT_ASSIGNMENT_NCOLS
};

/* $1 report id, $2 new department code, $3 reason, $4 VIEWER admin,
 * $5 VIEWER departments, $6 served municipality code, $7..$10 the actor
 * (api/actor.h), $11 actor role. The report keeps its status and due_at;
 * its assignee is cleared. */
extern const char REPORT_REASSIGN_SQL[];
enum report_reassign_param {
    REPORT_REASSIGN_P_REPORT_ID,
    REPORT_REASSIGN_P_DEPARTMENT,
    REPORT_REASSIGN_P_REASON,
    REPORT_REASSIGN_P_VIEWER_ADMIN,
    REPORT_REASSIGN_P_VIEWER_DEPARTMENTS,
    REPORT_REASSIGN_P_MUNICIPALITY,
    REPORT_REASSIGN_P_ACTOR,
    REPORT_REASSIGN_P_ACTOR_ROLE = REPORT_REASSIGN_P_ACTOR + AUDIT_ACTOR_NPARAMS,
    REPORT_REASSIGN_NPARAMS
};
enum report_reassign_col {
    REPORT_REASSIGN_DEPARTMENT_FOUND = REPORT_ASSIGNMENT_NCOLS, /* boolean */
    REPORT_REASSIGN_HISTORY_ID, /* the event|NULL: nothing written (same department,
                                 * or the report changed meanwhile) */
    REPORT_REASSIGN_AT,
};

/* $1 report id, $2 assignee user id|NULL (unassign), $3 actor role, $4 VIEWER
 * admin, $5 VIEWER departments, $6 served municipality code, $7..$10 the
 * actor. */
extern const char REPORT_ASSIGN_SQL[];
enum report_assign_param {
    REPORT_ASSIGN_P_REPORT_ID,
    REPORT_ASSIGN_P_ASSIGNEE,
    REPORT_ASSIGN_P_ACTOR_ROLE,
    REPORT_ASSIGN_P_VIEWER_ADMIN,
    REPORT_ASSIGN_P_VIEWER_DEPARTMENTS,
    REPORT_ASSIGN_P_MUNICIPALITY,
    REPORT_ASSIGN_P_ACTOR,
    REPORT_ASSIGN_NPARAMS = REPORT_ASSIGN_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum report_assign_col {
    REPORT_ASSIGN_ASSIGNEE_OK = REPORT_ASSIGNMENT_NCOLS, /* boolean: staff of the department */
    REPORT_ASSIGN_UNCHANGED,   /* boolean: it was already so */
    REPORT_ASSIGN_HISTORY_ID,  /* the event|NULL */
    REPORT_ASSIGN_AT,
    REPORT_ASSIGN_NAME,        /* the assignee's name|NULL */
};

#endif
