/* Routing rules (sql/033_routing_rules.sql): which department a new report
 * goes to by its area and category. Staff read them; admins write them.
 * Writes record their audit_log row in the same statement, and never move
 * a report that exists (the department is decided when a report is filed). */
#include "gis/geojson_shape.h"
#include "gis/routing_rules_sql.h"
#include "api/actor.h"
#include "api/api.h"
#include "http/body.h"
#include "http/respond.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---- GET /api/v1/routing-rules ---- */

static void list_done(struct exchange *ex, PGresult *res)
{
    respond_column_as_member(ex->req, res, "rules", ROUTING_RULE_LIST_ITEMS);
}

void api_routing_rules_list(struct exchange *ex)
{
    if (respond_unwanted_params(ex->req, &ex->query))
        return;
    const char *args[] = {ex->app->cfg.municipality};
    exchange_query(ex, ROUTING_RULE_LIST_SQL, 1, args, list_done);
}

/* ---- POST /api/v1/routing-rules, PATCH and DELETE /api/v1/routing-rules/{id} ---- */

struct rule_write {
    struct fields f;
    long id;                /* PATCH, DELETE */
    const char *category;   /* code; "" for any (PATCH with null); NULL: not given */
    const char *boundary;   /* id as text|NULL */
    const char *polygon;    /* GeoJSON text|NULL */
    const char *department; /* code|NULL */
};

/* Reads the members into rw; creating: the department and an area are
 * required. Field errors go to rw->f.errors. */
static void read_rule(struct exchange *ex, struct rule_write *rw, int creating)
{
    struct fields *f = &rw->f;
    json_t *cat = json_object_get(f->obj, "category");
    if (cat && json_is_null(cat)) {
        rw->category = creating ? NULL : "";
    } else {
        field_code(f, "category", "the code of a report category, or null for any", 0,
                   &rw->category);
    }
    field_code(f, "department", "the code of a department", creating, &rw->department);
    long long boundary;
    int has_boundary = field_integer(f, "boundary", 1, LLONG_MAX, 0, &boundary);
    if (has_boundary == 1)
        rw->boundary = exchange_printf(ex, "%lld", boundary);
    json_t *poly = json_object_get(f->obj, "polygon");
    int has_polygon = poly && !json_is_null(poly);
    if (has_polygon) {
        const char *problem =
            geojson_shape_problem(poly, GEOJSON_POLYGON | GEOJSON_MULTIPOLYGON);
        if (problem) {
            field_error_append(&f->errors, "polygon",
                               exchange_printf(ex, "a GeoJSON Polygon or MultiPolygon: %s",
                                               problem),
                               json_is_object(poly) ? "another object" : "not an object");
        } else {
            char *text = json_dumps(poly, JSON_COMPACT);
            rw->polygon = exchange_strdup(ex, text ? text : "");
            free(text);
        }
    }
    /* the area is a boundary or a polygon: one of them, never both */
    if (has_boundary && has_polygon)
        field_error_append(&f->errors, "polygon",
                           "nothing when \"boundary\" is given (an area is a boundary or a "
                           "polygon)",
                           "a polygon and a boundary");
    else if (creating && !has_boundary && !has_polygon)
        field_error_append(&f->errors, "boundary",
                           "the id of a unit or community, or else a \"polygon\"",
                           "neither a boundary nor a polygon");
}

/* The answer of a create or update: 404, 422 naming what the database did
 * not know, or the rule. */
static void write_done(struct exchange *ex, PGresult *res, int created)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct rule_write *rw = ex->handler_data;
    if (PQgetvalue(res, 0, ROUTING_RULE_WRITE_FOUND)[0] != 't') {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "there is no routing rule with id %ld", rw->id);
        return;
    }
    json_t **errors = &rw->f.errors;
    if (PQgetvalue(res, 0, ROUTING_RULE_WRITE_CATEGORY_OK)[0] != 't')
        field_error_append(errors, "category",
                           "the code of a report category (GET /api/v1/categories), or null",
                           rw->category);
    if (PQgetvalue(res, 0, ROUTING_RULE_WRITE_BOUNDARY_OK)[0] != 't')
        field_error_append(errors, "boundary",
                           exchange_printf(ex, "the id of a unit or community of municipality "
                                           "%s (GET /api/v1/boundaries)",
                                           ex->app->cfg.municipality),
                           rw->boundary);
    if (PQgetvalue(res, 0, ROUTING_RULE_WRITE_POLYGON_OK)[0] != 't')
        field_error_append(errors, "polygon", "a valid polygon (no self-intersections)",
                           "an invalid polygon");
    if (PQgetvalue(res, 0, ROUTING_RULE_WRITE_DEPARTMENT_OK)[0] != 't')
        field_error_append(errors, "department", "the code of a department", rw->department);
    if (fields_reject(ex, &rw->f))
        return;
    if (PQgetisnull(res, 0, ROUTING_RULE_WRITE_JSON)) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "the routing rule changed or went while it was written; read it again");
        return;
    }
    const char *v = PQgetvalue(res, 0, ROUTING_RULE_WRITE_JSON);
    if (created) {
        json_t *rule = json_loads(v, 0, NULL);
        respond_header(ex->req, "location",
                       exchange_url(ex, exchange_printf(
                                            ex, "/api/v1/routing-rules/%lld",
                                            (long long)json_integer_value(
                                                json_object_get(rule, "id")))));
        json_decref(rule);
    }
    respond_bytes(ex->req, created ? 201 : 200, CT_JSON, v, strlen(v));
}

