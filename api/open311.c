/* Open311 GeoReport v2 under /open311/v2/: discovery, services, service
 * definitions, requests (list, one, create) and tokens, in JSON and XML,
 * with the spec's error format. Requests are polis reports: the same
 * routing, validation (server-side attribute checks) and SQL as
 * /api/v1/reports, and the same rule that private categories' reports never
 * leave the building. Extensions: page and page_size, lang=el|en. */
#include "auth/token.h"
#include "gis/geocode_pick.h"
#include "gis/geocode_sql.h"
#include "gis/open311_sql.h"
#include "gis/report_attributes.h"
#include "gis/reports_sql.h"
#include "gis/rfc3339.h"
#include "gis/translit.h"
#include "api/api.h"
#include "http/identity.h"
#include "api/open311_format.h"
#include "api/reports_shared.h"
#include "http/respond.h"
#include "api/open311_form.h"
#include "api/geocode.h"
#include "common/stringify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define OPEN311_PAGE_SIZE_DEFAULT 50
/* GeoReport v2: "description ... may be up to 4,000 characters" */
#define OPEN311_DESCRIPTION_MAX 4000

struct open311_call {
    enum open311_format format;
    char resource[64];     /* "services", "requests", a code or an id */
    const char *lang;      /* "el" or "en" */
};

static void send_value(struct exchange *ex, const struct open311_call *c, int status,
                       const json_t *value, const char *root)
{
    char *text = open311_render(value, root, c->format);
    const char *type = c->format == OPEN311_XML ? "text/xml; charset=utf-8"
                                                : "application/json; charset=utf-8";
    respond_bytes(ex->req, text ? status : 500, type, text ? text : "", text ? strlen(text) : 0);
    free(text);
}

/* Row 0's column, JSON that PostgreSQL built, as a 200 under root. */
static void send_column(struct exchange *ex, const struct open311_call *c, const PGresult *res,
                        int column, const char *root)
{
    json_t *v = json_loads(PQgetvalue(res, 0, column), 0, NULL);
    send_value(ex, c, 200, v, root);
    json_decref(v);
}

