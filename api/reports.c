/* Citizen reports: file one (routed by its point and category) and read
 * one or its timeline. Lists and nearby reports are in reports_list.c,
 * support in report_support.c, the workflow in report_transitions.c.
 * Personal data is shown to the reporter, staff of the report's department
 * and admins only; the SQL decides per row (gis/reports_sql.h). */
#include "auth/token.h"
#include "gis/geocode_pick.h"
#include "gis/geocode_sql.h"
#include "gis/report_attributes.h"
#include "gis/reports_sql.h"
#include "api/api.h"
#include "api/geocode.h"
#include "common/stringify.h"
#include "http/body.h"
#include "http/identity.h"
#include "api/report_access.h"
#include "api/report_idempotency.h"
#include "api/reports_shared.h"
#include "http/accept_language.h"
#include "http/respond.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DESCRIPTION_MAX 5000

/* The report id of the path, or 0 after answering 400. */
long path_report_id(struct exchange *ex)
{
    long id;
    if (!params_path_id(&ex->query, "id", ex->path_params[0], "report", &id))
        return id;
    respond_params_problem(ex->req, &ex->query);
    return 0;
}

/* A JSON number in [min, max]; errors like field_string's. */
/* ---- POST /api/v1/reports ---- */

struct new_report {
    struct fields f;
    const char *category, *description, *address, *name, *email, *phone;
    const char *language; /* of mail to an anonymous reporter; NULL: from Accept-Language */
    double lat, lon;
    int geocode;            /* no lat and lon: the address places the report */
    const char **args;      /* REPORT_CREATE_SQL's, in the request pool */
    int sends;              /* of REPORT_CREATE_SQL so far */
    char secret[TOKEN_TEXT_MAX + 1];
    struct idempotency idem; /* idem.key NULL without an Idempotency-Key */
};

static void create_done(struct exchange *ex, PGresult *res);

/* Sends REPORT_CREATE_SQL with the filing's parameters. */
static void file_report(struct exchange *ex)
{
    struct new_report *nr = ex->handler_data;
    nr->sends++;
    exchange_query_prepared(ex, REPORT_CREATE_SQL, REPORT_CREATE_NPARAMS, nr->args, create_done);
}

/* The answers of a statement that filed nothing: the category, the extra
 * fields and the point as REPORT_CREATE_SQL found them (a 4xx naming what is
 * wrong); when all pass, the category has extra fields the answers now
 * passed: file again against exactly those fields. */
static void create_checked(struct exchange *ex, PGresult *res)
{
    struct new_report *nr = ex->handler_data;
    const char *fields_text = PQgetvalue(res, 0, REPORT_CREATE_FIELDS);
    if (PQgetisnull(res, 0, REPORT_CREATE_CATEGORY_ID)) {
        field_error_append(&nr->f.errors, "category", "the code of a report category (GET "
                           "/api/v1/categories)", nr->category);
    } else if (PQgetvalue(res, 0, REPORT_CREATE_ACTIVE)[0] != 't') {
        field_error_append(&nr->f.errors, "category", "an active category; this one is no "
                           "longer accepted", nr->category);
    } else {
        json_t *fields = json_loads(fields_text, 0, NULL);
        attr_values_check(fields, json_object_get(nr->f.obj, "attributes"), &nr->f.errors);
        json_decref(fields);
    }
    if (nr->f.errors) {
        fields_reject(ex, &nr->f);
        return;
    }
    const char *where = report_point_outside(ex, res);
    if (where) {
        json_t *errors = NULL;
        field_error_append(&errors, "lat", "a point in the served municipality", where);
        respond_problem(ex->req, 422, "/problems/outside-served-area", "Outside the served area",
                        errors, "outside the served area: the point is %s", where);
        return;
    }
    if (nr->sends > 2) { /* its fields changed twice while it was filed */
        json_t *errors = NULL;
        field_error_append(&errors, "category", "a category that stays the same while the "
                           "report is filed", nr->category);
        respond_problem(ex->req, 422, "/problems/invalid-body", "Invalid request body", errors,
                        "the category was changed while the report was filed; send it again");
        return;
    }
    nr->args[REPORT_CREATE_P_FIELDS_SEEN] = exchange_strdup(ex, fields_text);
    file_report(ex);
}

