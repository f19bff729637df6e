/* Points of interest: the public lists (plain, q= search, near=), one POI,
 * and the tourism office's writes (create a draft, change, publish,
 * archive, back to draft). Who may write: staff of the
 * department 'tourism' and admins; the check is in the statement that
 * writes (gis/pois_sql.h EDITOR), so a request costs one query. Input is
 * checked here before any query: a wrong member is a 422 naming it, and
 * nothing is stored. */
#include "gis/geojson_shape.h"
#include "gis/opening_hours.h"
#include "gis/pois_sql.h"
#include "gis/translit.h"
#include "api/actor.h"
#include "api/api.h"
#include "http/body.h"
#include "api/geojson_page.h"
#include "api/lang_map.h"
#include "api/poi_access.h"
#include "api/row_refusal.h"
#include "http/respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POI_OFFSET_MAX 10000
#define POI_CATEGORIES_MAX 20
#define POI_Q_MAX 200

/* ---- GET /api/v1/pois ---- */

struct list_request {
    struct geojson_page *page; /* path and the filters of the next link */
    long limit, offset;
    int restricted;            /* status other than published: editors only */
};

static void list_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    const struct list_request *lr = ex->handler_data;
    if (!PQgetisnull(res, 0, POI_LIST_UNKNOWN_CATEGORIES)) {
        params_error(&ex->query, "category",
                     "codes of POI categories (GET /api/v1/poi-categories)",
                     exchange_printf(ex, "unknown: %s",
                                     PQgetvalue(res, 0, POI_LIST_UNKNOWN_CATEGORIES)));
        respond_params_problem(ex->req, &ex->query);
        return;
    }
    if (lr->restricted && PQgetvalue(res, 0, POI_LIST_EDITOR)[0] != 't') {
        poi_forbidden(ex);
        return;
    }
    geojson_page_respond(ex, lr->page, PQgetvalue(res, 0, POI_LIST_FEATURES),
                         PQgetvalue(res, 0, POI_LIST_MORE)[0] == 't',
                         exchange_printf(ex, "offset=%ld", lr->offset + lr->limit));
}

/* category=a,b as a text[] literal (codes need no quoting), or NULL. */
static const char *categories_param(struct exchange *ex)
{
    const char *s = params_get(&ex->query, "category");
    if (!s)
        return NULL;
    const char *expected = "a category code or a comma-separated list of up to 20";
    char *copy = (char *)exchange_strdup(ex, s);
    int n = 0;
    for (char *save = NULL, *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save))
        if (!poi_code_ok(c) || ++n > POI_CATEGORIES_MAX) {
            params_error(&ex->query, "category", expected, s);
            return NULL;
        }
    if (n == 0 || s[strlen(s) - 1] == ',' || strstr(s, ",,")) {
        params_error(&ex->query, "category", expected, s);
        return NULL;
    }
    return exchange_printf(ex, "{%s}", s);
}