/* The spec's error answer: [{"code": status, "description": "..."}]. */
static void open311_error(struct exchange *ex, const struct open311_call *c, int status,
                          const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void open311_error(struct exchange *ex, const struct open311_call *c, int status,
                          const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    json_t *desc = json_string(text);
    json_t *errors = json_pack("[{s:i,s:o}]", "code", status, "description",
                               desc ? desc : json_string("invalid text"));
    send_value(ex, c, status, errors, "errors");
    json_decref(errors);
}

/* When the query string had errors: 1 after answering 400 with the first
 * one in the spec's format. */
static int open311_params_problem(struct exchange *ex, const struct open311_call *c)
{
    if (!params_failed(&ex->query))
        return 0;
    json_t *e = json_array_get(ex->query.errors, 0);
    open311_error(ex, c, 400, "parameter %s: expected %s, found %s",
                  json_string_value(json_object_get(e, "name")),
                  json_string_value(json_object_get(e, "expected")),
                  json_string_value(json_object_get(e, "found")));
    return 1;
}

/* Database failure in the spec's format (503 or 500). */
static int open311_db_failure(struct exchange *ex, const struct open311_call *c, PGresult *res)
{
    if (res && (PQresultStatus(res) == PGRES_TUPLES_OK || PQresultStatus(res) == PGRES_COMMAND_OK))
        return 0;
    if (!res) {
        respond_header(ex->req, "retry-after", "1");
        open311_error(ex, c, 503, "the database is not reachable at the moment; try again");
    } else {
        fprintf(stderr, "polis: open311 query failed: %s", PQresultErrorMessage(res));
        open311_error(ex, c, 500, "the request could not be completed; the error was logged");
    }
    return 1;
}

/* GeoReport v2 arguments are optional unless said otherwise, and clients
 * send the ones they leave empty as "name=": such an argument is absent. */
static void drop_empty(struct params *p)
{
    int kept = 0;
    for (int i = 0; i < p->n; i++)
        if (*p->items[i].value)
            p->items[kept++] = p->items[i];
    p->n = kept;
}

/* Reads {resource}.json|xml from path parameter i, and the common
 * parameters; answers the error itself and returns NULL when they are bad. */
static struct open311_call *call_begin(struct exchange *ex, int i, const char *const *allowed)
{
    struct open311_call *c = h2o_mem_alloc_pool(&ex->req->pool, sizeof *c);
    memset(c, 0, sizeof *c);
    c->lang = "el";
    if (open311_split_format(ex->path_params[i], c->resource, sizeof c->resource, &c->format)) {
        c->format = OPEN311_JSON;
        open311_error(ex, c, 404, "unknown resource \"%s\": Open311 resources end in .json or .xml",
                      ex->path_params[i]);
        return NULL;
    }
    if (allowed)
        params_allow_only(&ex->query, allowed);
    drop_empty(&ex->query);
    static const char *const langs[] = {"el", "en", NULL};
    params_choice(&ex->query, "lang", langs, 0, &c->lang);
    const char *jurisdiction = params_get(&ex->query, "jurisdiction_id");
    if (open311_params_problem(ex, c))
        return NULL;
    if (jurisdiction && strcmp(jurisdiction, ex->app->cfg.municipality)) {
        open311_error(ex, c, 404, "unknown jurisdiction_id \"%s\"; this server serves %s",
                      jurisdiction, ex->app->cfg.municipality);
        return NULL;
    }
    return c;
}

/* ---- discovery ---- */

static void discovery(struct exchange *ex, struct open311_call *c)
{
    json_t *d = json_pack(
        "{s:s,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:[s,s]}]}", "changeset", "2026-11-23T00:00:00Z",
        "contact", "the municipality's citizen service (see /api/v1)", "key_service",
        "API keys: POST /api/v1/me/keys (scope report) or from the municipality's administrators",
        "endpoints", "specification", "http://wiki.open311.org/GeoReport_v2", "url",
        exchange_url(ex, "/open311/v2"), "changeset", "2026-11-23T00:00:00Z", "type",
        "production", "formats", "text/xml", "application/json");
    send_value(ex, c, 200, d, "discovery");
    json_decref(d);
}

/* ---- services ---- */

static void services_done(struct exchange *ex, PGresult *res)
{
    struct open311_call *c = ex->handler_data;
    if (open311_db_failure(ex, c, res))
        return;
    send_column(ex, c, res, OPEN311_SERVICES_LIST, "services");
}

static void definition_done(struct exchange *ex, PGresult *res)
{
    struct open311_call *c = ex->handler_data;
    if (open311_db_failure(ex, c, res))
        return;
    if (PQntuples(res) == 0) {
        open311_error(ex, c, 404, "there is no service with code \"%s\"", c->resource);
        return;
    }
    send_column(ex, c, res, OPEN311_SERVICE_DEFINITION_JSON, "service_definition");
}

void api_open311_service_definition(struct exchange *ex)
{
    static const char *const allowed[] = {"jurisdiction_id", "lang", NULL};
    struct open311_call *c = call_begin(ex, 0, allowed);
    if (!c)
        return;
    ex->handler_data = c;
    const char *args[] = {ex->app->cfg.municipality, exchange_strdup(ex, c->resource), c->lang};
    exchange_query(ex, OPEN311_SERVICE_DEFINITION_SQL, 3, args, definition_done);
}

/* ---- requests: list and one ---- */

static void requests_done(struct exchange *ex, PGresult *res)
{
    struct open311_call *c = ex->handler_data;
    if (open311_db_failure(ex, c, res))
        return;
    if (PQgetvalue(res, 0, OPEN311_REQUESTS_WINDOW_VALID)[0] != 't') {
        open311_error(ex, c, 400, "start_date and end_date: end_date must follow start_date "
                                  "and the two may be at most 90 days apart");
        return;
    }
    json_t *v = json_loads(PQgetvalue(res, 0, OPEN311_REQUESTS_LIST), 0, NULL);
    if (!strcmp(c->resource, "one") && json_array_size(v) == 0) {
        json_decref(v);
        open311_error(ex, c, 404, "there is no public service request with this id");
        return;
    }
    send_value(ex, c, 200, v, "service_requests");
    json_decref(v);
}

/* "1,2,3" -> "{1,2,3}", or NULL (after answering 400) when it is not a list
 * of ids. */
static const char *id_array(struct exchange *ex, struct open311_call *c, const char *list)
{
    size_t len = strlen(list);
    if (len == 0 || len > 1000 || strspn(list, "0123456789,") != len || list[0] == ',' ||
        list[len - 1] == ',' || strstr(list, ",,")) {
        open311_error(ex, c, 400, "service_request_id: expected ids separated by commas, found "
                                  "\"%.80s\"", list);
        return NULL;
    }
    return exchange_printf(ex, "{%s}", list);
}

/* status: open, closed, or both as a comma-separated list (GeoReport v2:
 * "multiple options can be passed"). NULL when any status will do. */
static const char *status_filter(struct exchange *ex, const char *v)
{
    int open = 0, closed = 0;
    for (const char *p = v; p;) {
        size_t n = strcspn(p, ",");
        if (n == 4 && !memcmp(p, "open", 4)) {
            open = 1;
        } else if (n == 6 && !memcmp(p, "closed", 6)) {
            closed = 1;
        } else {
            params_error(&ex->query, "status", "open, closed, or both separated by a comma", v);
            return NULL;
        }
        p = p[n] ? p + n + 1 : NULL;
    }
    return open && closed ? NULL : open ? "open" : closed ? "closed" : NULL;
}

static void requests_list(struct exchange *ex, struct open311_call *c)
{
    const char *ids = params_get(&ex->query, "service_request_id");
    const char *code = params_get(&ex->query, "service_code");
    const char *start = params_get(&ex->query, "start_date");
    const char *end = params_get(&ex->query, "end_date");
    long page = 1, size = OPEN311_PAGE_SIZE_DEFAULT;
    if (size > ex->app->cfg.page_max)
        size = ex->app->cfg.page_max;
    const char *status = params_get(&ex->query, "status");
    if (status)
        status = status_filter(ex, status);
    params_long(&ex->query, "page", 1, 100000, 0, &page);
    params_long(&ex->query, "page_size", 1, ex->app->cfg.page_max, 0, &size);
    if (start && !rfc3339_valid(start))
        params_error(&ex->query, "start_date", "an RFC 3339 date-time", start);
    if (end && !rfc3339_valid(end))
        params_error(&ex->query, "end_date", "an RFC 3339 date-time", end);
    if (open311_params_problem(ex, c))
        return;
    const char *id_list = NULL;
    if (ids && !(id_list = id_array(ex, c, ids)))
        return;
    ex->handler_data = c;
    const char *args[OPEN311_REQUESTS_NPARAMS] = {
        [OPEN311_REQUESTS_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [OPEN311_REQUESTS_P_IDS] = id_list,
        [OPEN311_REQUESTS_P_SERVICE_CODE] = code,
        [OPEN311_REQUESTS_P_STATUS] = status,
        [OPEN311_REQUESTS_P_START] = start,
        [OPEN311_REQUESTS_P_END] = end,
        [OPEN311_REQUESTS_P_LANG] = c->lang,
        [OPEN311_REQUESTS_P_PAGE_SIZE] = exchange_printf(ex, "%ld", size),
        [OPEN311_REQUESTS_P_OFFSET] = exchange_printf(ex, "%ld", (page - 1) * size),
        [OPEN311_REQUESTS_P_BASE_URL] = exchange_url(ex, ""),
    };
    exchange_query(ex, OPEN311_REQUESTS_SQL, OPEN311_REQUESTS_NPARAMS, args, requests_done);
}

static void request_one(struct exchange *ex, struct open311_call *c, const char *id)
{
    if (strspn(id, "0123456789") != strlen(id) || !*id || strlen(id) > 18) {
        open311_error(ex, c, 404, "there is no service request \"%.40s\"", id);
        return;
    }
    const char *ids = exchange_printf(ex, "{%s}", id); /* id may be c->resource */
    snprintf(c->resource, sizeof c->resource, "one");
    ex->handler_data = c;
    const char *args[OPEN311_REQUESTS_NPARAMS] = {
        [OPEN311_REQUESTS_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [OPEN311_REQUESTS_P_IDS] = ids,
        [OPEN311_REQUESTS_P_LANG] = c->lang,
        [OPEN311_REQUESTS_P_PAGE_SIZE] = "1",
        [OPEN311_REQUESTS_P_OFFSET] = "0",
        [OPEN311_REQUESTS_P_BASE_URL] = exchange_url(ex, ""),
    };
    exchange_query(ex, OPEN311_REQUESTS_SQL, OPEN311_REQUESTS_NPARAMS, args, requests_done);
}

void api_open311_request(struct exchange *ex)
{
    static const char *const allowed[] = {"jurisdiction_id", "lang", NULL};
    struct open311_call *c = call_begin(ex, 0, allowed);
    if (c)
        request_one(ex, c, c->resource);
}

void api_open311_token(struct exchange *ex)
{
    /* requests are created at once, so a token is the request's id */
    static const char *const allowed[] = {"jurisdiction_id", "lang", NULL};
    struct open311_call *c = call_begin(ex, 0, allowed);
    if (c)
        request_one(ex, c, c->resource);
}

/* GET /open311/v2/{discovery|services|requests}.{json|xml} */
void api_open311_get(struct exchange *ex)
{
    static const char *const allowed[] = {"jurisdiction_id", "lang",       "service_request_id",
                                          "service_code",    "start_date", "end_date",
                                          "status",          "page",       "page_size",
                                          NULL};
    struct open311_call *c = call_begin(ex, 0, allowed);
    if (!c)
        return;
    if (!strcmp(c->resource, "discovery")) {
        discovery(ex, c);
    } else if (!strcmp(c->resource, "services")) {
        ex->handler_data = c;
        const char *args[] = {ex->app->cfg.municipality, c->lang};
        exchange_query(ex, OPEN311_SERVICES_SQL, 2, args, services_done);
    } else if (!strcmp(c->resource, "requests")) {
        requests_list(ex, c);
    } else {
        open311_error(ex, c, 404, "unknown resource \"%s\"; this server has discovery, services, "
                                  "requests and tokens", c->resource);
    }
}

/* ---- POST /open311/v2/requests.{json|xml} ---- */

struct open311_post {
    struct open311_call *c;
    struct params form;
    const char *code, *description, *address, *name, *email, *phone, *media_url;
    double lat, lon;
    char secret[TOKEN_TEXT_MAX + 1];
};

static void post_created(struct exchange *ex, PGresult *res)
{
    struct open311_post *p = ex->handler_data;
    if (open311_db_failure(ex, p->c, res))
        return;
    if (PQgetisnull(res, 0, REPORT_CREATE_ID)) {
        open311_error(ex, p->c, 400, "service_code: the service was deactivated or changed "
                                     "meanwhile");
        return;
    }
    const char *id = PQgetvalue(res, 0, REPORT_CREATE_ID);
    respond_header(ex->req, "location",
                   exchange_url(ex, exchange_printf(ex, "/open311/v2/requests/%s.%s", id,
                                                    p->c->format == OPEN311_XML ? "xml" : "json")));
    json_t *v = json_pack("[{s:s,s:s,s:n,s:s}]", "service_request_id", id, "service_notice", "",
                          "account_id", "token", id);
    send_value(ex, p->c, 201, v, "service_requests");
    json_decref(v);
}

static void post_checked(struct exchange *ex, PGresult *res)
{
    struct open311_post *p = ex->handler_data;
    if (open311_db_failure(ex, p->c, res))
        return;
    if (PQgetisnull(res, 0, REPORT_CREATE_CATEGORY_ID) ||
        PQgetvalue(res, 0, REPORT_CREATE_ACTIVE)[0] != 't') {
        open311_error(ex, p->c, 400, "service_code: there is no active service \"%s\" "
                                     "(GET /open311/v2/services.json)", p->code);
        return;
    }
    json_t *fields = json_loads(PQgetvalue(res, 0, REPORT_CREATE_FIELDS), 0, NULL);
    json_t *answers = open311_form_attributes(&p->form, fields);
    json_t *errors = NULL;
    attr_values_check(fields, answers, &errors);
    json_decref(fields);
    if (errors) {
        json_t *e = json_array_get(errors, 0);
        open311_error(ex, p->c, 400, "attribute[%s]: expected %s, found %s",
                      json_string_value(json_object_get(e, "name")) + 11,
                      json_string_value(json_object_get(e, "expected")),
                      json_string_value(json_object_get(e, "found")));
        json_decref(errors);
        json_decref(answers);
        return;
    }
    const char *where = report_point_outside(ex, res);
    if (where) {
        json_decref(answers);
        open311_error(ex, p->c, 400, "lat/long: the point is %s, outside the served area", where);
        return;
    }
    char *text = json_dumps(answers, JSON_COMPACT);
    json_decref(answers);
    /* no Idempotency-Key here: those parameters stay NULL */
    const char **args = report_create_args(ex, p->code, p->lat, p->lon, p->secret,
                                           sizeof p->secret);
    /* the statement checks again and files against exactly these fields */
    args[REPORT_CREATE_P_FIELDS_SEEN] =
        exchange_strdup(ex, PQgetvalue(res, 0, REPORT_CREATE_FIELDS));
    args[REPORT_CREATE_P_DESCRIPTION] = p->description;
    args[REPORT_CREATE_P_ADDRESS] = p->address;
    args[REPORT_CREATE_P_ATTRIBUTES] = exchange_strdup(ex, text ? text : "{}");
    args[REPORT_CREATE_P_CONTACT_NAME] = p->name;
    args[REPORT_CREATE_P_CONTACT_EMAIL] = p->email;
    args[REPORT_CREATE_P_CONTACT_PHONE] = p->phone;
    args[REPORT_CREATE_P_MEDIA_URL] = p->media_url;
    free(text);
    exchange_query_prepared(ex, REPORT_CREATE_SQL, REPORT_CREATE_NPARAMS, args, post_created);
}

/* address_string as the geocoder reads it (gis/geocode_pick.h): one place
 * files there (the text stays the report's address), none or several is a
 * 400 naming them. */
static void post_geocoded(struct exchange *ex, PGresult *res)
{
    struct open311_post *p = ex->handler_data;
    if (open311_db_failure(ex, p->c, res))
        return;
    struct geocode_pick g;
    geocode_pick(PQgetvalue(res, 0, GEOCODE_ANSWER), &g);
    if (g.outcome == GEOCODE_PICK_NONE) {
        open311_error(ex, p->c, 400, "address_string: no address matches '%s'", p->address);
    } else if (g.outcome == GEOCODE_PICK_AMBIGUOUS) {
        open311_error(ex, p->c, 400, "address_string: '%s' matches more than one place: %s; "
                      "add the street number or the area, or give lat and long", p->address,
                      g.candidates);
    } else {
        p->lat = g.lat;
        p->lon = g.lon;
        report_create_check(ex, p->code, p->lat, p->lon, post_checked);
    }
    geocode_pick_free(&g);
}

static void post_validate(struct exchange *ex, int key_found)
{
    struct open311_post *p = ex->handler_data;
    struct open311_call *c = p->c;
    if (!key_found || !ex->who.user_id) {
        open311_error(ex, c, 403, "api_key: a valid API key with the \"report\" scope is "
                                  "required to create service requests");
        return;
    }
    if (!(ex->who.scopes & (SCOPE_REPORT | SCOPE_STAFF))) {
        open311_error(ex, c, 403, "api_key: this key may only read (it lacks the \"report\" "
                                  "scope)");
        return;
    }
    struct params *f = &p->form;
    p->code = params_get(f, "service_code");
    p->description = params_get(f, "description");
    p->address = params_get(f, "address_string");
    p->email = params_get(f, "email");
    p->phone = params_get(f, "phone");
    p->media_url = params_get(f, "media_url");
    const char *first = params_get(f, "first_name"), *last = params_get(f, "last_name");
    if (first || last)
        p->name = exchange_printf(ex, "%s%s%s", first ? first : "", first && last ? " " : "",
                                  last ? last : "");
    /* lat and long place the request; without them address_string does */
    int has_lat = params_get(f, "lat") != NULL, has_long = params_get(f, "long") != NULL;
    int geocode = !has_lat && !has_long;
    const char *problem = NULL;
    if (!p->code || !*p->code)
        problem = "service_code: required (GET /open311/v2/services.json lists them)";
    else if (geocode && !p->address)
        problem = "lat and long, or address_string: required to place the request";
    else if (has_lat != has_long)
        problem = has_lat ? "long: required with lat" : "lat: required with long";
    else if (!geocode && params_double(f, "lat", -90, 90, 1, &p->lat) != 1)
        problem = "lat: expected a number from -90 to 90";
    else if (!geocode && params_double(f, "long", -180, 180, 1, &p->lon) != 1)
        problem = "long: expected a number from -180 to 180";
    else if (geocode && !geocode_q_valid(p->address))
        problem = "address_string: expected an address (a street and number, or a place) of "
                  "at most " STRINGIFY(GEOCODE_Q_MAX) " characters when lat and long are not given";
    else if (!p->description || utf8_chars(p->description) < 3)
        problem = "description: required, 3 to " STRINGIFY(OPEN311_DESCRIPTION_MAX) " characters";
    else if (utf8_chars(p->description) > OPEN311_DESCRIPTION_MAX)
        problem = exchange_printf(ex, "description: at most " STRINGIFY(OPEN311_DESCRIPTION_MAX)
                                  " characters (the GeoReport v2 limit), found %zu",
                                  utf8_chars(p->description));
    else if (p->media_url && (strlen(p->media_url) > 2000 ||
                              (strncmp(p->media_url, "http://", 7) &&
                               strncmp(p->media_url, "https://", 8)) ||
                              strpbrk(p->media_url, " \t\r\n")))
        problem = "media_url: expected an http(s) URL of at most 2000 characters";
    else if ((p->address && strlen(p->address) > 300) || (p->email && strlen(p->email) > 254) ||
             (p->phone && strlen(p->phone) > 40) || (p->name && strlen(p->name) > 200))
        problem = "address_string, email, phone, first_name and last_name: too long";
    if (problem) {
        open311_error(ex, c, 400, "%s", problem);
        return;
    }
    if (geocode)
        geocode_search(ex, p->address, NULL, NULL, GEOCODE_PICK_LIMIT, post_geocoded);
    else
        report_create_check(ex, p->code, p->lat, p->lon, post_checked);
}

static void post_dispose(void *ptr)
{
    json_decref(((struct open311_post *)ptr)->form.errors);
}

void api_open311_post(struct exchange *ex)
{
    struct open311_call *c = call_begin(ex, 0, NULL);
    if (!c)
        return;
    if (strcmp(c->resource, "requests")) {
        open311_error(ex, c, 404, "only requests can be created (POST /open311/v2/requests.%s)",
                      c->format == OPEN311_XML ? "xml" : "json");
        return;
    }
    ssize_t ct = h2o_find_header(&ex->req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    if (ct < 0 || strncasecmp(ex->req->headers.entries[ct].value.base,
                              "application/x-www-form-urlencoded", 33)) {
        open311_error(ex, c, 400, "the body must be application/x-www-form-urlencoded, as the "
                                  "GeoReport v2 spec says");
        return;
    }
    struct open311_post *p = h2o_mem_alloc_shared(&ex->req->pool, sizeof *p, post_dispose);
    memset(p, 0, sizeof *p);
    p->c = c;
    ex->handler_data = p;
    params_parse(&p->form, &ex->req->pool, ex->req->entity.base, ex->req->entity.len);
    const char *unexpected = params_failed(&p->form) ? NULL : open311_form_unexpected(&p->form);
    if (unexpected) {
        open311_error(ex, c, 400, "%s: unknown or repeated parameter", unexpected);
        return;
    }
    if (params_failed(&p->form)) {
        open311_error(ex, c, 400, "too many parameters");
        return;
    }
    drop_empty(&p->form);
    const char *jurisdiction = params_get(&p->form, "jurisdiction_id");
    if (jurisdiction && strcmp(jurisdiction, ex->app->cfg.municipality)) {
        open311_error(ex, c, 404, "unknown jurisdiction_id \"%s\"", jurisdiction);
        return;
    }
    const char *key = params_get(&p->form, "api_key");
    if (ex->who.via == CRED_API_KEY || !key || !*key)
        post_validate(ex, ex->who.via == CRED_API_KEY);
    else
        identity_use_api_key(ex, key, post_validate);
}
