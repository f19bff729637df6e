/* Who handles a report: staff of its department (or admins) move it to
 * another department with a reason (POST /api/v1/reports/{id}/reassign)
 * or give it to one of the department's staff (POST .../assign). Each is
 * one statement with its history event and audit row
 * (gis/report_assignment_sql.h); the fan-out then tells the new
 * department's staff or the new assignee. */
#include "gis/report_assignment_sql.h"
#include "api/actor.h"
#include "api/api.h"
#include "api/report_access.h"
#include "api/reports_shared.h"
#include "http/body.h"
#include "http/identity.h"
#include "http/respond.h"

#include <limits.h>
#include <stdlib.h>

#define REASON_MAX 5000

struct assignment {
    struct fields f;
    long id;
    const char *department, *reason; /* reassign */
    const char *assignee;            /* assign: user id as text|NULL */
};

/* Answers for a report the caller may not act on: 404 when it does not
 * exist (or is private: it exists only for its parties), else 403.
 * Returns 1 when it answered. */
static int refused(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return 1;
    if (PQgetvalue(res, 0, REPORT_ASSIGNMENT_ALLOWED)[0] == 't')
        return 0;
    if (PQgetvalue(res, 0, REPORT_ASSIGNMENT_FOUND)[0] != 't' ||
        PQgetvalue(res, 0, REPORT_ASSIGNMENT_PRIVATE)[0] == 't') {
        report_not_found(ex);
        return 1;
    }
    respond_problem(ex->req, 403, "/problems/forbidden", "Forbidden", NULL,
                    "only staff of the report's department (%s) and admins may do this",
                    PQgetvalue(res, 0, REPORT_ASSIGNMENT_DEPARTMENT));
    return 1;
}

/* The caller's admin flag and departments (VIEWER $2, $3) into out[0..1]. */
static void viewer_rights(struct exchange *ex, const char *out[2])
{
    const char *viewer[3];
    identity_viewer_args(ex, viewer);
    out[0] = viewer[1];
    out[1] = viewer[2];
}

/* The report id of the path and the body's members among allowed (no query
 * parameter is taken); NULL after answering 4xx. */
static struct assignment *assignment_parse(struct exchange *ex, const char *const *allowed)
{
    params_allow_only(&ex->query, (const char *const[]){NULL});
    long id = path_report_id(ex);
    if (!id)
        return NULL;
    struct assignment *a = BODY_PARSE_RECORD(ex, struct assignment, allowed);
    if (a)
        a->id = id;
    return a;
}

/* ---- POST /api/v1/reports/{id}/reassign {"department", "reason"} ---- */

static void reassign_done(struct exchange *ex, PGresult *res)
{
    if (refused(ex, res))
        return;
    struct assignment *a = ex->handler_data;
    const char *from = PQgetvalue(res, 0, REPORT_ASSIGNMENT_DEPARTMENT);
    if (PQgetvalue(res, 0, REPORT_REASSIGN_DEPARTMENT_FOUND)[0] != 't')
        field_error_append(&a->f.errors, "department", "the code of a department",
                           a->department);
    else if (!strcmp(from, a->department))
        field_error_append(&a->f.errors, "department",
                           "another department than the report's own", a->department);
    if (fields_reject(ex, &a->f))
        return;
    if (PQgetisnull(res, 0, REPORT_REASSIGN_HISTORY_ID)) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "report %ld changed while it was reassigned; read it again and retry",
                        a->id);
        return;
    }
    respond_json(ex->req, 200,
                 json_pack("{s:I,s:s,s:s,s:I,s:s}", "id", (json_int_t)a->id, "from", from,
                           "department", a->department, "history_id",
                           (json_int_t)atoll(PQgetvalue(res, 0, REPORT_REASSIGN_HISTORY_ID)),
                           "at", PQgetvalue(res, 0, REPORT_REASSIGN_AT)));
}

