/* The e-services catalogue: what citizens and businesses can apply for
 * online (active services, for everyone; admins see inactive ones too), and
 * the admin writes. The form's fields are checked by gis/report_attributes.c
 * (the definitions report categories use), the required documents by
 * services/service_documents.c, before anything is stored. */
#include "services/service_documents.h"
#include "services/services_sql.h"
#include "gis/report_attributes.h"
#include "api/actor.h"
#include "api/api.h"
#include "http/body.h"
#include "http/respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TARGET_HOURS_MAX 87600 /* ten years, as sql/040_services.sql allows */

static const char *const langs[] = {"el", "en", NULL};

/* ---- GET /api/v1/services, GET /api/v1/services/{id} ---- */

/* Reads ?lang= (el or en, default el) into the args of the two reads. */
static int read_lang(struct exchange *ex, const char **lang)
{
    static const char *const allowed[] = {"lang", NULL};
    *lang = "el";
    params_allow_only(&ex->query, allowed);
    params_choice(&ex->query, "lang", langs, 0, lang);
    return respond_params_problem(ex->req, &ex->query);
}

static void list_done(struct exchange *ex, PGresult *res)
{
    respond_column_as_member(ex->req, res, "services", SERVICE_LIST_ITEMS);
}

void api_services_list(struct exchange *ex)
{
    const char *args[SERVICE_LIST_NPARAMS] = {
        [SERVICE_LIST_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [SERVICE_LIST_P_ALL] = ex->who.rank >= 3 ? "true" : "false",
    };
    if (read_lang(ex, &args[SERVICE_LIST_P_LANG]))
        return;
    exchange_query_prepared(ex, SERVICE_LIST_SQL, SERVICE_LIST_NPARAMS, args, list_done);
}

static void get_done(struct exchange *ex, PGresult *res)
{
    respond_column_or_missing(ex->req, res, CT_JSON, SERVICE_GET_JSON,
                              "there is no service with id %s", ex->path_params[0]);
}

void api_services_get(struct exchange *ex)
{
    long id = 0;
    params_path_id(&ex->query, "id", ex->path_params[0], "service", &id);
    const char *args[SERVICE_GET_NPARAMS] = {
        [SERVICE_GET_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [SERVICE_GET_P_ALL] = ex->who.rank >= 3 ? "true" : "false",
        [SERVICE_GET_P_ID] = exchange_printf(ex, "%ld", id),
    };
    if (read_lang(ex, &args[SERVICE_GET_P_LANG]))
        return;
    exchange_query_prepared(ex, SERVICE_GET_SQL, SERVICE_GET_NPARAMS, args, get_done);
}

/* ---- POST /api/v1/services, PATCH /api/v1/services/{id} ---- */

struct service_write {
    struct fields f;
    const char *code, *department;
    long id;
};

/* A JSON member checked by check, as jsonb text in the request pool: into
 * *out when present and valid (NULL otherwise). */
static void read_definition(struct exchange *ex, struct fields *f, const char *name,
                            int (*check)(const json_t *, const char *, json_t **),
                            const char **out)
{
    json_t *v = json_object_get(f->obj, name);
    *out = NULL;
    if (!v || check(v, name, &f->errors))
        return;
    char *text = json_dumps(v, JSON_COMPACT);
    *out = exchange_strdup(ex, text ? text : "[]");
    free(text);
}

/* Reads the writable members into their places of args (enum
 * service_write_param) as query parameters; NULL when absent. On create
 * every member but fields, documents and active is required. */
static void read_service(struct exchange *ex, struct service_write *sw, int creating,
                         const char *args[SERVICE_WRITE_NPARAMS])
{
    static const char *const applicants[] = {"citizen", "business", "any", NULL};
    static const char *const answer_kinds[] = {"generated", "uploaded", NULL};
    struct fields *f = &sw->f;
    static const struct {
        const char *name;
        size_t max;
        int at;
    } texts[] = {
        {"title_el", 200, SERVICE_WRITE_P_TITLE_EL},
        {"title_en", 200, SERVICE_WRITE_P_TITLE_EN},
        {"description_el", 5000, SERVICE_WRITE_P_DESCRIPTION_EL},
        {"description_en", 5000, SERVICE_WRITE_P_DESCRIPTION_EN},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        args[texts[i].at] = NULL;
        field_string(f, texts[i].name, 1, texts[i].max, creating, &args[texts[i].at]);
    }
    sw->department = NULL;
    field_string(f, "department", 1, 40, creating, &sw->department);
    args[SERVICE_WRITE_P_DEPARTMENT] = sw->department;
    read_definition(ex, f, "fields", attr_fields_check, &args[SERVICE_WRITE_P_FIELDS]);
    read_definition(ex, f, "documents", service_documents_check,
                    &args[SERVICE_WRITE_P_DOCUMENTS]);
    args[SERVICE_WRITE_P_APPLICANTS] = args[SERVICE_WRITE_P_ANSWER_KIND] = NULL;
    field_choice(f, "applicants", applicants, creating, &args[SERVICE_WRITE_P_APPLICANTS]);
    field_choice(f, "answer_kind", answer_kinds, creating, &args[SERVICE_WRITE_P_ANSWER_KIND]);
    long long hours;
    args[SERVICE_WRITE_P_TARGET_HOURS] = NULL;
    if (field_integer(f, "target_hours", 1, TARGET_HOURS_MAX, creating, &hours) == 1)
        args[SERVICE_WRITE_P_TARGET_HOURS] = exchange_printf(ex, "%lld", hours);
    int active;
    args[SERVICE_WRITE_P_ACTIVE] =
        field_bool(f, "active", 0, &active) == 1 ? (active ? "true" : "false") : NULL;
}

static void no_department(struct exchange *ex)
{
    struct service_write *sw = ex->handler_data;
    field_error_append(&sw->f.errors, "department", "the code of a department", sw->department);
    fields_reject(ex, &sw->f);
}

static void create_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct service_write *sw = ex->handler_data;
    if (PQgetvalue(res, 0, SERVICE_CREATE_DEPARTMENT_FOUND)[0] != 't') {
        no_department(ex);
        return;
    }
    if (PQgetisnull(res, 0, SERVICE_CREATE_JSON)) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "a service with code %s exists already", sw->code);
        return;
    }
    respond_column(ex->req, 201, CT_JSON, res, SERVICE_CREATE_JSON);
}

