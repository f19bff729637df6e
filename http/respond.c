#include "http/respond.h"

#include "http/params.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *reason_phrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return status < 400 ? "OK" : "Error";
    }
}

void respond_header(h2o_req_t *req, const char *name, const char *value)
{
    size_t nlen = strlen(name), vlen = strlen(value);
    char *n = h2o_mem_alloc_pool(&req->pool, nlen);
    memcpy(n, name, nlen);
    h2o_iovec_t v = h2o_strdup(&req->pool, value, vlen);
    h2o_add_header_by_str(&req->pool, &req->res.headers, n, nlen, 1, NULL, v.base, v.len);
}

void respond_bytes(h2o_req_t *req, int status, const char *content_type, const char *body,
                   size_t len)
{
    req->res.status = status;
    req->res.reason = reason_phrase(status);
    req->res.content_length = len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, content_type,
                   strlen(content_type));
    h2o_send_inline(req, body, len);
}

void respond_json(h2o_req_t *req, int status, json_t *obj)
{
    char *text = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
    json_decref(obj);
    if (!text) {
        static const char oom[] = "{\"title\":\"Internal Server Error\",\"status\":500}";
        respond_bytes(req, 500, CT_PROBLEM, oom, sizeof oom - 1);
        return;
    }
    respond_bytes(req, status, CT_JSON, text, strlen(text));
    free(text);
}

void respond_problem(h2o_req_t *req, int status, const char *type, const char *title,
                     json_t *errors, const char *detail_fmt, ...)
{
    char detail[1024];
    va_list ap;
    va_start(ap, detail_fmt);
    vsnprintf(detail, sizeof detail, detail_fmt, ap);
    va_end(ap);
    json_t *p = json_object();
    json_object_set_new(p, "type", json_string(type));
    json_object_set_new(p, "title", json_string(title));
    json_object_set_new(p, "status", json_integer(status));
    json_t *d = json_string(detail);
    json_object_set_new(p, "detail", d ? d : json_string("(detail was not valid UTF-8)"));
    if (errors)
        json_object_set_new(p, "errors", errors);
    char *text = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    if (status == 503)
        respond_header(req, "retry-after", "1");
    respond_bytes(req, status, CT_PROBLEM, text ? text : "{}", text ? strlen(text) : 2);
    free(text);
}

int respond_db_failure(h2o_req_t *req, const PGresult *res)
{
    if (!res) {
        respond_problem(req, 503, "/problems/database-unavailable", "Service Unavailable", NULL,
                        "the database is not reachable at the moment; try again shortly");
        return 1;
    }
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
        return 0;
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (state && !strcmp(state, "57014")) {
        respond_problem(req, 503, "/problems/query-timeout", "Service Unavailable", NULL,
                        "the query took longer than the configured limit "
                        "(POLIS_STATEMENT_TIMEOUT_MS)");
        return 1;
    }
    fprintf(stderr, "polis: query failed (%s): %s", state ? state : "?",
            PQresultErrorMessage(res));
    respond_problem(req, 500, "about:blank", "Internal Server Error", NULL,
                    "the request could not be completed; the error was logged");
    return 1;
}

/* respond_db_failure_or_missing with its detail's arguments as a va_list. */
static int failure_or_missing(h2o_req_t *req, const PGresult *res, const char *detail_fmt,
                              va_list ap) __attribute__((format(printf, 3, 0)));

static int failure_or_missing(h2o_req_t *req, const PGresult *res, const char *detail_fmt,
                              va_list ap)
{
    if (respond_db_failure(req, res))
        return 1;
    if (PQntuples(res) > 0)
        return 0;
    char detail[1024];
    vsnprintf(detail, sizeof detail, detail_fmt, ap);
    respond_problem(req, 404, "about:blank", "Not Found", NULL, "%s", detail);
    return 1;
}

int respond_db_failure_or_missing(h2o_req_t *req, const PGresult *res, const char *detail_fmt, ...)
{
    va_list ap;
    va_start(ap, detail_fmt);
    int answered = failure_or_missing(req, res, detail_fmt, ap);
    va_end(ap);
    return answered;
}

void respond_column(h2o_req_t *req, int status, const char *content_type, const PGresult *res,
                    int column)
{
    respond_bytes(req, status, content_type, PQgetvalue(res, 0, column),
                  (size_t)PQgetlength(res, 0, column));
}

void respond_column_or_missing(h2o_req_t *req, const PGresult *res, const char *content_type,
                               int column, const char *detail_fmt, ...)
{
    va_list ap;
    va_start(ap, detail_fmt);
    int answered = failure_or_missing(req, res, detail_fmt, ap);
    va_end(ap);
    if (!answered)
        respond_column(req, 200, content_type, res, column);
}

void respond_no_content_or_missing(h2o_req_t *req, const PGresult *res, const char *detail_fmt,
                                   ...)
{
    va_list ap;
    va_start(ap, detail_fmt);
    int answered = failure_or_missing(req, res, detail_fmt, ap);
    va_end(ap);
    if (!answered)
        respond_no_content(req);
}

void respond_column_as_member(h2o_req_t *req, const PGresult *res, const char *member,
                              int column)
{
    if (respond_db_failure(req, res))
        return;
    size_t total = strlen(member) + (size_t)PQgetlength(res, 0, column) + 8;
    char *body = h2o_mem_alloc_pool(&req->pool, total);
    int n = snprintf(body, total, "{\"%s\":%s}", member, PQgetvalue(res, 0, column));
    respond_bytes(req, 200, CT_JSON, body, (size_t)n);
}

void respond_invalid_field(h2o_req_t *req, const char *name, const char *expected,
                           const char *found, const char *detail)
{
    json_t *errors = NULL;
    field_error_append(&errors, name, expected, found);
    respond_problem(req, 422, "/problems/invalid-field", "Invalid field", errors, "%s", detail);
}

void respond_no_content(h2o_req_t *req)
{
    respond_bytes(req, 204, CT_JSON, "", 0);
}

void respond_private(h2o_req_t *req)
{
    respond_header(req, "cache-control", "no-store");
}

int respond_params_problem(h2o_req_t *req, struct params *p)
{
    if (!params_failed(p))
        return 0;
    respond_problem(req, 400, "/problems/invalid-parameter", "Invalid query parameter",
                    params_take_errors(p),
                    "one or more query parameters are missing or invalid; see errors");
    return 1;
}

int respond_unwanted_params(h2o_req_t *req, struct params *p)
{
    params_allow_only(p, (const char *const[]){NULL});
    return respond_params_problem(req, p);
}

int respond_bad_path_id(h2o_req_t *req, struct params *p, const char *value, const char *what,
                        long *id)
{
    params_allow_only(p, (const char *const[]){NULL});
    params_path_id(p, "id", value, what, id);
    return respond_params_problem(req, p);
}