/* The filing's parameters, once (a second send keeps the secret). Most
 * categories have no extra fields: answers that pass against none are sent
 * as checked against "[]", so that one statement checks and files; others
 * only check first (create_checked). */
static void check_and_file_at_point(struct exchange *ex)
{
    struct new_report *nr = ex->handler_data;
    const char **args = report_create_args(ex, nr->category, nr->lat, nr->lon, nr->secret,
                                           sizeof nr->secret);
    json_t *answers = json_object_get(nr->f.obj, "attributes");
    json_t *none = json_array(), *errors = NULL;
    attr_values_check(none, answers, &errors);
    json_decref(none);
    if (errors)
        json_decref(errors);
    else
        args[REPORT_CREATE_P_FIELDS_SEEN] = "[]";
    char *text = json_dumps(answers ? answers : json_object(), JSON_COMPACT);
    args[REPORT_CREATE_P_ATTRIBUTES] = exchange_strdup(ex, text ? text : "{}");
    free(text);
    args[REPORT_CREATE_P_DESCRIPTION] = nr->description;
    args[REPORT_CREATE_P_ADDRESS] = nr->address;
    args[REPORT_CREATE_P_CONTACT_NAME] = nr->name;
    args[REPORT_CREATE_P_CONTACT_EMAIL] = nr->email;
    args[REPORT_CREATE_P_CONTACT_PHONE] = nr->phone;
    if (nr->language)
        args[REPORT_CREATE_P_CONTACT_LANGUAGE] = nr->language;
    /* media_url stays NULL: photos come through the API, not as links */
    const struct idempotency *idem = &nr->idem;
    if (idem->key) {
        args[REPORT_CREATE_P_IDEM_CALLER] = idem->caller;
        args[REPORT_CREATE_P_IDEM_KEY_DIGEST] = idem->key_digest;
        args[REPORT_CREATE_P_IDEM_REQUEST_HASH] = idem->request_hash;
        args[REPORT_CREATE_P_IDEM_SECRET_BOX] = idempotency_seal(ex, idem, nr->secret);
    }
    nr->args = args;
    file_report(ex);
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
    if (!idempotency_same_request(&nr->idem,
                                  PQgetvalue(res, 0, REPORT_IDEMPOTENCY_FIND_REQUEST_HASH))) {
        json_t *errors = NULL;
        field_error_append(&errors, "Idempotency-Key",
                           "a new key for a new request (a key is kept 24 hours)",
                           exchange_printf(ex, "the key of report %s, filed with another body",
                                           PQgetvalue(res, 0, REPORT_IDEMPOTENCY_FIND_REPORT_ID)));
        respond_problem(ex->req, 422, "/problems/idempotency-key-reused",
                        "Idempotency-Key reused", errors,
                        "this Idempotency-Key was used for another request (report %s) with "
                        "a different body; send the same body to get its answer again, or "
                        "use a new key", PQgetvalue(res, 0, REPORT_IDEMPOTENCY_FIND_REPORT_ID));
        return;
    }
    if (idempotency_open(&nr->idem, PQgetvalue(res, 0, REPORT_IDEMPOTENCY_FIND_SECRET_BOX),
                         nr->secret, sizeof nr->secret)) {
        respond_problem(ex->req, 500, "about:blank", "Internal Server Error", NULL,
                        "the stored answer for this Idempotency-Key could not be read");
        return;
    }
    respond_header(ex->req, "idempotent-replayed", "true");
    created(ex, exchange_strdup(ex, PQgetvalue(res, 0, REPORT_IDEMPOTENCY_FIND_REPORT_ID)),
            exchange_strdup(ex, PQgetvalue(res, 0, REPORT_IDEMPOTENCY_FIND_STATUS)), nr->secret);
}

