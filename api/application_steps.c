/* The steps of an application that issue no document, each one statement
 * (services/application_steps_sql.h, APPLICATION_STEP_SQL) that checks who
 * acts and the transition, and writes the status, the history row (whose
 * trigger tells the applicant: sql/046) and the audit row:
 *   POST /api/v1/applications/{id}/assign       staff: submitted -> in_progress
 *   POST /api/v1/applications/{id}/request-info staff: -> info_requested
 *   POST /api/v1/applications/{id}/respond      the applicant: info_requested -> in_progress
 *   POST /api/v1/applications/{id}/reject       staff: -> rejected
 * An application the caller may not see is 404 (as if it did not exist);
 * one they see but may not act on this way 403; a status the step does not
 * start from 409, naming both. */
#include "services/application_steps_sql.h"
#include "services/applications_sql.h"
#include "api/actor.h"
#include "api/application_steps.h"
#include "http/body.h"
#include "http/identity.h"
#include "http/respond.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define COMMENT_MAX 5000
#define REQUESTED_MAX 20 /* document codes one request for more may name */

/* What a step is: its event, the statuses it starts from (a text[] literal
 * and as said to a person), the status after it (NULL: see the SQL), and
 * whether staff take it. */
struct step_kind {
    const char *event, *from, *from_words, *to;
    int by_staff;
};

static const struct step_kind ASSIGN = {"assigned", "{submitted,in_progress,info_requested}",
                                        "submitted, in_progress or info_requested", NULL, 1};
static const struct step_kind REQUEST_INFO = {"info_requested", "{submitted,in_progress}",
                                              "submitted or in_progress", "info_requested", 1};
static const struct step_kind RESPOND = {"info_given", "{info_requested}", "info_requested",
                                         "in_progress", 0};
static const struct step_kind REJECT = {"rejected", "{submitted,in_progress,info_requested}",
                                        "submitted, in_progress or info_requested", "rejected",
                                        1};

struct step {
    struct fields f;
    long id;
    const struct step_kind *kind;
    const char *comment, *assignee, *requested, *version;
};

static void answered(struct exchange *ex, PGresult *res)
{
    respond_private(ex->req);
    respond_column_or_missing(ex->req, res, CT_JSON, APPLICATION_GET_JSON,
                              "there is no application %s", ex->path_params[0]);
}

void application_steps_answer(struct exchange *ex, long id, exchange_result_cb done)
{
    const char *args[4] = {exchange_printf(ex, "%ld", id)};
    identity_viewer_args(ex, args + 1);
    exchange_query_prepared(ex, APPLICATION_GET_SQL, 4, args, done ? done : answered);
}

static void step_done(struct exchange *ex, PGresult *res)
{
    struct step *s = ex->handler_data;
    if (respond_db_failure(ex->req, res))
        return;
    if (PQgetvalue(res, 0, APPLICATION_STEP_FOUND)[0] != 't') {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "there is no application %ld", s->id);
        return;
    }
    if (PQgetvalue(res, 0, APPLICATION_STEP_ALLOWED)[0] != 't') {
        respond_problem(ex->req, 403, "/problems/forbidden", "Forbidden", NULL,
                        s->kind->by_staff
                            ? "only staff of the application's department (%s) and admins "
                              "may do this"
                            : "only the applicant may answer a request for more (the "
                              "application is of department %s)",
                        PQgetvalue(res, 0, APPLICATION_STEP_DEPARTMENT));
        return;
    }
    const char *status = PQgetvalue(res, 0, APPLICATION_STEP_STATUS);
    if (!strstr(s->kind->from, status)) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "application %ld is %s: expected it %s for this step", s->id, status,
                        s->kind->from_words);
        return;
    }
    if (PQgetvalue(res, 0, APPLICATION_STEP_ASSIGNEE_OK)[0] != 't') {
        field_error_append(&s->f.errors, "assignee",
                           exchange_printf(ex, "the user id of staff of department %s, or null",
                                           PQgetvalue(res, 0, APPLICATION_STEP_DEPARTMENT)),
                           s->assignee);
        fields_reject(ex, &s->f);
        return;
    }
    if (PQgetisnull(res, 0, APPLICATION_STEP_HISTORY_ID)) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "application %ld changed meanwhile (version %s now, expected %s): read "
                        "it again", s->id, PQgetvalue(res, 0, APPLICATION_STEP_VERSION),
                        s->version ? s->version : "the one read");
        return;
    }
    application_steps_answer(ex, s->id, NULL);
}