static void create_done(struct exchange *ex, PGresult *res)
{
    write_done(ex, res, 1);
}

static void update_done(struct exchange *ex, PGresult *res)
{
    write_done(ex, res, 0);
}

static const char *const rule_members[] = {"category", "boundary", "polygon", "department",
                                           NULL};

void api_routing_rules_create(struct exchange *ex)
{
    if (respond_unwanted_params(ex->req, &ex->query))
        return;
    struct rule_write *rw = BODY_PARSE_RECORD(ex, struct rule_write, rule_members);
    if (!rw)
        return;
    read_rule(ex, rw, 1);
    if (fields_reject(ex, &rw->f))
        return;
    const char *args[ROUTING_RULE_CREATE_NPARAMS] = {
        [ROUTING_RULE_CREATE_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [ROUTING_RULE_CREATE_P_CATEGORY] = rw->category,
        [ROUTING_RULE_CREATE_P_BOUNDARY] = rw->boundary,
        [ROUTING_RULE_CREATE_P_POLYGON] = rw->polygon,
        [ROUTING_RULE_CREATE_P_DEPARTMENT] = rw->department,
    };
    actor_args(ex, args + ROUTING_RULE_CREATE_P_ACTOR);
    exchange_query(ex, ROUTING_RULE_CREATE_SQL, ROUTING_RULE_CREATE_NPARAMS, args, create_done);
}

/* The rule id of the path, or 0 after answering 400. */
static long path_rule_id(struct exchange *ex)
{
    long id;
    params_allow_only(&ex->query, (const char *const[]){NULL});
    params_path_id(&ex->query, "id", ex->path_params[0], "routing rule", &id);
    return respond_params_problem(ex->req, &ex->query) ? 0 : id;
}

void api_routing_rules_update(struct exchange *ex)
{
    long id = path_rule_id(ex);
    if (!id)
        return;
    struct rule_write *rw = BODY_PARSE_RECORD(ex, struct rule_write, rule_members);
    if (!rw)
        return;
    rw->id = id;
    read_rule(ex, rw, 0);
    if (fields_reject(ex, &rw->f))
        return;
    const char *args[ROUTING_RULE_UPDATE_NPARAMS] = {
        [ROUTING_RULE_UPDATE_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [ROUTING_RULE_UPDATE_P_ID] = exchange_printf(ex, "%ld", id),
        [ROUTING_RULE_UPDATE_P_CATEGORY] = rw->category,
        [ROUTING_RULE_UPDATE_P_BOUNDARY] = rw->boundary,
        [ROUTING_RULE_UPDATE_P_POLYGON] = rw->polygon,
        [ROUTING_RULE_UPDATE_P_DEPARTMENT] = rw->department,
    };
    actor_args(ex, args + ROUTING_RULE_UPDATE_P_ACTOR);
    exchange_query(ex, ROUTING_RULE_UPDATE_SQL, ROUTING_RULE_UPDATE_NPARAMS, args, update_done);
}

static void delete_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (atol(PQgetvalue(res, 0, ROUTING_RULE_DELETE_COUNT)) == 0) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "there is no routing rule with id %s", ex->path_params[0]);
        return;
    }
    respond_no_content(ex->req);
}

void api_routing_rules_delete(struct exchange *ex)
{
    long id = path_rule_id(ex);
    if (!id)
        return;
    const char *args[ROUTING_RULE_DELETE_NPARAMS] = {
        [ROUTING_RULE_DELETE_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [ROUTING_RULE_DELETE_P_ID] = exchange_printf(ex, "%ld", id),
    };
    actor_args(ex, args + ROUTING_RULE_DELETE_P_ACTOR);
    exchange_query(ex, ROUTING_RULE_DELETE_SQL, ROUTING_RULE_DELETE_NPARAMS, args, delete_done);
}