static void find_idempotency(struct exchange *ex, exchange_result_cb cb)
{
    struct new_report *nr = ex->handler_data;
    const char *args[] = {nr->idem.caller, nr->idem.key_digest};
    exchange_query_prepared(ex, REPORT_IDEMPOTENCY_FIND_SQL, 2, args, cb);
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
    if (PQgetisnull(res, 0, REPORT_CREATE_ID)) {
        create_checked(ex, res);
        return;
    }
    created(ex, PQgetvalue(res, 0, REPORT_CREATE_ID), PQgetvalue(res, 0, REPORT_CREATE_STATUS),
            nr->secret);
}

void api_reports_create(struct exchange *ex)
{
    static const char *const allowed[] = {"category",     "lat",           "lon",
                                          "description",  "address",       "attributes",
                                          "contact_name", "contact_email", "contact_phone",
                                          "language",     NULL};
    struct idempotency idem; /* the key is checked before the body */
    struct new_report *nr;
    if (idempotency_begin(ex, &idem) < 0 ||
        !(nr = BODY_PARSE_RECORD(ex, struct new_report, allowed)))
        return;
    nr->idem = idem;
    struct fields *f = &nr->f;
    field_string(f, "category", 1, 40, 1, &nr->category);
    /* lat and lon place the report; without both the address does */
    int has_lat = field_number(f, "lat", -90, 90, 0, &nr->lat) != 0;
    int has_lon = field_number(f, "lon", -180, 180, 0, &nr->lon) != 0;
    field_string(f, "description", 3, DESCRIPTION_MAX, 1, &nr->description);
    int has_address = field_string(f, "address", 1, 300, 0, &nr->address) == 1;
    nr->geocode = !has_lat && !has_lon;
    if (nr->geocode && !has_address) {
        field_error_append(&f->errors, "lat", "a number from -90 to 90 (or no lat and lon "
                           "and an address to look up)", "nothing (the field is required)");
        field_error_append(&f->errors, "lon", "a number from -180 to 180 (or no lat and lon "
                           "and an address to look up)", "nothing (the field is required)");
    } else if (has_lat != has_lon) {
        field_error_append(&f->errors, has_lat ? "lon" : "lat", "a number, with the other "
                           "coordinate", "nothing (the field is required)");
    } else if (nr->geocode && !geocode_q_valid(nr->address)) {
        field_error_append(&f->errors, "address", "an address of at most "
                           STRINGIFY(GEOCODE_Q_MAX) " characters with a letter or digit, to "
                           "look up when lat and lon are not given", nr->address);
    }
    field_string(f, "contact_name", 1, 200, 0, &nr->name);
    field_email(f, "contact_email", 0, &nr->email);
    field_string(f, "contact_phone", 3, 40, 0, &nr->phone);
    field_language(f, "language", 0, &nr->language);
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

/* The address as the geocoder reads it (gis/geocode_pick.h): one place
 * files there (the address stays as written), none or several is a 422 on
 * address naming them. */
static void create_geocoded(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct new_report *nr = ex->handler_data;
    struct geocode_pick g;
    geocode_pick(PQgetvalue(res, 0, GEOCODE_ANSWER), &g);
    if (g.outcome == GEOCODE_PICK_ONE) {
        nr->lat = g.lat;
        nr->lon = g.lon;
        check_and_file_at_point(ex);
    } else {
        int none = g.outcome == GEOCODE_PICK_NONE;
        json_t *errors = NULL;
        field_error_append(&errors, "address", "an address the geocoder finds at one place "
                           "(GET /api/v1/geocode?q=), or lat and lon",
                           none ? "no address matching it"
                                : exchange_printf(ex, "more than one place: %s", g.candidates));
        respond_problem(ex->req, 422, "/problems/invalid-field", "Invalid field", errors,
                        none ? "address: no address matches '%s'"
                             : "address: '%s' matches more than one place", nr->address);
    }
    geocode_pick_free(&g);
}

/* Checks the category and the point and files (check_and_file_at_point);
 * without a point, looks the address up first (create_geocoded). */
static void check_and_file(struct exchange *ex)
{
    struct new_report *nr = ex->handler_data;
    if (nr->geocode)
        geocode_search(ex, nr->address, NULL, NULL, GEOCODE_PICK_LIMIT, create_geocoded);
    else
        check_and_file_at_point(ex);
}

void report_create_check(struct exchange *ex, const char *category, double lat, double lon,
                         exchange_result_cb cb)
{
    /* REPORT_CREATE_P_FIELDS_SEEN NULL: nothing is filed */
    const char *args[REPORT_CREATE_NPARAMS] = {
        [REPORT_CREATE_P_CATEGORY] = category,
        [REPORT_CREATE_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [REPORT_CREATE_P_LAT] = exchange_printf(ex, "%.9f", lat),
        [REPORT_CREATE_P_LON] = exchange_printf(ex, "%.9f", lon),
    };
    exchange_query_prepared(ex, REPORT_CREATE_SQL, REPORT_CREATE_NPARAMS, args, cb);
}

/* The language of mail to an anonymous reporter when the body names none:
 * the first of el/en in Accept-Language, else Greek. */
static const char *request_language(struct exchange *ex)
{
    ssize_t i = h2o_find_header(&ex->req->headers, H2O_TOKEN_ACCEPT_LANGUAGE, -1);
    const char *lang = i < 0 ? NULL
                             : accept_language_pick(ex->req->headers.entries[i].value.base,
                                                    ex->req->headers.entries[i].value.len);
    return lang ? lang : "el";
}

const char **report_create_args(struct exchange *ex, const char *category, double lat,
                                double lon, char *secret, size_t size)
{
    const char **args = h2o_mem_alloc_pool(&ex->req->pool, REPORT_CREATE_NPARAMS * sizeof *args);
    memset(args, 0, REPORT_CREATE_NPARAMS * sizeof *args);
    token_new(NULL, secret, size);
    char *digest = h2o_mem_alloc_pool(&ex->req->pool, TOKEN_DIGEST_HEX_MAX);
    token_digest_hex(secret, digest);
    args[REPORT_CREATE_P_CATEGORY] = category;
    args[REPORT_CREATE_P_MUNICIPALITY] = ex->app->cfg.municipality;
    args[REPORT_CREATE_P_LAT] = exchange_printf(ex, "%.9f", lat);
    args[REPORT_CREATE_P_LON] = exchange_printf(ex, "%.9f", lon);
    args[REPORT_CREATE_P_USER_ID] =
        ex->who.user_id ? exchange_printf(ex, "%ld", ex->who.user_id) : NULL;
    args[REPORT_CREATE_P_ACTOR_ROLE] = ex->who.role ? ex->who.role : "anonymous";
    args[REPORT_CREATE_P_SECRET_DIGEST] = digest;
    args[REPORT_CREATE_P_CONTACT_LANGUAGE] = request_language(ex);
    return args;
}

const char *report_point_outside(struct exchange *ex, PGresult *res)
{
    if (PQgetisnull(res, 0, REPORT_CREATE_HIT_ID))
        return "not in any municipality";
    if (strcmp(PQgetvalue(res, 0, REPORT_CREATE_HIT_CODE), ex->app->cfg.municipality))
        return exchange_printf(ex, "in %s", PQgetvalue(res, 0, REPORT_CREATE_HIT_NAME));
    return NULL;
}

/* ---- GET /api/v1/reports/{id} and /history ---- */

/* The one row a report read answers with, sent as the content type the
 * handler left in handler_data. */
static void report_read_done(struct exchange *ex, PGresult *res)
{
    if (report_failure_or_missing(ex, res))
        return;
    respond_column(ex->req, 200, ex->handler_data, res, REPORT_READ_BODY);
}

/* Runs sql (enum report_read_param) for the report of the path, as the
 * caller (or the anonymous reporter with the secret) may see it. */
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
    const char *args[REPORT_READ_NPARAMS];
    report_reader_args(ex, id, digest, args);
    ex->handler_data = (void *)content_type;
    exchange_query_prepared(ex, sql, REPORT_READ_NPARAMS, args, report_read_done);
}

void api_reports_get(struct exchange *ex)
{
    report_read(ex, REPORT_GET_SQL, CT_GEOJSON);
}

/* The public timeline; internal notes for the department's staff only. */
void api_reports_history(struct exchange *ex)
{
    report_read(ex, REPORT_HISTORY_SQL, CT_JSON);
}
