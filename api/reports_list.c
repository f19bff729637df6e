/* Pages of citizen reports as GeoJSON: everyone's (filtered, searched),
 * the caller's own, and open ones near a point. Personal data is shown to
 * the reporter, staff of the report's department and admins only; the SQL
 * decides per row (gis/reports_sql.h). */
#include "gis/report_workflow.h"
#include "gis/reports_sql.h"
#include "gis/rfc3339.h"
#include "gis/translit.h"
#include "api/api.h"
#include "api/geojson_page.h"
#include "http/identity.h"
#include "api/reports_shared.h"
#include "http/respond.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NEARBY_RADIUS_DEFAULT_M 50
#define NEARBY_RADIUS_MAX_M 500
#define NEARBY_LIMIT 20
#define SEARCH_MAX 200

/* ---- GET /api/v1/reports ---- */

static const char *time_param(struct exchange *ex, const char *name)
{
    const char *s = params_get(&ex->query, name);
    if (s && !rfc3339_valid(s)) {
        params_error(&ex->query, name, "an RFC 3339 date-time such as 2024-05-01T00:00:00Z", s);
        return NULL;
    }
    return s;
}

/* 1 when s has a letter or digit (any non-ASCII byte counts): the search
 * folds punctuation away, and an empty query would match every report. */
static int has_word_char(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80 || isalnum((unsigned char)*s))
            return 1;
    return 0;
}

void api_reports_list(struct exchange *ex)
{
    static const char *const allowed[] = {"bbox",  "status", "category", "department",
                                          "since", "until",  "q",        "limit",
                                          "after", "assignee", "overdue", NULL};
    static const char *const assignees[] = {"me", NULL};
    static const char *const booleans[] = {"true", "false", NULL};
    const struct polis_config *cfg = &ex->app->cfg;
    struct geojson_page *page = geojson_page_new(ex, "/api/v1/reports");
    long limit = cfg->page_default;
    double bbox[4];
    long after = 0;
    const char *status = NULL, *category, *department, *since, *until, *text;
    const char *assignee = NULL, *overdue = NULL;

    params_allow_only(&ex->query, allowed);
    int has_bbox = params_bbox(&ex->query, "bbox", cfg->bbox_max_km2, bbox) == 1;
    params_choice(&ex->query, "status", report_statuses, 0, &status);
    category = params_get(&ex->query, "category");
    department = params_get(&ex->query, "department");
    if (category && strlen(category) > 40)
        params_error(&ex->query, "category", "a category code of at most 40 bytes", category);
    if (department && strlen(department) > 40)
        params_error(&ex->query, "department", "a department code of at most 40 bytes",
                     department);
    since = time_param(ex, "since");
    until = time_param(ex, "until");
    text = params_get(&ex->query, "q");
    if (text && (strlen(text) > SEARCH_MAX || !utf8_valid(text) || !has_word_char(text)))
        params_error(&ex->query, "q",
                     "a UTF-8 text of at most 200 bytes with a letter or digit, to find in "
                     "the description or address",
                     strlen(text) > SEARCH_MAX ? "a longer text" : text);
    params_long(&ex->query, "limit", 1, cfg->page_max, 0, &limit);
    params_choice(&ex->query, "assignee", assignees, 0, &assignee);
    params_choice(&ex->query, "overdue", booleans, 0, &overdue);
    params_long(&ex->query, "after", 0, INT64_MAX, 0, &after);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    /* deadlines and assignees are the staff's business */
    if ((assignee || overdue) && identity_require_staff(ex, "filtering by assignee or overdue"))
        return;

    const char *args[REPORT_LIST_NPARAMS] = {NULL};
    identity_viewer_args(ex, args + REPORT_LIST_P_VIEWER_USER);
    if (has_bbox) {
        for (int i = 0; i < 4; i++)
            args[REPORT_LIST_P_WEST + i] = exchange_printf(ex, "%.9f", bbox[i]);
        geojson_page_keep(ex, page, "bbox",
                          exchange_printf(ex, "%.9g,%.9g,%.9g,%.9g", bbox[0], bbox[1], bbox[2],
                                          bbox[3]));
    }
    args[REPORT_LIST_P_STATUS] = status;
    args[REPORT_LIST_P_CATEGORY] = category;
    args[REPORT_LIST_P_DEPARTMENT] = department;
    args[REPORT_LIST_P_SINCE] = since;
    args[REPORT_LIST_P_UNTIL] = until;
    args[REPORT_LIST_P_AFTER] = exchange_printf(ex, "%ld", after);
    args[REPORT_LIST_P_LIMIT] = exchange_printf(ex, "%ld", limit);
    args[REPORT_LIST_P_TEXT] = text;
    args[REPORT_LIST_P_ASSIGNEE] = assignee ? exchange_printf(ex, "%ld", ex->who.user_id) : NULL;
    args[REPORT_LIST_P_OVERDUE] = overdue;
    geojson_page_keep(ex, page, "status", status);
    geojson_page_keep(ex, page, "category", category);
    geojson_page_keep(ex, page, "department", department);
    geojson_page_keep(ex, page, "since", since);
    geojson_page_keep(ex, page, "until", until);
    geojson_page_keep(ex, page, "q", text);
    geojson_page_keep(ex, page, "assignee", assignee);
    geojson_page_keep(ex, page, "overdue", overdue);
    geojson_page_keep(ex, page, "limit", args[REPORT_LIST_P_LIMIT]);
    ex->handler_data = page;
    exchange_query_prepared(ex, REPORT_LIST_SQL, REPORT_LIST_NPARAMS, args, geojson_page_done);
}