/* q=: 1 to 200 bytes of UTF-8 with at least one letter or digit. */
static const char *q_param(struct exchange *ex)
{
    const char *q = params_get(&ex->query, "q");
    if (!q)
        return NULL;
    int has_word = 0;
    for (const unsigned char *p = (const unsigned char *)q; *p; p++)
        if ((*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || *p >= 0x80)
            has_word = 1;
    if (!*q || strlen(q) > POI_Q_MAX || !utf8_valid(q) || !has_word) {
        params_error(&ex->query, "q", "1 to 200 bytes of text with a letter or digit", q);
        return NULL;
    }
    return q;
}

void api_pois_list(struct exchange *ex)
{
    static const char *const allowed[] = {"q",    "category", "bbox",   "near", "limit",
                                          "offset", "lang",   "status", NULL};
    static const char *const statuses[] = {"published", "draft", "archived", "all", NULL};
    const struct polis_config *cfg = &ex->app->cfg;
    struct list_request *lr = h2o_mem_alloc_pool(&ex->req->pool, sizeof *lr);
    memset(lr, 0, sizeof *lr);
    lr->page = geojson_page_new(ex, "/api/v1/pois");
    lr->limit = cfg->page_default;
    double bbox[4], lat = 0, lon = 0;
    const char *lang = "el", *status = "published";

    params_allow_only(&ex->query, allowed);
    const char *q = q_param(ex);
    const char *cats = categories_param(ex);
    int has_bbox = params_bbox(&ex->query, "bbox", cfg->bbox_max_km2, bbox) == 1;
    int has_near = params_lat_lon(&ex->query, "near", &lat, &lon) == 1;
    params_long(&ex->query, "limit", 1, cfg->page_max, 0, &lr->limit);
    params_long(&ex->query, "offset", 0, POI_OFFSET_MAX, 0, &lr->offset);
    params_choice(&ex->query, "lang", poi_langs, 0, &lang);
    params_choice(&ex->query, "status", statuses, 0, &status);
    if (has_near && lr->offset + lr->limit > POI_NEAR_MAX)
        params_error(&ex->query, "offset",
                     exchange_printf(ex, "at most %ld with near= and limit=%ld (near= lists the "
                                     "%d nearest)", POI_NEAR_MAX - lr->limit, lr->limit,
                                     POI_NEAR_MAX),
                     params_get(&ex->query, "offset"));
    if (respond_params_problem(ex->req, &ex->query))
        return;
    lr->restricted = strcmp(status, "published") != 0;
    if (lr->restricted && ex->who.rank < 2) { /* no query needed to know */
        poi_forbidden(ex);
        return;
    }

    const char *b[4] = {NULL, NULL, NULL, NULL};
    if (has_bbox) {
        for (int i = 0; i < 4; i++)
            b[i] = exchange_printf(ex, "%.9f", bbox[i]);
        geojson_page_keep(ex, lr->page, "bbox", exchange_printf(ex, "%.9g,%.9g,%.9g,%.9g", bbox[0],
                                                    bbox[1], bbox[2], bbox[3]));
    }
    geojson_page_keep(ex, lr->page, "q", q);
    geojson_page_keep(ex, lr->page, "category", params_get(&ex->query, "category"));
    geojson_page_keep(ex, lr->page, "near", params_get(&ex->query, "near"));
    geojson_page_keep(ex, lr->page, "lang", params_get(&ex->query, "lang"));
    geojson_page_keep(ex, lr->page, "status", params_get(&ex->query, "status"));
    geojson_page_keep(ex, lr->page, "limit", exchange_printf(ex, "%ld", lr->limit));
    ex->handler_data = lr;

    const char *st = strcmp(status, "all") ? status : NULL;
    const char *off = exchange_printf(ex, "%ld", lr->offset);
    const char *lim = exchange_printf(ex, "%ld", lr->limit);
    if (has_near) {
        const char *args[POI_NEAR_NPARAMS] = {
            [POI_NEAR_P_Q] = q,          [POI_NEAR_P_STATUS] = st,
            [POI_NEAR_P_CATEGORIES] = cats,
            [POI_NEAR_P_LAT] = exchange_printf(ex, "%.9f", lat),
            [POI_NEAR_P_LON] = exchange_printf(ex, "%.9f", lon),
            [POI_NEAR_P_LANG] = lang,    [POI_NEAR_P_OFFSET] = off,
            [POI_NEAR_P_LIMIT] = lim,
        };
        memcpy(&args[POI_NEAR_P_BBOX], b, sizeof b);
        poi_editor_args(ex, &args[POI_NEAR_P_EDITOR]);
        exchange_query_prepared(ex, q ? POI_NEAR_Q_SQL : POI_NEAR_SQL, POI_NEAR_NPARAMS, args,
                              list_done);
    } else if (q) {
        const char *args[POI_SEARCH_NPARAMS] = {
            [POI_SEARCH_P_Q] = q,       [POI_SEARCH_P_STATUS] = st,
            [POI_SEARCH_P_CATEGORIES] = cats,
            [POI_SEARCH_P_LANG] = lang, [POI_SEARCH_P_OFFSET] = off,
            [POI_SEARCH_P_LIMIT] = lim,
        };
        memcpy(&args[POI_SEARCH_P_BBOX], b, sizeof b);
        poi_editor_args(ex, &args[POI_SEARCH_P_EDITOR]);
        exchange_query_prepared(ex, POI_SEARCH_SQL, POI_SEARCH_NPARAMS, args, list_done);
    } else {
        const char *args[POI_LIST_NPARAMS] = {
            [POI_LIST_P_STATUS] = st,  [POI_LIST_P_CATEGORIES] = cats,
            [POI_LIST_P_LANG] = lang,  [POI_LIST_P_OFFSET] = off,
            [POI_LIST_P_LIMIT] = lim,
        };
        memcpy(&args[POI_LIST_P_BBOX], b, sizeof b);
        poi_editor_args(ex, &args[POI_LIST_P_EDITOR]);
        exchange_query_prepared(ex, POI_LIST_SQL, POI_LIST_NPARAMS, args, list_done);
    }
}

/* ---- statements on one POI (enum poi_one_param) ---- */

/* Runs sql on the POI id with value ($2), EDITOR and, when it writes,
 * ACTOR. */
static void query_one(struct exchange *ex, const char *sql, const char *id, const char *value,
                      int writes, exchange_result_cb done)
{
    const char *args[POI_ONE_WRITE_NPARAMS] = {[POI_ONE_P_ID] = id, [POI_ONE_P_VALUE] = value};
    poi_editor_args(ex, &args[POI_ONE_P_EDITOR]);
    if (writes)
        actor_args(ex, &args[POI_ONE_P_ACTOR]);
    exchange_query_prepared(ex, sql, writes ? POI_ONE_WRITE_NPARAMS : POI_ONE_READ_NPARAMS, args,
                            done);
}

/* ---- GET /api/v1/pois/{id} ---- */

static void get_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure_or_missing(ex->req, res, POI_MISSING, ex->path_params[0]))
        return;
    respond_column(ex->req, 200, CT_GEOJSON, res, POI_GET_FEATURE);
}

