/* PATCH and DELETE /api/v1/layers/{name} (admins): describe an imported
 * layer (titles, description, keywords, licence, attribution) and flip its
 * visibility; delete it, its table and its tiles (sql/052_layer_management.sql).
 * Each write has its audit_log row in the same statement. */
#include "gis/layer_catalogue_sql.h"
#include "gis/layer_import.h"
#include "api/actor.h"
#include "api/api.h"
#include "http/body.h"
#include "http/respond.h"

#include <stdlib.h>
#include <string.h>

#define KEYWORDS_MAX 20

/* The layer name of the path, or NULL after answering: 400 for a name no
 * layer can have. */
static const char *path_layer(struct exchange *ex)
{
    const char *name = ex->path_params[0];
    if (respond_unwanted_params(ex->req, &ex->query))
        return NULL;
    if (!layer_name_valid(name)) {
        respond_problem(ex->req, 400, "/problems/invalid-parameter", "Invalid parameter", NULL,
                        "the layer name in the path is not a layer's name (expected "
                        LAYER_NAME_EXPECTED ")");
        return NULL;
    }
    return name;
}

struct layer_patch {
    struct fields f;
    const char *name;
};

static void update_done(struct exchange *ex, PGresult *res)
{
    struct layer_patch *lp = ex->handler_data;
    respond_column_or_missing(ex->req, res, CT_JSON, LAYER_UPDATE_JSON,
                              "there is no layer \"%s\"", lp->name);
}

/* A text member that may be cleared with null or "": its value, "" for
 * cleared, NULL when absent or wrong (then an error is recorded). */
static const char *clearable(struct fields *f, const char *member, size_t max_bytes)
{
    json_t *v = json_object_get(f->obj, member);
    if (v && json_is_null(v))
        return "";
    const char *s = NULL;
    field_string(f, member, 0, max_bytes, 0, &s);
    return s;
}

void api_layers_update(struct exchange *ex)
{
    const char *name = path_layer(ex);
    if (!name)
        return;
    static const char *const members[] = {"title_el",    "title_en", "description", "licence",
                                          "attribution", "keywords", "visibility",  NULL};
    struct layer_patch *lp = BODY_PARSE_RECORD(ex, struct layer_patch, members);
    if (!lp)
        return;
    lp->name = name;
    struct fields *f = &lp->f;
    const char *args[LAYER_UPDATE_NPARAMS] = {[LAYER_UPDATE_P_NAME] = name};
    field_string(f, "title_el", 1, 250, 0, &args[LAYER_UPDATE_P_TITLE_EL]);
    field_string(f, "title_en", 1, 250, 0, &args[LAYER_UPDATE_P_TITLE_EN]);
    args[LAYER_UPDATE_P_DESCRIPTION] = clearable(f, "description", 4000);
    args[LAYER_UPDATE_P_LICENCE] = clearable(f, "licence", 250);
    args[LAYER_UPDATE_P_ATTRIBUTION] = clearable(f, "attribution", 250);
    const char *keywords[KEYWORDS_MAX];
    size_t nkeywords = 0;
    if (field_string_array(f, "keywords", 0, KEYWORDS_MAX, 64, 0, keywords, &nkeywords) == 1) {
        char *text = json_dumps(json_object_get(f->obj, "keywords"), JSON_COMPACT);
        args[LAYER_UPDATE_P_KEYWORDS] = exchange_strdup(ex, text ? text : "[]");
        free(text);
    }
    static const char *const visibilities[] = {"public", "staff", NULL};
    field_choice(f, "visibility", visibilities, 0, &args[LAYER_UPDATE_P_VISIBILITY]);
    if (fields_reject(ex, f))
        return;
    actor_args(ex, args + LAYER_UPDATE_P_ACTOR);
    exchange_query(ex, LAYER_UPDATE_SQL, LAYER_UPDATE_NPARAMS, args, update_done);
}

static void delete_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQgetvalue(res, 0, LAYER_DELETE_FOUND)[0] != 't') {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "there is no layer \"%s\"", ex->path_params[0]);
        return;
    }
    respond_no_content(ex->req);
}

void api_layers_delete(struct exchange *ex)
{
    const char *name = path_layer(ex);
    if (!name)
        return;
    const char *args[LAYER_DELETE_NPARAMS] = {[LAYER_DELETE_P_NAME] = name};
    actor_args(ex, args + LAYER_DELETE_P_ACTOR);
    exchange_query(ex, LAYER_DELETE_SQL, LAYER_DELETE_NPARAMS, args, delete_done);
}
