/* PATCH and DELETE /api/v1/layers/{name} (admins): describe an imported
 * layer (titles, description, keywords, licence, attribution), flip its
 * visibility, give it an owning department and its tile settings (zooms,
 * attribute whitelist, simplification, minimum size, feature limit:
 * sql/053_layer_tile_settings.sql); delete it, its table and its tiles
 * (sql/052_layer_management.sql). Each write has its audit_log row in the
 * same statement. */
#include "gis/layer_catalogue_sql.h"
#include "gis/layer_import.h"
#include "api/actor.h"
#include "api/api.h"
#include "http/body.h"
#include "http/params.h"
#include "http/respond.h"
#include "tiles/registry.h"
#include "tiles/tile_math.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEYWORDS_MAX 20
#define TILE_ATTRIBUTES_MAX 200 /* names in a tile attribute whitelist */
/* the ranges sql/053_layer_tile_settings.sql allows */
#define TILE_SIMPLIFY_PX_MAX 16
#define TILE_MIN_SIZE_PX_MAX 256
#define TILE_FEATURE_LIMIT_MAX 50000

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
    json_t *tiles;     /* the member "tiles" (borrowed from f), or NULL */
    int minzoom_given; /* tiles.minzoom is a valid zoom */
};

/* The layer as changed; or 422 naming each member the stored row refused
 * (then nothing changed): zooms the wrong way round, whitelisted names the
 * layer has no attribute of, a department that does not exist. */