void api_pois_get(struct exchange *ex)
{
    static const char *const allowed[] = {"lang", NULL};
    const char *lang = "el";
    params_allow_only(&ex->query, allowed);
    params_choice(&ex->query, "lang", poi_langs, 0, &lang);
    const char *id = poi_id_of_path(ex);
    if (id)
        query_one(ex, POI_GET_SQL, id, lang, 0, get_done);
}

/* ---- checking a POI body ---- */

/* Member name of f when it holds a value to check; NULL when it is absent
 * or null (on update a null clears the column: it goes to out as is). */
static json_t *optional_member(struct fields *f, json_t *out, const char *name, int creating)
{
    json_t *v = json_object_get(f->obj, name);
    if (v && json_is_null(v)) {
        if (!creating)
            json_object_set_new(out, name, json_null());
        return NULL;
    }
    return v;
}

/* Copies member name of f into out when it is a valid string; a null
 * clears it on update, and is an error for a required member. Returns the
 * string or NULL. */
static const char *take_string(struct fields *f, json_t *out, const char *name, size_t max,
                               int required, int creating)
{
    json_t *v = required ? json_object_get(f->obj, name) : optional_member(f, out, name, creating);
    const char *s = NULL;
    if ((v || required) && field_string(f, name, 1, max, required && (creating || v), &s) == 1)
        json_object_set(out, name, v);
    return s;
}

/* A map of translations (api/lang_map.h). */
static void take_lang_map(struct fields *f, json_t *out, const char *name, size_t max,
                          int creating)
{
    json_t *v = optional_member(f, out, name, creating);
    if (v && lang_map_check(&f->errors, name, v, max) == 0)
        json_object_set(out, name, v);
}

