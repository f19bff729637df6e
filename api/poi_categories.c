/* POI categories (sight, museum, church, ...): the list anyone reads
 * (active ones; admins see all), and the admin writes, each audited. */
#include "gis/pois_sql.h"
#include "api/actor.h"
#include "api/api.h"
#include "http/body.h"
#include "api/poi_access.h"
#include "http/respond.h"

#include <limits.h>
#include <string.h>

/* ---- GET /api/v1/poi-categories ---- */

static void list_done(struct exchange *ex, PGresult *res)
{
    if (!respond_db_failure(ex->req, res))
        respond_column(ex->req, 200, CT_JSON, res, POI_CATEGORY_LIST_JSON);
}

void api_poi_categories_list(struct exchange *ex)
{
    static const char *const allowed[] = {NULL};
    params_allow_only(&ex->query, allowed);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *args[] = {ex->who.rank >= 3 ? "true" : "false"};
    exchange_query_prepared(ex, POI_CATEGORY_LIST_SQL, 1, args, list_done);
}

/* ---- POST /api/v1/poi-categories, PATCH /api/v1/poi-categories/{code} ---- */

struct category_write {
    struct fields f;
    const char *code;
};

/* The writable members into their parameters of args (name_el, name_en,
 * icon, sort_order, active), NULL when absent. */
static void read_category(struct exchange *ex, struct fields *f, int creating,
                          const char *args[POI_CATEGORY_NPARAMS])
{
    const char *icon = NULL;
    int active;
    field_string(f, "name_el", 1, 200, creating, &args[POI_CATEGORY_P_NAME_EL]);
    field_string(f, "name_en", 1, 200, creating, &args[POI_CATEGORY_P_NAME_EN]);
    if (field_string(f, "icon", 1, 40, 0, &icon) == 1 &&
        strspn(icon, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(icon))
        field_error_append(&f->errors, "icon", "1 to 40 of a-z, 0-9, _ and -", icon);
    args[POI_CATEGORY_P_ICON] = icon;
    long long order;
    if (field_integer(f, "sort_order", 0, INT_MAX, 0, &order) == 1)
        args[POI_CATEGORY_P_SORT_ORDER] = exchange_printf(ex, "%lld", order);
    args[POI_CATEGORY_P_ACTIVE] =
        field_bool(f, "active", 0, &active) == 1 ? (active ? "true" : "false") : NULL;
}

static void write_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct category_write *cw = ex->handler_data;
    if (PQgetisnull(res, 0, POI_CATEGORY_WRITE_JSON)) {
        if (cw->code)
            respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                            "a POI category with code %s exists already", cw->code);
        else
            respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                            "there is no POI category %s", ex->path_params[0]);
        return;
    }
    const char *v = PQgetvalue(res, 0, POI_CATEGORY_WRITE_JSON);
    respond_bytes(ex->req, cw->code ? 201 : 200, CT_JSON, v, strlen(v));
}

void api_poi_categories_create(struct exchange *ex)
{
    static const char *const allowed[] = {"code", "name_el", "name_en", "icon",
                                          "sort_order", "active", NULL};
    struct category_write *cw = BODY_PARSE_RECORD(ex, struct category_write, allowed);
    if (!cw)
        return;
    if (field_string(&cw->f, "code", 2, 40, 1, &cw->code) == 1 && !poi_code_ok(cw->code))
        field_error_append(&cw->f.errors, "code", "2 to 40 of a-z, 0-9 and _, starting with a "
                           "letter", cw->code);
    const char *args[POI_CATEGORY_NPARAMS] = {[POI_CATEGORY_P_CODE] = cw->code};
    read_category(ex, &cw->f, 1, args);
    if (fields_reject(ex, &cw->f))
        return;
    actor_args(ex, &args[POI_CATEGORY_P_ACTOR]);
    exchange_query_prepared(ex, POI_CATEGORY_CREATE_SQL, POI_CATEGORY_NPARAMS, args, write_done);
}

void api_poi_categories_update(struct exchange *ex)
{
    static const char *const allowed[] = {"name_el", "name_en", "icon", "sort_order", "active",
                                          NULL};
    if (!poi_code_ok(ex->path_params[0])) {
        params_error(&ex->query, "code", "a POI category code", ex->path_params[0]);
        respond_params_problem(ex->req, &ex->query);
        return;
    }
    struct category_write *cw = BODY_PARSE_RECORD(ex, struct category_write, allowed);
    if (!cw)
        return;
    const char *args[POI_CATEGORY_NPARAMS] = {[POI_CATEGORY_P_CODE] = ex->path_params[0]};
    read_category(ex, &cw->f, 0, args);
    if (fields_reject(ex, &cw->f))
        return;
    actor_args(ex, &args[POI_CATEGORY_P_ACTOR]);
    exchange_query_prepared(ex, POI_CATEGORY_UPDATE_SQL, POI_CATEGORY_NPARAMS, args, write_done);
}