static void update_done(struct exchange *ex, PGresult *res)
{
    struct layer_patch *lp = ex->handler_data;
    if (respond_db_failure_or_missing(ex->req, res, "there is no layer \"%s\"", lp->name))
        return;
    if (!PQgetisnull(res, 0, LAYER_UPDATE_JSON)) {
        respond_column(ex->req, 200, CT_JSON, res, LAYER_UPDATE_JSON);
        return;
    }
    json_t *errors = NULL;
    int minzoom = atoi(PQgetvalue(res, 0, LAYER_UPDATE_MINZOOM));
    int maxzoom = atoi(PQgetvalue(res, 0, LAYER_UPDATE_MAXZOOM));
    if (minzoom > maxzoom) {
        int min_given = lp->minzoom_given;
        char expected[64], found[16];
        snprintf(expected, sizeof expected, "a zoom at %s tiles.%s (%d)",
                 min_given ? "most" : "least", min_given ? "maxzoom" : "minzoom",
                 min_given ? maxzoom : minzoom);
        snprintf(found, sizeof found, "%d", min_given ? minzoom : maxzoom);
        field_error_append(&errors, min_given ? "tiles.minzoom" : "tiles.maxzoom", expected,
                           found);
    }
    if (!PQgetisnull(res, 0, LAYER_UPDATE_UNKNOWN_ATTRIBUTES)) {
        char *names = json_dumps(json_object_get(lp->tiles, "attributes"), JSON_COMPACT);
        char expected[160];
        snprintf(expected, sizeof expected, "names of the layer's attributes (GET "
                 "/api/v1/layers lists them); not: %.60s",
                 PQgetvalue(res, 0, LAYER_UPDATE_UNKNOWN_ATTRIBUTES));
        field_error_append(&errors, "tiles.attributes", expected, names ? names : "");
        free(names);
    }
    if (PQgetvalue(res, 0, LAYER_UPDATE_UNKNOWN_DEPARTMENT)[0] == 't') {
        char *id = json_dumps(json_object_get(lp->f.obj, "department_id"), JSON_ENCODE_ANY);
        field_error_append(&errors, "department_id", "the id of a department", id ? id : "");
        free(id);
    }
    respond_problem(ex->req, 422, "/problems/invalid-field", "Invalid field", errors,
                    "one or more fields are invalid; see errors; nothing was changed");
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

/* An integer member that may be reset with null: its text, "" for null,
 * NULL when absent or wrong (then an error is recorded). */
static const char *resettable_integer(struct exchange *ex, struct fields *f, const char *member,
                                      long long min, long long max)
{
    json_t *v = json_object_get(f->obj, member);
    if (v && json_is_null(v))
        return "";
    long long n;
    if (field_integer(f, member, min, max, 0, &n) != 1)
        return NULL;
    return exchange_printf(ex, "%lld", n);
}

/* The members of "tiles" into args (see LAYER_UPDATE_SQL); its errors go to
 * f named "tiles.<member>". */
static void tile_settings(struct exchange *ex, struct layer_patch *lp, const char **args)
{
    struct fields *f = &lp->f;
    json_t *v = json_object_get(f->obj, "tiles");
    if (!v || json_is_null(v))
        return;
    if (!json_is_object(v)) {
        field_error_append(&f->errors, "tiles",
                           "an object of minzoom, maxzoom, attributes, simplify_px, min_size_px "
                           "and feature_limit", json_is_array(v) ? "an array" : "not an object");
        return;
    }
    lp->tiles = v;
    struct fields t = {.obj = v};
    static const char *const members[] = {"minzoom", "maxzoom", "attributes", "simplify_px",
                                          "min_size_px", "feature_limit", NULL};
    fields_allow_only(&t, members);
    long long minzoom = -1, maxzoom = -1;
    if ((lp->minzoom_given = field_integer(&t, "minzoom", 0, TILE_MAX_ZOOM, 0, &minzoom) == 1))
        args[LAYER_UPDATE_P_MINZOOM] = exchange_printf(ex, "%lld", minzoom);
    if (field_integer(&t, "maxzoom", 0, TILE_MAX_ZOOM, 0, &maxzoom) == 1)
        args[LAYER_UPDATE_P_MAXZOOM] = exchange_printf(ex, "%lld", maxzoom);
    if (minzoom >= 0 && maxzoom >= 0 && minzoom > maxzoom) {
        char expected[64], found[16];
        snprintf(expected, sizeof expected, "a zoom at most tiles.maxzoom (%lld)", maxzoom);
        snprintf(found, sizeof found, "%lld", minzoom);
        field_error_append(&t.errors, "minzoom", expected, found);
    }
    json_t *attrs = json_object_get(v, "attributes");
    const char *names[TILE_ATTRIBUTES_MAX];
    size_t nnames = 0;
    if (attrs && json_is_null(attrs))
        args[LAYER_UPDATE_P_TILE_ATTRIBUTES] = "null";
    else if (field_string_array(&t, "attributes", 0, TILE_ATTRIBUTES_MAX, 63, 0, names,
                                &nnames) == 1) {
        char *text = json_dumps(attrs, JSON_COMPACT);
        args[LAYER_UPDATE_P_TILE_ATTRIBUTES] = exchange_strdup(ex, text ? text : "[]");
        free(text);
    }
    double px;
    if (field_number(&t, "simplify_px", 0, TILE_SIMPLIFY_PX_MAX, 0, &px) == 1)
        args[LAYER_UPDATE_P_SIMPLIFY_PX] = exchange_printf(ex, "%.17g", px);
    if (field_number(&t, "min_size_px", 0, TILE_MIN_SIZE_PX_MAX, 0, &px) == 1)
        args[LAYER_UPDATE_P_MIN_SIZE_PX] = exchange_printf(ex, "%.17g", px);
    args[LAYER_UPDATE_P_FEATURE_LIMIT] =
        resettable_integer(ex, &t, "feature_limit", 1, TILE_FEATURE_LIMIT_MAX);
    /* each error under its full name */
    size_t i;
    json_t *e;
    json_array_foreach(t.errors, i, e)
    {
        char name[400]; /* "tiles." and a name field_error_append cut */
        snprintf(name, sizeof name, "tiles.%s",
                 json_string_value(json_object_get(e, "name")) ?: "");
        json_object_set_new(e, "name", json_string(name));
        if (!f->errors)
            f->errors = json_array();
        json_array_append(f->errors, e);
    }
    json_decref(t.errors);
}

void api_layers_update(struct exchange *ex)
{
    const char *name = path_layer(ex);
    if (!name)
        return;
    static const char *const members[] = {"title_el",   "title_en",   "description",
                                          "licence",    "attribution", "keywords",
                                          "visibility", "tiles",       "department_id", NULL};
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
    tile_settings(ex, lp, args);
    args[LAYER_UPDATE_P_DEPARTMENT] = resettable_integer(ex, f, "department_id", 1, LLONG_MAX);
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
