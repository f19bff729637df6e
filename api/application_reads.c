/* Reading applications for e-services: one application (its applicant, and
 * once submitted staff of its department and admins; anyone else gets the
 * 404 of an application that does not exist), the caller's own, and the
 * queue of the caller's departments (admins: every department), newest
 * first. */
#include "services/applications_sql.h"
#include "api/api.h"
#include "api/json_page.h"
#include "http/identity.h"
#include "http/respond.h"

#include <stdint.h>
#include <string.h>

_Static_assert((int)APPLICATION_LIST_ITEMS == (int)JSON_PAGE_ITEMS &&
                   (int)APPLICATION_LIST_MORE == (int)JSON_PAGE_MORE &&
                   (int)APPLICATION_LIST_LAST_ID == (int)JSON_PAGE_LAST_ID,
               "the application lists are json_pages");

/* ---- GET /api/v1/applications/{id} ---- */

static void get_done(struct exchange *ex, PGresult *res)
{
    respond_private(ex->req);
    respond_column_or_missing(ex->req, res, CT_JSON, APPLICATION_GET_JSON,
                              "there is no application %s", ex->path_params[0]);
}

void api_applications_get(struct exchange *ex)
{
    long id;
    if (respond_bad_path_id(ex->req, &ex->query, ex->path_params[0], "application", &id))
        return;
    const char *args[4] = {exchange_printf(ex, "%ld", id)};
    identity_viewer_args(ex, args + 1);
    exchange_query_prepared(ex, APPLICATION_GET_SQL, 4, args, get_done);
}

/* ---- GET /api/v1/me/applications ---- */

void api_me_applications(struct exchange *ex)
{
    static const char *const allowed[] = {"limit", "after", NULL};
    long limit, after;
    params_allow_only(&ex->query, allowed);
    struct json_page *p =
        json_page_new(ex, "/api/v1/me/applications", "applications", &limit, &after);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    ex->handler_data = p;
    const char *args[] = {exchange_printf(ex, "%ld", ex->who.user_id),
                          exchange_printf(ex, "%ld", after), exchange_printf(ex, "%ld", limit)};
    exchange_query_prepared(ex, APPLICATION_MINE_SQL, 3, args, json_page_done);
}

/* ---- GET /api/v1/applications: the departments' queue ---- */

/* ?assignee=me (the caller) or a user id: the applications assigned to
 * them; NULL when not given (an error is recorded when malformed). */
static const char *assignee_param(struct exchange *ex)
{
    const char *v = params_get(&ex->query, "assignee");
    if (v && !strcmp(v, "me"))
        return exchange_printf(ex, "%ld", ex->who.user_id);
    long id;
    if (params_long(&ex->query, "assignee", 1, INT64_MAX, 0, &id) == 1)
        return exchange_printf(ex, "%ld", id);
    return NULL;
}

void api_applications_list(struct exchange *ex)
{
    static const char *const allowed[] = {"status", "service", "assignee", "limit", "after",
                                          NULL};
    static const char *const statuses[] = {"submitted", "in_progress", "info_requested",
                                           "approved",  "rejected",    NULL};
    long limit, after, service;
    const char *status = NULL;
    params_allow_only(&ex->query, allowed);
    struct json_page *p = json_page_new(ex, "/api/v1/applications", "applications", &limit,
                                        &after);
    params_choice(&ex->query, "status", statuses, 0, &status);
    int has_service = params_long(&ex->query, "service", 1, INT64_MAX, 0, &service) == 1;
    const char *assignee = assignee_param(ex);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *service_text = has_service ? exchange_printf(ex, "%ld", service) : NULL;
    geojson_page_keep(ex, p->keep, "assignee", params_get(&ex->query, "assignee"));
    geojson_page_keep(ex, p->keep, "status", status);
    geojson_page_keep(ex, p->keep, "service", service_text);
    ex->handler_data = p;
    const char *args[APPLICATION_QUEUE_NPARAMS] = {
        [APPLICATION_QUEUE_P_STATUS] = status,
        [APPLICATION_QUEUE_P_SERVICE] = service_text,
        [APPLICATION_QUEUE_P_AFTER] = exchange_printf(ex, "%ld", after),
        [APPLICATION_QUEUE_P_LIMIT] = exchange_printf(ex, "%ld", limit),
        [APPLICATION_QUEUE_P_ASSIGNEE] = assignee,
    };
    const char *viewer[3];
    identity_viewer_args(ex, viewer);
    args[APPLICATION_QUEUE_P_ADMIN] = viewer[1];
    args[APPLICATION_QUEUE_P_DEPARTMENTS] = viewer[2];
    exchange_query_prepared(ex, APPLICATION_QUEUE_SQL, APPLICATION_QUEUE_NPARAMS, args,
                            json_page_done);
}