/* Parses the path and the members common to every step (comment, version)
 * plus those in allowed; NULL after answering 4xx. */
static struct step *step_parse(struct exchange *ex, const struct step_kind *kind,
                               const char *const *allowed, const char *comment, int required)
{
    long id;
    if (params_path_id(&ex->query, "id", ex->path_params[0], "application", &id),
        params_allow_only(&ex->query, (const char *const[]){NULL}),
        respond_params_problem(ex->req, &ex->query))
        return NULL;
    struct step *s = BODY_PARSE_RECORD(ex, struct step, allowed);
    if (!s)
        return NULL;
    s->id = id;
    s->kind = kind;
    long long version;
    if (field_integer(&s->f, "version", 1, INT_MAX, 0, &version) == 1)
        s->version = exchange_printf(ex, "%lld", version);
    field_string(&s->f, comment, 1, COMMENT_MAX, required, &s->comment);
    return s;
}

static void step_run(struct exchange *ex, struct step *s)
{
    if (fields_reject(ex, &s->f))
        return;
    const char *args[APPLICATION_STEP_NPARAMS] = {
        [APPLICATION_STEP_P_ID] = exchange_printf(ex, "%ld", s->id),
        [APPLICATION_STEP_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [APPLICATION_STEP_P_BY_STAFF] = s->kind->by_staff ? "true" : "false",
        [APPLICATION_STEP_P_ROLE] = ex->who.role,
        [APPLICATION_STEP_P_EVENT] = s->kind->event,
        [APPLICATION_STEP_P_FROM] = s->kind->from,
        [APPLICATION_STEP_P_TO] = s->kind->to,
        [APPLICATION_STEP_P_COMMENT] = s->comment,
        [APPLICATION_STEP_P_ASSIGNEE] = s->assignee,
        [APPLICATION_STEP_P_REQUESTED] = s->requested,
        [APPLICATION_STEP_P_VERSION] = s->version,
    };
    identity_viewer_args(ex, args + APPLICATION_STEP_P_VIEWER_USER);
    actor_args(ex, args + APPLICATION_STEP_P_ACTOR);
    ex->handler_data = s;
    exchange_query_prepared(ex, APPLICATION_STEP_SQL, APPLICATION_STEP_NPARAMS, args, step_done);
}

/* ---- POST .../assign {"assignee": user id|null, "comment"?, "version"?} ---- */

void api_applications_assign(struct exchange *ex)
{
    static const char *const allowed[] = {"assignee", "comment", "version", NULL};
    struct step *s = step_parse(ex, &ASSIGN, allowed, "comment", 0);
    if (!s)
        return;
    json_t *who = json_object_get(s->f.obj, "assignee");
    long long user;
    if (!who)
        field_error_append(&s->f.errors, "assignee", "a user id, or null to unassign",
                           "nothing (the field is required)");
    else if (!json_is_null(who) && field_integer(&s->f, "assignee", 1, LLONG_MAX, 1, &user) == 1)
        s->assignee = exchange_printf(ex, "%lld", user);
    step_run(ex, s);
}

/* ---- POST .../request-info {"comment", "documents"?: [codes], "version"?} ---- */

void api_applications_request_info(struct exchange *ex)
{
    static const char *const allowed[] = {"comment", "documents", "version", NULL};
    struct step *s = step_parse(ex, &REQUEST_INFO, allowed, "comment", 1);
    if (!s)
        return;
    const char **codes = h2o_mem_alloc_pool(&ex->req->pool, REQUESTED_MAX * sizeof *codes);
    size_t n = 0;
    if (field_string_array(&s->f, "documents", 1, REQUESTED_MAX, 40, 0, codes, &n) == 1) {
        json_t *list = json_object_get(s->f.obj, "documents");
        char *text = json_dumps(list, JSON_COMPACT);
        s->requested = text ? exchange_strdup(ex, text) : NULL;
        free(text);
    }
    step_run(ex, s);
}

/* ---- POST .../respond {"comment"?, "version"?}: the applicant ---- */

void api_applications_respond(struct exchange *ex)
{
    static const char *const allowed[] = {"comment", "version", NULL};
    struct step *s = step_parse(ex, &RESPOND, allowed, "comment", 0);
    if (s)
        step_run(ex, s);
}

/* ---- POST .../reject {"reason", "version"?} ---- */

void api_applications_reject(struct exchange *ex)
{
    static const char *const allowed[] = {"reason", "version", NULL};
    struct step *s = step_parse(ex, &REJECT, allowed, "reason", 1);
    if (s)
        step_run(ex, s);
}