void api_reports_reassign(struct exchange *ex)
{
    static const char *const allowed[] = {"department", "reason", NULL};
    struct assignment *a = assignment_parse(ex, allowed);
    if (!a)
        return;
    field_string(&a->f, "department", 2, 40, 1, &a->department);
    field_string(&a->f, "reason", 1, REASON_MAX, 1, &a->reason);
    if (fields_reject(ex, &a->f))
        return;
    const char *args[REPORT_REASSIGN_NPARAMS] = {
        [REPORT_REASSIGN_P_REPORT_ID] = exchange_printf(ex, "%ld", a->id),
        [REPORT_REASSIGN_P_DEPARTMENT] = a->department,
        [REPORT_REASSIGN_P_REASON] = a->reason,
        [REPORT_REASSIGN_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [REPORT_REASSIGN_P_ACTOR_ROLE] = ex->who.role,
    };
    viewer_rights(ex, args + REPORT_REASSIGN_P_VIEWER_ADMIN);
    actor_args(ex, args + REPORT_REASSIGN_P_ACTOR);
    exchange_query(ex, REPORT_REASSIGN_SQL, REPORT_REASSIGN_NPARAMS, args, reassign_done);
}

/* ---- POST /api/v1/reports/{id}/assign {"assignee": user id | null} ---- */

static void assign_done(struct exchange *ex, PGresult *res)
{
    if (refused(ex, res))
        return;
    struct assignment *a = ex->handler_data;
    if (PQgetvalue(res, 0, REPORT_ASSIGN_ASSIGNEE_OK)[0] != 't') {
        field_error_append(&a->f.errors, "assignee",
                           exchange_printf(ex, "the user id of staff of department %s, or null",
                                           PQgetvalue(res, 0, REPORT_ASSIGNMENT_DEPARTMENT)),
                           a->assignee);
        fields_reject(ex, &a->f);
        return;
    }
    int unchanged = PQgetvalue(res, 0, REPORT_ASSIGN_UNCHANGED)[0] == 't';
    if (!unchanged && PQgetisnull(res, 0, REPORT_ASSIGN_HISTORY_ID)) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "report %ld changed while it was assigned; read it again and retry",
                        a->id);
        return;
    }
    json_t *body = json_pack("{s:I,s:o,s:b}", "id", (json_int_t)a->id, "assignee",
                             a->assignee ? json_pack("{s:I,s:s}", "id",
                                                     (json_int_t)atoll(a->assignee), "name",
                                                     PQgetvalue(res, 0, REPORT_ASSIGN_NAME))
                                         : json_null(),
                             "changed", !unchanged);
    if (!unchanged) {
        json_object_set_new(
            body, "history_id",
            json_integer(atoll(PQgetvalue(res, 0, REPORT_ASSIGN_HISTORY_ID))));
        json_object_set_new(body, "at", json_string(PQgetvalue(res, 0, REPORT_ASSIGN_AT)));
    }
    respond_json(ex->req, 200, body);
}

void api_reports_assign(struct exchange *ex)
{
    static const char *const allowed[] = {"assignee", NULL};
    struct assignment *a = assignment_parse(ex, allowed);
    if (!a)
        return;
    json_t *who = json_object_get(a->f.obj, "assignee");
    long long user;
    if (!who)
        field_error_append(&a->f.errors, "assignee", "a user id, or null to unassign",
                           "nothing (the field is required)");
    else if (!json_is_null(who) && field_integer(&a->f, "assignee", 1, LLONG_MAX, 1, &user) == 1)
        a->assignee = exchange_printf(ex, "%lld", user);
    if (fields_reject(ex, &a->f))
        return;
    const char *args[REPORT_ASSIGN_NPARAMS] = {
        [REPORT_ASSIGN_P_REPORT_ID] = exchange_printf(ex, "%ld", a->id),
        [REPORT_ASSIGN_P_ASSIGNEE] = a->assignee,
        [REPORT_ASSIGN_P_ACTOR_ROLE] = ex->who.role,
        [REPORT_ASSIGN_P_MUNICIPALITY] = ex->app->cfg.municipality,
    };
    viewer_rights(ex, args + REPORT_ASSIGN_P_VIEWER_ADMIN);
    actor_args(ex, args + REPORT_ASSIGN_P_ACTOR);
    exchange_query(ex, REPORT_ASSIGN_SQL, REPORT_ASSIGN_NPARAMS, args, assign_done);
}
