/* Moving a report through the workflow (gis/report_workflow.h): staff of
 * its department and admins make the staff moves, its reporter may reopen
 * it; the write happens only if the status is still the one the decision
 * was made on. */
#include "gis/report_workflow.h"
#include "gis/reports_sql.h"
#include "api/api.h"
#include "http/body.h"
#include "http/identity.h"
#include "api/report_access.h"
#include "api/reports_shared.h"
#include "http/respond.h"

#include <stdlib.h>
#include <limits.h>
#include <string.h>

#define COMMENT_MAX 5000

/* 1 when the caller acts as staff of department_id (or admin). */
static int acts_for_department(struct exchange *ex, long department_id)
{
    return identity_staff_scope(&ex->who) && identity_in_department(&ex->who, department_id);
}

/* ---- POST /api/v1/reports/{id}/transitions ---- */

struct transition {
    struct fields f;
    long id;
    const char *to, *comment, *note, *department;
    long duplicate_of;
    const char *from;
};

static void transition_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct transition *t = ex->handler_data;
    if (PQntuples(res) == 0) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "report %ld changed while this transition was made (it was %s); "
                        "read it again and retry", t->id, t->from);
        return;
    }
    respond_json(ex->req, 200,
                 json_pack("{s:I,s:s,s:s,s:s,s:I,s:s}", "id", (json_int_t)t->id, "from",
                           t->from, "status", PQgetvalue(res, 0, REPORT_TRANSITION_STATUS),
                           "department", PQgetvalue(res, 0, REPORT_TRANSITION_DEPARTMENT),
                           "history_id",
                           (json_int_t)atoll(PQgetvalue(res, 0, REPORT_TRANSITION_HISTORY_ID)),
                           "at", PQgetvalue(res, 0, REPORT_TRANSITION_AT)));
}

/* Decides, with the report as it is now, whether this caller may make this
 * move; the write then only happens if the status is still the same. */
static void transition_loaded(struct exchange *ex, PGresult *res)
{
    if (report_failure_or_missing(ex, res))
        return;
    struct transition *t = ex->handler_data;
    t->from = exchange_strdup(ex, PQgetvalue(res, 0, REPORT_TRANSITION_LOAD_STATUS));
    long department = atol(PQgetvalue(res, 0, REPORT_TRANSITION_LOAD_DEPARTMENT_ID));
    int is_reporter = !PQgetisnull(res, 0, REPORT_TRANSITION_LOAD_REPORTER_ID) &&
                      atol(PQgetvalue(res, 0, REPORT_TRANSITION_LOAD_REPORTER_ID)) ==
                          ex->who.user_id;
    int is_private = PQgetvalue(res, 0, REPORT_TRANSITION_LOAD_PRIVATE)[0] == 't';
    int reopenable = PQgetvalue(res, 0, REPORT_TRANSITION_LOAD_REOPENABLE)[0] == 't';
    int staff = acts_for_department(ex, department);

    if (!staff) {
        if (!is_reporter) {
            /* a private report exists only for its parties: to anyone else,
             * staff of another department and scoped-down keys included, it
             * is the same 404 as a report that does not exist */
            if (is_private) {
                report_not_found(ex);
                return;
            }
            respond_problem(ex->req, 403, "/problems/forbidden", "Forbidden", NULL,
                            "only staff of the report's department, admins and (to reopen it) "
                            "its reporter may change report %ld", t->id);
            return;
        }
        if (!workflow_reporter_may(t->from, t->to) || !reopenable) {
            respond_problem(ex->req, 409, "/problems/illegal-transition", "Illegal transition",
                            NULL,
                            "the reporter may only reopen a resolved report within %d days of "
                            "its resolution; report %ld is %s, asked for %s",
                            REOPEN_DAYS, t->id, t->from, t->to);
            return;
        }
        if (t->note || t->department || t->duplicate_of) {
            respond_problem(ex->req, 403, "/problems/forbidden", "Forbidden", NULL,
                            "internal_note, department and duplicate_of are for staff");
            return;
        }
    } else if (strcmp(t->from, t->to) ? !workflow_staff_may(t->from, t->to)
                                      : !(t->department || t->comment || t->note)) {
        respond_problem(ex->req, 409, "/problems/illegal-transition", "Illegal transition", NULL,
                        "report %ld cannot go from %s to %s", t->id, t->from, t->to);
        return;
    }
    if (t->department && PQgetisnull(res, 0, REPORT_TRANSITION_LOAD_NEW_DEPARTMENT)) {
        field_error_append(&t->f.errors, "department", "the code of a department",
                           t->department);
    }
    if (t->duplicate_of &&
        (PQgetvalue(res, 0, REPORT_TRANSITION_LOAD_DUPLICATE_FOUND)[0] != 't' ||
         t->duplicate_of == t->id))
        field_error_append(&t->f.errors, "duplicate_of", "the id of another existing report",
                           exchange_printf(ex, "%ld", t->duplicate_of));
    if (fields_reject(ex, &t->f))
        return;
    const char *args[REPORT_TRANSITION_NPARAMS] = {
        [REPORT_TRANSITION_P_REPORT_ID] = exchange_printf(ex, "%ld", t->id),
        [REPORT_TRANSITION_P_FROM] = t->from,
        [REPORT_TRANSITION_P_TO] = t->to,
        [REPORT_TRANSITION_P_DEPARTMENT_ID] =
            t->department
                ? exchange_strdup(ex, PQgetvalue(res, 0, REPORT_TRANSITION_LOAD_NEW_DEPARTMENT))
                : NULL,
        [REPORT_TRANSITION_P_DUPLICATE_OF] =
            t->duplicate_of ? exchange_printf(ex, "%ld", t->duplicate_of) : NULL,
        [REPORT_TRANSITION_P_ACTOR_ID] = exchange_printf(ex, "%ld", ex->who.user_id),
        [REPORT_TRANSITION_P_ACTOR_ROLE] = ex->who.role,
        [REPORT_TRANSITION_P_COMMENT] = t->comment,
        [REPORT_TRANSITION_P_NOTE] = t->note,
    };
    exchange_query(ex, REPORT_TRANSITION_SQL, REPORT_TRANSITION_NPARAMS, args, transition_done);
}

