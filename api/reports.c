/* Citizen reports: file one (routed by its point and category), read one or
 * a page of them as GeoJSON, find open ones nearby, support one, move one
 * through the workflow (gis/report_workflow.h) and read its timeline.
 * Personal data is shown to the reporter, staff of the report's department
 * and admins only; the SQL decides per row (gis/reports_sql.h). */
#include "auth/token.h"
#include "gis/report_attributes.h"
#include "gis/report_workflow.h"
#include "gis/reports_sql.h"
#include "gis/rfc3339.h"
#include "gis/translit.h"
#include "api/api.h"
#include "http/body.h"
#include "api/geojson_page.h"
#include "http/identity.h"
#include "api/report_access.h"
#include "api/report_idempotency.h"
#include "http/respond.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DESCRIPTION_MAX 5000
#define COMMENT_MAX 5000
#define NEARBY_RADIUS_DEFAULT_M 50
#define NEARBY_RADIUS_MAX_M 500
#define NEARBY_LIMIT 20
#define SEARCH_MAX 200

/* 1 when the caller acts as staff of department_id (or admin). */
static int acts_for_department(struct exchange *ex, long department_id)
{
    if (ex->who.via == CRED_API_KEY && !(ex->who.scopes & SCOPE_STAFF))
        return 0;
    return identity_in_department(&ex->who, department_id);
}

/* The report id of the path, or 0 after answering 400. */
static long path_report_id(struct exchange *ex)
{
    long id;
    if (parse_integer(ex->path_params[0], &id) || id < 1) {
        params_error(&ex->query, "id", "a positive integer report id", ex->path_params[0]);
        respond_params_problem(ex->req, &ex->query);
        return 0;
    }
    return id;
}

/* A JSON number in [min, max]; errors like field_string's. */
/* ---- POST /api/v1/reports ---- */

struct new_report {
    struct fields f;
    const char *category, *description, *address, *name, *email, *phone;
    double lat, lon;
    const char *attributes; /* JSON text in the request pool */
    char secret[TOKEN_TEXT_MAX + 1];
    struct idempotency idem; /* idem.key NULL without an Idempotency-Key */
};

static void new_report_dispose(void *p)
{
    fields_free(&((struct new_report *)p)->f);
}

static void create_done(struct exchange *ex, PGresult *res);

static void create_checked(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct new_report *nr = ex->handler_data;
    const struct polis_config *cfg = &ex->app->cfg;
    if (PQgetisnull(res, 0, 0)) {
        field_error_append(&nr->f.errors, "category", "the code of a report category (GET "
                           "/api/v1/categories)", nr->category);
    } else if (PQgetvalue(res, 0, 1)[0] != 't') {
        field_error_append(&nr->f.errors, "category", "an active category; this one is no "
                           "longer accepted", nr->category);
    } else {
        json_t *fields = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
        json_t *answers = json_object_get(nr->f.obj, "attributes");
        attr_values_check(fields, answers, &nr->f.errors);
        json_decref(fields);
        char *text = json_dumps(answers ? answers : json_object(), JSON_COMPACT);
        nr->attributes = exchange_strdup(ex, text ? text : "{}");
        free(text);
    }
    if (nr->f.errors) {
        fields_reject(ex, &nr->f);
        return;
    }
    if (PQgetisnull(res, 0, 3) || strcmp(PQgetvalue(res, 0, 4), cfg->municipality)) {
        json_t *errors = NULL;
        const char *where = PQgetisnull(res, 0, 3)
                                ? "not in any municipality"
                                : exchange_printf(ex, "in %s", PQgetvalue(res, 0, 5));
        field_error_append(&errors, "lat", "a point in the served municipality", where);
        respond_problem(ex->req, 422, "/problems/outside-served-area", "Outside the served area",
                        errors, "outside the served area: the point is %s", where);
        return;
    }
    token_new(NULL, nr->secret, sizeof nr->secret);
    char *digest = h2o_mem_alloc_pool(&ex->req->pool, TOKEN_DIGEST_HEX_MAX);
    token_digest_hex(nr->secret, digest);
    const struct idempotency *idem = &nr->idem;
    const char *args[REPORT_CREATE_PARAMS] = {
        PQgetvalue(res, 0, 0),
        exchange_printf(ex, "%.9f", nr->lat),
        exchange_printf(ex, "%.9f", nr->lon),
        nr->description,
        nr->address,
        nr->attributes,
        ex->who.user_id ? exchange_printf(ex, "%ld", ex->who.user_id) : NULL,
        ex->who.role ? ex->who.role : "anonymous",
        nr->name,
        nr->email,
        nr->phone,
        digest,
        exchange_strdup(ex, PQgetvalue(res, 0, 6)),
        NULL, /* media_url: photos come through the API, not as links */
        idem->key ? idem->caller : NULL,
        idem->key ? idem->key_digest : NULL,
        idem->key ? idem->request_hash : NULL,
        idem->key ? idempotency_seal(ex, idem, nr->secret) : NULL,
    };
    args[0] = exchange_strdup(ex, args[0]);
    exchange_query_static(ex, REPORT_CREATE_SQL, REPORT_CREATE_PARAMS, args, create_done);
}

