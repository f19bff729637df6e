/* What a signed-in user follows, beyond their own and supported reports:
 * a category, an area (a circle of at most 5 km, or a GeoJSON Polygon of at
 * most POLIS_BBOX_MAX_KM2; optionally only one category's reports there), or
 * one report. Every event of a matching report
 * (its creation first) lands in their inbox through the trigger on
 * report_history (sql/012_subscriptions.sql); private categories only reach
 * those who may see them. Each user sees and removes only their own
 * subscriptions: another's id is 404. */
#include "gis/geojson_shape.h"
#include "gis/subscriptions_sql.h"
#include "api/api.h"
#include "http/body.h"
#include "http/identity.h"
#include "api/own_row.h"
#include "api/report_access.h"
#include "http/respond.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RADIUS_MAX_M 5000

/* ---- POST /api/v1/me/subscriptions ---- */

struct new_sub {
    struct fields f;
    const char *kind, *category, *polygon;
    double lat, lon, radius;
    long report;
    int has_point;
};

static void sub_created(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct new_sub *ns = ex->handler_data;
    json_t *errors = NULL;
    if (ns->category && PQgetvalue(res, 0, SUBSCRIPTION_CREATE_CATEGORY_FOUND)[0] != 't')
        field_error_append(&errors, "category", "the code of a report category (GET "
                           "/api/v1/categories)", ns->category);
    if (!strcmp(ns->kind, "report") &&
        PQgetvalue(res, 0, SUBSCRIPTION_CREATE_REPORT_FOUND)[0] != 't')
        field_error_append(&errors, "report", "the id of a report you can see",
                           exchange_printf(ex, "%ld", ns->report));
    if (PQgetvalue(res, 0, SUBSCRIPTION_CREATE_AREA_VALID)[0] != 't')
        field_error_append(&errors, "polygon", "a valid polygon (no self-intersections)",
                           "an invalid polygon");
    else if (!strcmp(ns->kind, "area") &&
             atof(PQgetvalue(res, 0, SUBSCRIPTION_CREATE_AREA_KM2)) > ex->app->cfg.bbox_max_km2)
        field_error_append(&errors, ns->polygon ? "polygon" : "radius_m",
                           exchange_printf(ex, "an area of at most %g km² (POLIS_BBOX_MAX_KM2)",
                                           ex->app->cfg.bbox_max_km2),
                           exchange_printf(ex, "%s km²",
                                           PQgetvalue(res, 0, SUBSCRIPTION_CREATE_AREA_KM2)));
    if (errors) {
        respond_problem(ex->req, 422, "/problems/invalid-body", "Invalid request body", errors,
                        "the subscription is not valid; see errors");
        return;
    }
    int fresh = !PQgetisnull(res, 0, SUBSCRIPTION_CREATE_NEW_ID);
    const char *id = PQgetvalue(res, 0, fresh ? SUBSCRIPTION_CREATE_NEW_ID
                                              : SUBSCRIPTION_CREATE_EXISTING_ID);
    if (!*id) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "the subscription could not be made; try again");
        return;
    }
    respond_header(ex->req, "location",
                   exchange_url(ex, exchange_printf(ex, "/api/v1/me/subscriptions/%s", id)));
    respond_json(ex->req, fresh ? 201 : 200,
                 json_pack("{s:I,s:s,s:b}", "id", (json_int_t)atoll(id), "kind", ns->kind, "new",
                           fresh));
}