/* ---- GET /api/v1/me/reports ---- */

void api_me_reports(struct exchange *ex)
{
    static const char *const allowed[] = {"limit", "after", NULL};
    struct geojson_page *page = geojson_page_new(ex, "/api/v1/me/reports");
    long limit = ex->app->cfg.page_default, after = 0;
    params_allow_only(&ex->query, allowed);
    params_long(&ex->query, "limit", 1, ex->app->cfg.page_max, 0, &limit);
    params_long(&ex->query, "after", 0, INT64_MAX, 0, &after);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *args[REPORT_MINE_NPARAMS] = {
        [REPORT_MINE_P_USER_ID] = exchange_printf(ex, "%ld", ex->who.user_id),
        [REPORT_MINE_P_AFTER] = exchange_printf(ex, "%ld", after),
        [REPORT_MINE_P_LIMIT] = exchange_printf(ex, "%ld", limit),
    };
    geojson_page_keep(ex, page, "limit", args[REPORT_MINE_P_LIMIT]);
    ex->handler_data = page;
    exchange_query_prepared(ex, REPORT_MINE_SQL, REPORT_MINE_NPARAMS, args, geojson_page_done);
}

/* ---- GET /api/v1/reports/nearby ---- */

static void nearby_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQgetvalue(res, 0, REPORT_NEARBY_CATEGORY_EXISTS)[0] != 't') {
        params_error(&ex->query, "category", "the code of a report category",
                     params_get(&ex->query, "category"));
        respond_params_problem(ex->req, &ex->query);
        return;
    }
    const char *body = exchange_printf(ex, "{\"type\":\"FeatureCollection\",\"features\":%s}",
                                       PQgetvalue(res, 0, REPORT_NEARBY_FEATURES));
    respond_bytes(ex->req, 200, CT_GEOJSON, body, strlen(body));
}

void api_reports_nearby(struct exchange *ex)
{
    static const char *const allowed[] = {"lat", "lon", "category", "radius", NULL};
    double lat, lon;
    long radius = NEARBY_RADIUS_DEFAULT_M;
    const char *category = NULL;
    params_allow_only(&ex->query, allowed);
    params_double(&ex->query, "lat", -90, 90, 1, &lat);
    params_double(&ex->query, "lon", -180, 180, 1, &lon);
    params_long(&ex->query, "radius", 1, NEARBY_RADIUS_MAX_M, 0, &radius);
    category = params_get(&ex->query, "category");
    if (!category || !*category || strlen(category) > 40)
        params_error(&ex->query, "category", "the code of a report category",
                     category ? category : "nothing (the parameter is required)");
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *args[REPORT_NEARBY_NPARAMS] = {
        [REPORT_NEARBY_P_LAT] = exchange_printf(ex, "%.9f", lat),
        [REPORT_NEARBY_P_LON] = exchange_printf(ex, "%.9f", lon),
        [REPORT_NEARBY_P_CATEGORY] = category,
        [REPORT_NEARBY_P_RADIUS] = exchange_printf(ex, "%ld", radius),
        [REPORT_NEARBY_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [REPORT_NEARBY_P_LIMIT] = exchange_printf(ex, "%d", NEARBY_LIMIT),
    };
    identity_viewer_args(ex, args + REPORT_NEARBY_P_VIEWER_USER);
    exchange_query_prepared(ex, REPORT_NEARBY_SQL, REPORT_NEARBY_NPARAMS, args, nearby_done);
}