/* The 201 of a new report: Location and the body a retry gets again. */
static void created(struct exchange *ex, const char *id, const char *status, const char *secret)
{
    const char *url = exchange_url(ex, exchange_printf(ex, "/api/v1/reports/%s", id));
    respond_header(ex->req, "location", url);
    respond_json(ex->req, 201,
                 json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)atoll(id), "status", status,
                           "tracking_url", url, "secret", secret));
}

static void check_and_file(struct exchange *ex);

/* The row of an Idempotency-Key used before (REPORT_IDEMPOTENCY_FIND_SQL):
 * the first answer again for the same body, 422 for another body; no row:
 * file the report. */
static void idempotency_found(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct new_report *nr = ex->handler_data;
    if (PQntuples(res) == 0) {
        check_and_file(ex);
        return;
    }
    if (!idempotency_same_request(&nr->idem, PQgetvalue(res, 0, 0))) {
        json_t *errors = NULL;
        field_error_append(&errors, "Idempotency-Key",
                           "a new key for a new request (a key is kept 24 hours)",
                           exchange_printf(ex, "the key of report %s, filed with another body",
                                           PQgetvalue(res, 0, 1)));
        respond_problem(ex->req, 422, "/problems/idempotency-key-reused",
                        "Idempotency-Key reused", errors,
                        "this Idempotency-Key was used for another request (report %s) with "
                        "a different body; send the same body to get its answer again, or "
                        "use a new key", PQgetvalue(res, 0, 1));
        return;
    }
    if (idempotency_open(&nr->idem, PQgetvalue(res, 0, 3), nr->secret, sizeof nr->secret)) {
        respond_problem(ex->req, 500, "about:blank", "Internal Server Error", NULL,
                        "the stored answer for this Idempotency-Key could not be read");
        return;
    }
    respond_header(ex->req, "idempotent-replayed", "true");
    created(ex, exchange_strdup(ex, PQgetvalue(res, 0, 1)),
            exchange_strdup(ex, PQgetvalue(res, 0, 2)), nr->secret);
}

static void find_idempotency(struct exchange *ex, exchange_result_cb cb)
{
    struct new_report *nr = ex->handler_data;
    const char *args[] = {nr->idem.caller, nr->idem.key_digest};
    exchange_query_static(ex, REPORT_IDEMPOTENCY_FIND_SQL, 2, args, cb);
}

/* Answers 201 only now: the INSERT has committed (synchronous_commit on). */
static void create_done(struct exchange *ex, PGresult *res)
{
    struct new_report *nr = ex->handler_data;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (nr->idem.key && state && !strcmp(state, "23505")) {
        /* a request with the same key filed it meanwhile (and committed) */
        find_idempotency(ex, idempotency_found);
        return;
    }
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) {
        json_t *errors = NULL;
        field_error_append(&errors, "category", "an active category", nr->category);
        respond_problem(ex->req, 422, "/problems/invalid-body", "Invalid request body", errors,
                        "the category was deactivated while the report was filed");
        return;
    }
    created(ex, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), nr->secret);
}