/* {"wheelchair": true, ...}: flags (a-z, 0-9, _) to booleans. */
static void take_flags(struct fields *f, json_t *out, const char *name, int creating)
{
    json_t *v = optional_member(f, out, name, creating);
    if (!v)
        return;
    const char *expected = "an object of at most 30 flags (like wheelchair) to true or false";
    if (!json_is_object(v) || json_object_size(v) > 30) {
        field_error_append(&f->errors, name, expected, "not such an object");
        return;
    }
    const char *key;
    json_t *flag;
    json_object_foreach(v, key, flag) {
        if (!poi_code_ok(key) || !json_is_boolean(flag)) {
            field_error_append(&f->errors, name, expected, key);
            return;
        }
    }
    json_object_set(out, name, v);
}

static int website_ok(const char *s)
{
    const char *host = !strncmp(s, "https://", 8) ? s + 8 : !strncmp(s, "http://", 7) ? s + 7
                                                                                       : NULL;
    if (!host || !*host || *host == '/' || *host == ':')
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            return 0;
    return 1;
}

static int phone_ok(const char *s)
{
    size_t digits = 0;
    for (const char *p = s; *p; p++)
        digits += *p >= '0' && *p <= '9';
    return digits >= 3 && strspn(s, "0123456789 +-()./") == strlen(s);
}

/* Checks every writable member; errors go to f->errors. Returns the members
 * to store (new reference). */
static json_t *read_poi(struct fields *f, int creating)
{
    static const char *const allowed[] = {
        "category", "name_el",  "name_en",       "names",        "description_el",
        "description_en", "descriptions", "address", "phone",    "website",
        "opening_hours",  "accessibility", "tags",   "geometry", NULL};
    fields_allow_only(f, allowed);
    json_t *out = json_object();
    const char *s;
    if ((s = take_string(f, out, "category", 40, 1, creating)) && !poi_code_ok(s))
        field_error_append(&f->errors, "category", "a category code (2 to 40 of a-z, 0-9, _)",
                           s);
    take_string(f, out, "name_el", 300, 1, creating);
    take_string(f, out, "name_en", 300, 0, creating);
    take_lang_map(f, out, "names", 300, creating);
    take_string(f, out, "description_el", 20000, 0, creating);
    take_string(f, out, "description_en", 20000, 0, creating);
    take_lang_map(f, out, "descriptions", 20000, creating);
    take_string(f, out, "address", 300, 0, creating);
    if ((s = take_string(f, out, "phone", 40, 0, creating)) && !phone_ok(s))
        field_error_append(&f->errors, "phone", "digits, spaces and + - ( ) . / only", s);
    if ((s = take_string(f, out, "website", 500, 0, creating)) && !website_ok(s))
        field_error_append(&f->errors, "website", "an http:// or https:// address", s);
    if ((s = take_string(f, out, "opening_hours", 500, 0, creating))) {
        char err[256];
        if (opening_hours_check(s, err, sizeof err))
            field_error_append(&f->errors, "opening_hours",
                               "OSM opening_hours, such as Mo-Fr 09:00-17:00; Sa 10:00-14:00",
                               err);
    }
    take_flags(f, out, "accessibility", creating);
    json_t *tags = json_object_get(f->obj, "tags");
    const char *items[30];
    size_t n;
    if (tags && json_is_null(tags) && !creating)
        json_object_set_new(out, "tags", json_null());
    else if (field_string_array(f, "tags", 0, 30, 40, 0, items, &n) == 1)
        json_object_set(out, "tags", tags);
    json_t *g = json_object_get(f->obj, "geometry");
    if (!g || json_is_null(g)) {
        if (creating || g)
            field_error_append(&f->errors, "geometry", "a GeoJSON Point, Polygon or MultiPolygon",
                               "nothing (the field is required)");
    } else {
        const char *problem =
            geojson_shape_problem(g, GEOJSON_POINT | GEOJSON_POLYGON | GEOJSON_MULTIPOLYGON);
        if (problem)
            field_error_append(&f->errors, "geometry", problem,
                               json_is_object(g) ? "another object" : "not an object");
        else
            json_object_set(out, "geometry", g);
    }
    if (!creating && json_object_size(f->obj) == 0)
        field_error_append(&f->errors, "body", "at least one member to change",
                           "an empty object");
    return out;
}