void api_reports_transition(struct exchange *ex)
{
    static const char *const allowed[] = {"to",         "public_comment", "internal_note",
                                          "department", "duplicate_of",   NULL};
    params_allow_only(&ex->query, (const char *const[]){NULL});
    long id = path_report_id(ex);
    if (!id || respond_params_problem(ex->req, &ex->query))
        return;
    struct transition *t = BODY_PARSE_RECORD(ex, struct transition, allowed);
    if (!t)
        return;
    t->id = id;
    struct fields *f = &t->f;
    const char *to = NULL;
    if (field_string(f, "to", 1, 20, 1, &to) == 1) {
        int known = 0;
        for (int i = 0; report_statuses[i]; i++)
            known |= !strcmp(report_statuses[i], to);
        if (!known)
            field_error_append(&f->errors, "to",
                               "one of submitted, acknowledged, in_progress, resolved, "
                               "rejected, duplicate, reopened, closed",
                               to);
    }
    t->to = to;
    field_string(f, "public_comment", 1, COMMENT_MAX, 0, &t->comment);
    field_string(f, "internal_note", 1, COMMENT_MAX, 0, &t->note);
    field_string(f, "department", 1, 40, 0, &t->department);
    long long dup;
    if (field_integer(f, "duplicate_of", 1, LONG_MAX, 0, &dup) == 1)
        t->duplicate_of = (long)dup;
    if (to && !strcmp(to, "duplicate") && !t->duplicate_of && !f->errors)
        field_error_append(&f->errors, "duplicate_of",
                           "the id of the report this one duplicates (required with "
                           "\"to\": \"duplicate\")",
                           "nothing");
    if (to && strcmp(to, "duplicate") && t->duplicate_of)
        field_error_append(&f->errors, "duplicate_of", "nothing unless \"to\" is \"duplicate\"",
                           exchange_printf(ex, "%ld", t->duplicate_of));
    if (fields_reject(ex, f))
        return;
    const char *args[REPORT_TRANSITION_LOAD_NPARAMS] = {
        [REPORT_TRANSITION_LOAD_P_REPORT_ID] = exchange_printf(ex, "%ld", id),
        [REPORT_TRANSITION_LOAD_P_DEPARTMENT] = t->department,
        [REPORT_TRANSITION_LOAD_P_DUPLICATE_OF] =
            t->duplicate_of ? exchange_printf(ex, "%ld", t->duplicate_of) : NULL,
        [REPORT_TRANSITION_LOAD_P_MUNICIPALITY] = ex->app->cfg.municipality,
    };
    exchange_query(ex, REPORT_TRANSITION_LOAD_SQL, REPORT_TRANSITION_LOAD_NPARAMS, args,
                   transition_loaded);
}