void api_reports_create(struct exchange *ex)
{
    static const char *const allowed[] = {"category",     "lat",           "lon",
                                          "description",  "address",       "attributes",
                                          "contact_name", "contact_email", "contact_phone",
                                          NULL};
    struct new_report *nr = h2o_mem_alloc_shared(&ex->req->pool, sizeof *nr, new_report_dispose);
    memset(nr, 0, sizeof *nr);
    ex->handler_data = nr;
    if (idempotency_begin(ex, &nr->idem) < 0 || body_parse_object(ex, &nr->f) < 0)
        return;
    struct fields *f = &nr->f;
    fields_allow_only(f, allowed);
    field_string(f, "category", 1, 40, 1, &nr->category);
    field_number(f, "lat", -90, 90, 1, &nr->lat);
    field_number(f, "lon", -180, 180, 1, &nr->lon);
    field_string(f, "description", 3, DESCRIPTION_MAX, 1, &nr->description);
    field_string(f, "address", 1, 300, 0, &nr->address);
    field_string(f, "contact_name", 1, 200, 0, &nr->name);
    field_email(f, "contact_email", 0, &nr->email);
    field_string(f, "contact_phone", 3, 40, 0, &nr->phone);
    json_t *answers = json_object_get(f->obj, "attributes");
    if (answers && !json_is_object(answers))
        field_error_append(&f->errors, "attributes", "an object {field code: value}",
                           json_is_array(answers) ? "an array" : "not an object");
    if (f->errors) {
        fields_reject(ex, f);
        return;
    }
    if (nr->idem.key)
        find_idempotency(ex, idempotency_found);
    else
        check_and_file(ex);
}

/* Checks the category and the point, then files (create_checked). */
static void check_and_file(struct exchange *ex)
{
    struct new_report *nr = ex->handler_data;
    const char *args[] = {nr->category, ex->app->cfg.municipality,
                          exchange_printf(ex, "%.9f", nr->lat),
                          exchange_printf(ex, "%.9f", nr->lon)};
    exchange_query_static(ex, REPORT_CREATE_CHECK_SQL, 4, args, create_checked);
}

/* ---- GET /api/v1/reports/{id} and /history ---- */

/* The one row a report read answers with, sent as the content type the
 * handler left in handler_data. */
static void report_read_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) {
        report_not_found(ex);
        return;
    }
    respond_bytes(ex->req, 200, ex->handler_data, PQgetvalue(res, 0, 0),
                  (size_t)PQgetlength(res, 0, 0));
}

/* Runs sql ($1 id, $2..$4 VIEWER, $5 secret digest) for the report of the
 * path, as the caller (or the anonymous reporter with the secret) may see it. */
static void report_read(struct exchange *ex, const char *sql, const char *content_type)
{
    static const char *const allowed[] = {"secret", NULL};
    params_allow_only(&ex->query, allowed);
    long id = path_report_id(ex);
    if (!id)
        return;
    const char *digest = report_secret_digest(ex);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *v[3];
    identity_viewer_args(ex, v);
    const char *args[] = {exchange_printf(ex, "%ld", id), v[0], v[1], v[2], digest};
    ex->handler_data = (void *)content_type;
    exchange_query_static(ex, sql, 5, args, report_read_done);
}

void api_reports_get(struct exchange *ex)
{
    report_read(ex, REPORT_GET_SQL, CT_GEOJSON);
}

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
    static const char *const allowed[] = {"bbox",  "status", "category", "department", "since",
                                          "until", "q",      "limit",    "after",      NULL};
    const struct polis_config *cfg = &ex->app->cfg;
    struct geojson_page *page = geojson_page_new(ex, "/api/v1/reports");
    long limit = cfg->page_default;
    double bbox[4];
    long after = 0;
    const char *status = NULL, *category, *department, *since, *until, *text;

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
    params_long(&ex->query, "after", 0, INT64_MAX, 0, &after);
    if (respond_params_problem(ex->req, &ex->query))
        return;

    const char *args[15] = {NULL};
    identity_viewer_args(ex, args);
    if (has_bbox) {
        for (int i = 0; i < 4; i++)
            args[3 + i] = exchange_printf(ex, "%.9f", bbox[i]);
        geojson_page_keep(ex, page, "bbox",
                          exchange_printf(ex, "%.9g,%.9g,%.9g,%.9g", bbox[0], bbox[1], bbox[2],
                                          bbox[3]));
    }
    args[7] = status;
    args[8] = category;
    args[9] = department;
    args[10] = since;
    args[11] = until;
    args[12] = exchange_printf(ex, "%ld", after);
    args[13] = exchange_printf(ex, "%ld", limit);
    args[14] = text;
    geojson_page_keep(ex, page, "status", status);
    geojson_page_keep(ex, page, "category", category);
    geojson_page_keep(ex, page, "department", department);
    geojson_page_keep(ex, page, "since", since);
    geojson_page_keep(ex, page, "until", until);
    geojson_page_keep(ex, page, "q", text);
    geojson_page_keep(ex, page, "limit", args[13]);
    ex->handler_data = page;
    exchange_query_static(ex, REPORT_LIST_SQL, 15, args, geojson_page_done);
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
    const char *args[] = {exchange_printf(ex, "%ld", ex->who.user_id),
                          exchange_printf(ex, "%ld", after), exchange_printf(ex, "%ld", limit)};
    geojson_page_keep(ex, page, "limit", args[2]);
    ex->handler_data = page;
    exchange_query_static(ex, REPORT_MINE_SQL, 3, args, geojson_page_done);
}