void api_services_create(struct exchange *ex)
{
    static const char *const allowed[] = {
        "code",   "title_el", "title_en",   "description_el", "description_en", "department",
        "fields", "documents", "applicants", "target_hours",  "answer_kind",    "active",
        NULL};
    struct service_write *sw = BODY_PARSE_RECORD(ex, struct service_write, allowed);
    if (!sw)
        return;
    field_code(&sw->f, "code", "the new service's code", 1, &sw->code);
    const char *args[SERVICE_WRITE_NPARAMS];
    args[SERVICE_WRITE_P_MUNICIPALITY] = ex->app->cfg.municipality;
    args[SERVICE_WRITE_P_SERVICE] = sw->code;
    read_service(ex, sw, 1, args);
    if (fields_reject(ex, &sw->f))
        return;
    actor_args(ex, args + SERVICE_WRITE_P_ACTOR);
    exchange_query_prepared(ex, SERVICE_CREATE_SQL, SERVICE_WRITE_NPARAMS, args, create_done);
}

static void update_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct service_write *sw = ex->handler_data;
    if (PQgetvalue(res, 0, SERVICE_UPDATE_FOUND)[0] != 't') {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "there is no service with id %ld", sw->id);
        return;
    }
    if (PQgetvalue(res, 0, SERVICE_UPDATE_DEPARTMENT_FOUND)[0] != 't') {
        no_department(ex);
        return;
    }
    respond_column(ex->req, 200, CT_JSON, res, SERVICE_UPDATE_JSON);
}

void api_services_update(struct exchange *ex)
{
    static const char *const allowed[] = {
        "title_el", "title_en",   "description_el", "description_en", "department", "fields",
        "documents", "applicants", "target_hours",  "answer_kind",    "active",     NULL};
    long id;
    params_path_id(&ex->query, "id", ex->path_params[0], "service", &id);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    struct service_write *sw = BODY_PARSE_RECORD(ex, struct service_write, allowed);
    if (!sw)
        return;
    sw->id = id;
    const char *args[SERVICE_WRITE_NPARAMS];
    args[SERVICE_WRITE_P_MUNICIPALITY] = ex->app->cfg.municipality;
    args[SERVICE_WRITE_P_SERVICE] = exchange_printf(ex, "%ld", id);
    read_service(ex, sw, 0, args);
    if (fields_reject(ex, &sw->f))
        return;
    actor_args(ex, args + SERVICE_WRITE_P_ACTOR);
    exchange_query_prepared(ex, SERVICE_UPDATE_SQL, SERVICE_WRITE_NPARAMS, args, update_done);
}
