/* Report categories: the list a citizen picks from (active ones; admins see
 * all), and the admin writes. Extra fields are checked by
 * gis/report_attributes.c before they are stored, so a report is never
 * validated against a broken definition. */
#include "gis/categories_sql.h"
#include "gis/report_attributes.h"
#include "api/actor.h"
#include "api/api.h"
#include "http/body.h"
#include "http/respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TARGET_HOURS_MAX 87600 /* ten years; sql/034_assignment_deadlines.sql */

/* ---- GET /api/v1/categories ---- */

static void list_done(struct exchange *ex, PGresult *res)
{
    respond_column_as_member(ex->req, res, "categories", CATEGORY_LIST_ITEMS);
}

void api_categories_list(struct exchange *ex)
{
    if (respond_unwanted_params(ex->req, &ex->query))
        return;
    const char *args[] = {ex->app->cfg.municipality, ex->who.rank >= 3 ? "true" : "false"};
    exchange_query(ex, CATEGORY_LIST_SQL, 2, args, list_done);
}

/* ---- POST /api/v1/categories, PATCH /api/v1/categories/{id} ---- */

struct category_write {
    struct fields f;
    const char *code, *department;
    long id;
};

static int icon_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 40)
        return 0;
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* Reads the writable members into their places of args (enum
 * category_write_param: name_el, name_en, department, icon, active, private,
 * fields, target_hours) as query parameters; NULL when absent. */
static void read_category(struct exchange *ex, struct category_write *cw, int creating,
                          const char *args[CATEGORY_WRITE_NPARAMS])
{
    struct fields *f = &cw->f;
    const char *icon = NULL;
    int active, private;
    args[CATEGORY_WRITE_P_NAME_EL] = args[CATEGORY_WRITE_P_NAME_EN] = NULL;
    field_string(f, "name_el", 1, 200, creating, &args[CATEGORY_WRITE_P_NAME_EL]);
    field_string(f, "name_en", 1, 200, creating, &args[CATEGORY_WRITE_P_NAME_EN]);
    field_string(f, "department", 1, 40, creating, &cw->department);
    args[CATEGORY_WRITE_P_DEPARTMENT] = cw->department;
    if (field_string(f, "icon", 1, 40, 0, &icon) == 1 && !icon_ok(icon))
        field_error_append(&f->errors, "icon", "1 to 40 of a-z, 0-9, _ and -", icon);
    args[CATEGORY_WRITE_P_ICON] = icon;
    args[CATEGORY_WRITE_P_ACTIVE] =
        field_bool(f, "active", 0, &active) == 1 ? (active ? "true" : "false") : NULL;
    args[CATEGORY_WRITE_P_PRIVATE] =
        field_bool(f, "private", 0, &private) == 1 ? (private ? "true" : "false") : NULL;
    /* target_hours: hours a report may stay open (null: no target) */
    long long hours;
    args[CATEGORY_WRITE_P_TARGET_HOURS] = NULL;
    json_t *target = json_object_get(f->obj, "target_hours");
    if (target && json_is_null(target))
        args[CATEGORY_WRITE_P_TARGET_HOURS] = "none";
    else if (field_integer(f, "target_hours", 0, TARGET_HOURS_MAX, 0, &hours) == 1)
        args[CATEGORY_WRITE_P_TARGET_HOURS] = exchange_printf(ex, "%lld", hours);
    json_t *fields = json_object_get(f->obj, "fields");
    args[CATEGORY_WRITE_P_FIELDS] = NULL;
    if (fields && !attr_fields_check(fields, "fields", &f->errors)) {
        char *text = json_dumps(fields, JSON_COMPACT);
        args[CATEGORY_WRITE_P_FIELDS] = exchange_strdup(ex, text ? text : "[]");
        free(text);
    }
}

static void create_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct category_write *cw = ex->handler_data;
    if (PQgetvalue(res, 0, CATEGORY_CREATE_DEPARTMENT_FOUND)[0] != 't') {
        field_error_append(&cw->f.errors, "department", "the code of a department",
                           cw->department);
        fields_reject(ex, &cw->f);
        return;
    }
    if (PQgetisnull(res, 0, CATEGORY_CREATE_JSON)) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "a category with code %s exists already", cw->code);
        return;
    }
    const char *v = PQgetvalue(res, 0, CATEGORY_CREATE_JSON);
    respond_bytes(ex->req, 201, CT_JSON, v, strlen(v));
}

void api_categories_create(struct exchange *ex)
{
    static const char *const allowed[] = {"code", "name_el", "name_en", "department", "icon",
                                          "active", "private", "fields", "target_hours", NULL};
    struct category_write *cw = BODY_PARSE_RECORD(ex, struct category_write, allowed);
    if (!cw)
        return;
    field_code(&cw->f, "code", "the new category's code", 1, &cw->code);
    const char *args[CATEGORY_WRITE_NPARAMS];
    args[CATEGORY_WRITE_P_MUNICIPALITY] = ex->app->cfg.municipality;
    args[CATEGORY_WRITE_P_CATEGORY] = cw->code;
    read_category(ex, cw, 1, args);
    if (fields_reject(ex, &cw->f))
        return;
    actor_args(ex, args + CATEGORY_WRITE_P_ACTOR);
    exchange_query(ex, CATEGORY_CREATE_SQL, CATEGORY_WRITE_NPARAMS, args, create_done);
}

static void update_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct category_write *cw = ex->handler_data;
    if (PQgetvalue(res, 0, CATEGORY_UPDATE_FOUND)[0] != 't') {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "there is no category with id %ld", cw->id);
        return;
    }
    if (PQgetvalue(res, 0, CATEGORY_UPDATE_DEPARTMENT_FOUND)[0] != 't') {
        field_error_append(&cw->f.errors, "department", "the code of a department",
                           cw->department);
        fields_reject(ex, &cw->f);
        return;
    }
    const char *v = PQgetvalue(res, 0, CATEGORY_UPDATE_JSON);
    respond_bytes(ex->req, 200, CT_JSON, v, strlen(v));
}

void api_categories_update(struct exchange *ex)
{
    static const char *const allowed[] = {"name_el", "name_en", "department", "icon",
                                          "active", "private", "fields", "target_hours", NULL};
    long id;
    params_path_id(&ex->query, "id", ex->path_params[0], "category", &id);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    struct category_write *cw = BODY_PARSE_RECORD(ex, struct category_write, allowed);
    if (!cw)
        return;
    cw->id = id;
    const char *args[CATEGORY_WRITE_NPARAMS];
    args[CATEGORY_WRITE_P_MUNICIPALITY] = ex->app->cfg.municipality;
    args[CATEGORY_WRITE_P_CATEGORY] = exchange_printf(ex, "%ld", id);
    read_category(ex, cw, 0, args);
    if (fields_reject(ex, &cw->f))
        return;
    actor_args(ex, args + CATEGORY_WRITE_P_ACTOR);
    exchange_query(ex, CATEGORY_UPDATE_SQL, CATEGORY_WRITE_NPARAMS, args, update_done);
}