/* ---- GET /api/v1/reports/nearby ---- */

static void nearby_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQgetvalue(res, 0, 0)[0] != 't') {
        params_error(&ex->query, "category", "the code of a report category",
                     params_get(&ex->query, "category"));
        respond_params_problem(ex->req, &ex->query);
        return;
    }
    const char *body = exchange_printf(ex, "{\"type\":\"FeatureCollection\",\"features\":%s}",
                                       PQgetvalue(res, 0, 1));
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
    const char *v[3];
    identity_viewer_args(ex, v);
    const char *args[] = {exchange_printf(ex, "%.9f", lat),
                          exchange_printf(ex, "%.9f", lon),
                          category,
                          exchange_printf(ex, "%ld", radius),
                          v[0],
                          v[1],
                          v[2],
                          ex->app->cfg.municipality,
                          exchange_printf(ex, "%d", NEARBY_LIMIT)};
    exchange_query_static(ex, REPORT_NEARBY_SQL, 9, args, nearby_done);
}

/* ---- POST /api/v1/reports/{id}/support ---- */

static void support_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) {
        report_not_found(ex);
        return;
    }
    respond_json(ex->req, 200,
                 json_pack("{s:I,s:I,s:b,s:b}", "id", (json_int_t)atoll(PQgetvalue(res, 0, 0)),
                           "support_count", (json_int_t)atoll(PQgetvalue(res, 0, 1)),
                           "supported", 1, "new", PQgetvalue(res, 0, 2)[0] == 't'));
}

void api_reports_support(struct exchange *ex)
{
    static const char *const allowed[] = {NULL};
    params_allow_only(&ex->query, allowed);
    long id = path_report_id(ex);
    if (!id || respond_params_problem(ex->req, &ex->query))
        return;
    const char *v[3];
    identity_viewer_args(ex, v);
    const char *args[] = {exchange_printf(ex, "%ld", id), v[0], v[1], v[2]};
    exchange_query(ex, REPORT_SUPPORT_SQL, 4, args, support_done);
}

/* ---- POST /api/v1/reports/{id}/transitions ---- */

struct transition {
    struct fields f;
    long id;
    const char *to, *comment, *note, *department;
    long duplicate_of;
    const char *from;
};

static void transition_dispose(void *p)
{
    fields_free(&((struct transition *)p)->f);
}

static void transition_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct transition *t = ex->handler_data;
    if (PQntuples(res) == 0) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "report %ld changed while this transition was made (it was %s); "
                        "read it again and retry", t->id, t->from);
        return;
    }
    respond_json(ex->req, 200,
                 json_pack("{s:I,s:s,s:s,s:s,s:I,s:s}", "id", (json_int_t)t->id, "from",
                           t->from, "status", PQgetvalue(res, 0, 1), "department",
                           PQgetvalue(res, 0, 2), "history_id",
                           (json_int_t)atoll(PQgetvalue(res, 0, 3)), "at",
                           PQgetvalue(res, 0, 4)));
}

/* Decides, with the report as it is now, whether this caller may make this
 * move; the write then only happens if the status is still the same. */