/* ---- POST /api/v1/pois, PATCH /api/v1/pois/{id} ---- */

struct poi_write {
    struct fields f;
    int creating;
};

static void write_done(struct exchange *ex, PGresult *res)
{
    if (row_refused_or_missing(ex, res, POI_WRITE_EDITOR, POI_WRITE_FOUND, poi_forbidden,
                               poi_not_found))
        return;
    struct poi_write *w = ex->handler_data;
    if (PQgetvalue(res, 0, POI_WRITE_CATEGORY_KNOWN)[0] != 't')
        field_error_append(&w->f.errors, "category",
                           "the code of an active POI category (GET /api/v1/poi-categories)",
                           json_string_value(json_object_get(w->f.obj, "category")));
    if (PQgetvalue(res, 0, POI_WRITE_GEOMETRY_VALID)[0] != 't')
        field_error_append(&w->f.errors, "geometry",
                           "a valid geometry (no self-intersection, rings that close properly)",
                           PQgetvalue(res, 0, POI_WRITE_GEOMETRY_PROBLEM));
    if (fields_reject(ex, &w->f))
        return;
    if (w->creating) {
        json_t *poi = json_loads(PQgetvalue(res, 0, POI_WRITE_POI), 0, NULL);
        json_int_t id = json_integer_value(json_object_get(poi, "id"));
        json_decref(poi);
        respond_header(ex->req, "location",
                       exchange_url(ex, exchange_printf(ex, "/api/v1/pois/%lld", (long long)id)));
    }
    respond_column(ex->req, w->creating ? 201 : 200, CT_GEOJSON, res, POI_WRITE_POI);
}

/* Parses and checks the body; NULL after answering. */
static struct poi_write *begin_write(struct exchange *ex, int creating, const char **poi_json)
{
    struct poi_write *w = BODY_PARSE_RECORD(ex, struct poi_write, NULL); /* read_poi checks */
    if (!w)
        return NULL;
    w->creating = creating;
    json_t *out = read_poi(&w->f, creating);
    char *text = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    *poi_json = exchange_strdup(ex, text ? text : "{}");
    free(text);
    if (fields_reject(ex, &w->f))
        return NULL;
    return w;
}

void api_pois_create(struct exchange *ex)
{
    const char *poi;
    if (!begin_write(ex, 1, &poi))
        return;
    const char *args[POI_CREATE_NPARAMS] = {[POI_CREATE_P_POI] = poi};
    poi_editor_args(ex, &args[POI_CREATE_P_EDITOR]);
    actor_args(ex, &args[POI_CREATE_P_ACTOR]);
    exchange_query_prepared(ex, POI_CREATE_SQL, POI_CREATE_NPARAMS, args, write_done);
}

void api_pois_update(struct exchange *ex)
{
    const char *id = poi_id_of_path(ex), *poi;
    if (id && begin_write(ex, 0, &poi))
        query_one(ex, POI_UPDATE_SQL, id, poi, 1, write_done);
}

/* ---- POST /api/v1/pois/{id}/publish | archive | draft ---- */

static void transition_done(struct exchange *ex, PGresult *res)
{
    if (row_refused_or_missing(ex, res, POI_TRANSITION_EDITOR, POI_TRANSITION_FOUND,
                               poi_forbidden, poi_not_found))
        return;
    respond_column(ex->req, 200, CT_GEOJSON, res, POI_TRANSITION_POI);
}

static void transition(struct exchange *ex, const char *to)
{
    static const char *const allowed[] = {NULL};
    params_allow_only(&ex->query, allowed);
    const char *id = poi_id_of_path(ex);
    if (id)
        query_one(ex, POI_TRANSITION_SQL, id, to, 1, transition_done);
}

void api_pois_publish(struct exchange *ex)
{
    transition(ex, "published");
}

void api_pois_archive(struct exchange *ex)
{
    transition(ex, "archived");
}

void api_pois_draft(struct exchange *ex)
{
    transition(ex, "draft");
}