void api_me_subscriptions_create(struct exchange *ex)
{
    static const char *const allowed[] = {"kind", "category", "lat",    "lon",
                                          "radius_m", "polygon", "report", NULL};
    static const char *const kinds[] = {"category", "area", "report", NULL};
    struct new_sub *ns = BODY_PARSE_RECORD(ex, struct new_sub, allowed);
    if (!ns)
        return;
    struct fields *f = &ns->f;
    if (field_string(f, "kind", 1, 20, 1, &ns->kind) == 1) {
        int known = 0;
        for (int i = 0; kinds[i]; i++)
            known |= !strcmp(kinds[i], ns->kind);
        if (!known) {
            field_error_append(&f->errors, "kind", "one of category, area, report", ns->kind);
            ns->kind = NULL;
        }
    }
    const char *kind = ns->kind ? ns->kind : "";
    int is_cat = !strcmp(kind, "category"), is_area = !strcmp(kind, "area"),
        is_rep = !strcmp(kind, "report");
    field_string(f, "category", 1, 40, is_cat, &ns->category);
    int lat = field_number(f, "lat", -90, 90, 0, &ns->lat);
    int lon = field_number(f, "lon", -180, 180, 0, &ns->lon);
    int radius = field_number(f, "radius_m", 1, RADIUS_MAX_M, 0, &ns->radius);
    json_t *poly = json_object_get(f->obj, "polygon");
    json_t *rep = json_object_get(f->obj, "report");
    if (rep && (!json_is_integer(rep) || json_integer_value(rep) < 1))
        field_error_append(&f->errors, "report", "a positive integer report id",
                           "not a positive integer");
    else if (rep)
        ns->report = (long)json_integer_value(rep);
    if (is_rep && !rep)
        field_error_append(&f->errors, "report", "the id of the report to follow",
                           "nothing (required with \"kind\": \"report\")");
    if (poly && !json_is_null(poly)) {
        const char *problem = geojson_shape_problem(poly, GEOJSON_POLYGON);
        if (problem) {
            field_error_append(&f->errors, "polygon", exchange_printf(ex, "a GeoJSON Polygon: %s",
                                                                      problem),
                               json_is_object(poly) ? "another object" : "not an object");
        } else {
            char *text = json_dumps(poly, JSON_COMPACT);
            ns->polygon = exchange_strdup(ex, text ? text : "");
            free(text);
        }
    }
    ns->has_point = lat == 1 && lon == 1 && radius == 1;
    if (is_area && !poly && !f->errors) {
        if (lat == 0)
            field_error_append(&f->errors, "lat", "the latitude of the area's centre",
                               "nothing (an area is lat, lon and radius_m, or a polygon)");
        if (lon == 0)
            field_error_append(&f->errors, "lon", "the longitude of the area's centre",
                               "nothing (an area is lat, lon and radius_m, or a polygon)");
        if (radius == 0)
            field_error_append(&f->errors, "radius_m",
                               "the radius in metres, at most 5000",
                               "nothing (an area is lat, lon and radius_m, or a polygon)");
    }
    if (is_area && poly && (lat || lon || radius))
        field_error_append(&f->errors, "polygon", "either a polygon or lat, lon and radius_m",
                           "both");
    /* members that belong to another kind (an area may name a category) */
    if (!is_cat && !is_area && json_object_get(f->obj, "category"))
        field_error_append(&f->errors, "category",
                           "no category unless \"kind\" is \"category\" or \"area\"",
                           "a category");
    if (!is_area && (lat || lon || radius || poly))
        field_error_append(&f->errors, lat ? "lat" : lon ? "lon" : radius ? "radius_m" : "polygon",
                           "no area unless \"kind\": \"area\"", "an area");
    if (!is_rep && rep)
        field_error_append(&f->errors, "report", "no report unless \"kind\": \"report\"",
                           "a report");
    if (fields_reject(ex, f))
        return;
    const char *viewer[3]; /* user id, admin, staff departments */
    identity_viewer_args(ex, viewer);
    const char *args[SUBSCRIPTION_CREATE_NPARAMS] = {
        [SUBSCRIPTION_CREATE_P_USER_ID] = viewer[0],
        [SUBSCRIPTION_CREATE_P_KIND] = ns->kind,
        [SUBSCRIPTION_CREATE_P_CATEGORY] = ns->category,
        [SUBSCRIPTION_CREATE_P_LAT] = ns->has_point ? exchange_printf(ex, "%.9f", ns->lat) : NULL,
        [SUBSCRIPTION_CREATE_P_LON] = ns->has_point ? exchange_printf(ex, "%.9f", ns->lon) : NULL,
        [SUBSCRIPTION_CREATE_P_RADIUS] =
            ns->has_point ? exchange_printf(ex, "%ld", lround(ns->radius)) : NULL,
        [SUBSCRIPTION_CREATE_P_POLYGON] = ns->polygon,
        [SUBSCRIPTION_CREATE_P_MAX_KM2] = exchange_printf(ex, "%.6f", ex->app->cfg.bbox_max_km2),
        [SUBSCRIPTION_CREATE_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [SUBSCRIPTION_CREATE_P_REPORT_ID] =
            ns->report ? exchange_printf(ex, "%ld", ns->report) : NULL,
        [SUBSCRIPTION_CREATE_P_ADMIN] = viewer[1],
        [SUBSCRIPTION_CREATE_P_DEPARTMENTS] = viewer[2],
    };
    exchange_query(ex, SUBSCRIPTION_CREATE_SQL, SUBSCRIPTION_CREATE_NPARAMS, args, sub_created);
}

/* ---- GET /api/v1/me/subscriptions ---- */

void api_me_subscriptions_list(struct exchange *ex)
{
    own_rows_list(ex, SUBSCRIPTION_LIST_SQL, "items", SUBSCRIPTION_LIST_ITEMS);
}

/* ---- DELETE /api/v1/me/subscriptions/{id} ---- */

void api_me_subscriptions_delete(struct exchange *ex)
{
    own_row_write(ex, "subscription", SUBSCRIPTION_DELETE_SQL,
                  exchange_printf(ex, "you have no subscription %s", ex->path_params[0]));
}

/* ---- POST|DELETE /api/v1/reports/{id}/follow ---- */

static void followed(struct exchange *ex, PGresult *res)
{
    if (report_failure_or_missing(ex, res))
        return;
    respond_json(ex->req, 200,
                 json_pack("{s:I,s:b,s:b}", "id",
                           (json_int_t)atoll(PQgetvalue(res, 0, REPORT_FOLLOW_ID)), "following",
                           1, "new", PQgetvalue(res, 0, REPORT_FOLLOW_NEW)[0] == 't'));
}

void api_reports_follow(struct exchange *ex)
{
    _Static_assert(REPORT_FOLLOW_P_REPORT_ID == 0 && REPORT_FOLLOW_NPARAMS == 4,
                   "report_action's parameters");
    report_action(ex, REPORT_FOLLOW_SQL, followed);
}

static void unfollowed(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (atol(PQgetvalue(res, 0, REPORT_UNFOLLOW_REMOVED)) == 0) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "you do not follow report %s", ex->path_params[0]);
        return;
    }
    respond_no_content(ex->req);
}

void api_reports_unfollow(struct exchange *ex)
{
    own_row_query(ex, "report", REPORT_UNFOLLOW_SQL, unfollowed);
}