static void transition_loaded(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct transition *t = ex->handler_data;
    if (PQntuples(res) == 0) {
        report_not_found(ex);
        return;
    }
    t->from = exchange_strdup(ex, PQgetvalue(res, 0, 0));
    long department = atol(PQgetvalue(res, 0, 1));
    int is_reporter = !PQgetisnull(res, 0, 2) && atol(PQgetvalue(res, 0, 2)) == ex->who.user_id;
    int is_private = PQgetvalue(res, 0, 3)[0] == 't';
    int reopenable = PQgetvalue(res, 0, 4)[0] == 't';
    int staff = acts_for_department(ex, department);

    if (!staff) {
        if (!is_reporter) {
            /* a private report exists only for its parties: to anyone else,
             * staff of another department and scoped-down keys included, it
             * is the same 404 as a report that does not exist */
            if (is_private) {
                report_not_found(ex);
                return;
            }
            respond_problem(ex->req, 403, "/problems/forbidden", "Forbidden", NULL,
                            "only staff of the report's department, admins and (to reopen it) "
                            "its reporter may change report %ld", t->id);
            return;
        }
        if (!workflow_reporter_may(t->from, t->to) || !reopenable) {
            respond_problem(ex->req, 409, "/problems/illegal-transition", "Illegal transition",
                            NULL,
                            "the reporter may only reopen a resolved report within %d days of "
                            "its resolution; report %ld is %s, asked for %s",
                            REOPEN_DAYS, t->id, t->from, t->to);
            return;
        }
        if (t->note || t->department || t->duplicate_of) {
            respond_problem(ex->req, 403, "/problems/forbidden", "Forbidden", NULL,
                            "internal_note, department and duplicate_of are for staff");
            return;
        }
    } else if (strcmp(t->from, t->to) ? !workflow_staff_may(t->from, t->to)
                                      : !(t->department || t->comment || t->note)) {
        respond_problem(ex->req, 409, "/problems/illegal-transition", "Illegal transition", NULL,
                        "report %ld cannot go from %s to %s", t->id, t->from, t->to);
        return;
    }
    if (t->department && PQgetisnull(res, 0, 5)) {
        field_error_append(&t->f.errors, "department", "the code of a department",
                           t->department);
    }
    if (t->duplicate_of && (PQgetvalue(res, 0, 6)[0] != 't' || t->duplicate_of == t->id))
        field_error_append(&t->f.errors, "duplicate_of", "the id of another existing report",
                           exchange_printf(ex, "%ld", t->duplicate_of));
    if (fields_reject(ex, &t->f))
        return;
    const char *args[] = {exchange_printf(ex, "%ld", t->id),
                          t->from,
                          t->to,
                          t->department ? exchange_strdup(ex, PQgetvalue(res, 0, 5)) : NULL,
                          t->duplicate_of ? exchange_printf(ex, "%ld", t->duplicate_of) : NULL,
                          exchange_printf(ex, "%ld", ex->who.user_id),
                          ex->who.role,
                          t->comment,
                          t->note};
    exchange_query(ex, REPORT_TRANSITION_SQL, 9, args, transition_done);
}

void api_reports_transition(struct exchange *ex)
{
    static const char *const allowed[] = {"to",         "public_comment", "internal_note",
                                          "department", "duplicate_of",   NULL};
    params_allow_only(&ex->query, (const char *const[]){NULL});
    long id = path_report_id(ex);
    if (!id || respond_params_problem(ex->req, &ex->query))
        return;
    struct transition *t = h2o_mem_alloc_shared(&ex->req->pool, sizeof *t, transition_dispose);
    memset(t, 0, sizeof *t);
    t->id = id;
    ex->handler_data = t;
    if (body_parse_object(ex, &t->f) < 0)
        return;
    struct fields *f = &t->f;
    fields_allow_only(f, allowed);
    const char *to = NULL;
    if (field_string(f, "to", 1, 20, 1, &to) == 1) {
        int known = 0;
        for (int i = 0; report_statuses[i]; i++)
            known |= !strcmp(report_statuses[i], to);
        if (!known)
            field_error_append(&f->errors, "to",
                               "one of submitted, acknowledged, in_progress, resolved, "
                               "rejected, duplicate, reopened, closed",
                               to);
    }
    t->to = to;
    field_string(f, "public_comment", 1, COMMENT_MAX, 0, &t->comment);
    field_string(f, "internal_note", 1, COMMENT_MAX, 0, &t->note);
    field_string(f, "department", 1, 40, 0, &t->department);
    long long dup;
    if (field_integer(f, "duplicate_of", 1, LONG_MAX, 0, &dup) == 1)
        t->duplicate_of = (long)dup;
    if (to && !strcmp(to, "duplicate") && !t->duplicate_of && !f->errors)
        field_error_append(&f->errors, "duplicate_of",
                           "the id of the report this one duplicates (required with "
                           "\"to\": \"duplicate\")",
                           "nothing");
    if (to && strcmp(to, "duplicate") && t->duplicate_of)
        field_error_append(&f->errors, "duplicate_of", "nothing unless \"to\" is \"duplicate\"",
                           exchange_printf(ex, "%ld", t->duplicate_of));
    if (fields_reject(ex, f))
        return;
    const char *args[] = {exchange_printf(ex, "%ld", id), t->department,
                          t->duplicate_of ? exchange_printf(ex, "%ld", t->duplicate_of) : NULL,
                          ex->app->cfg.municipality};
    exchange_query(ex, REPORT_TRANSITION_LOAD_SQL, 4, args, transition_loaded);
}

/* The public timeline; internal notes for the department's staff only. */
void api_reports_history(struct exchange *ex)
{
    report_read(ex, REPORT_HISTORY_SQL, CT_JSON);
}
