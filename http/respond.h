/* Writing responses: JSON bodies, RFC 9457 problem details, plain bytes.
 * Every function sets Content-Length and finishes the response. */
#ifndef POLIS_RESPOND_H
#define POLIS_RESPOND_H

#include <h2o.h>
#include <jansson.h>
#include <libpq-fe.h>

#define CT_JSON "application/json"
#define CT_GEOJSON "application/geo+json"
#define CT_PROBLEM "application/problem+json"

/* Sends body (copied into the request's pool) with the given type. */
void respond_bytes(h2o_req_t *req, int status, const char *content_type, const char *body,
                   size_t len);

/* Serialises obj and sends it; takes ownership of obj. */
void respond_json(h2o_req_t *req, int status, json_t *obj);

/* An RFC 9457 problem. type is a URI reference ("about:blank" for plain HTTP
 * errors); errors (may be NULL, ownership taken) is an array of
 * {"name","expected","found"} field errors. detail is printf-style. */
void respond_problem(h2o_req_t *req, int status, const char *type, const char *title,
                     json_t *errors, const char *detail_fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* 503 when the database could not be reached (res NULL) or timed out,
 * 500 for any other query error (logged with the SQL state). Returns 1 when
 * it answered, 0 when res is a successful result the caller should use. */
int respond_db_failure(h2o_req_t *req, const PGresult *res);

/* For a handler that reads one row: answers like respond_db_failure, or 404
 * with the printf-style detail when res has no row. Returns 1 when it
 * answered, 0 when row 0 is there to use. */
int respond_db_failure_or_missing(h2o_req_t *req, const PGresult *res, const char *detail_fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sends the text PostgreSQL built in row 0, column `column` of res. */
void respond_column(h2o_req_t *req, int status, const char *content_type, const PGresult *res,
                    int column);

/* For a handler that reads one row: row 0's column as a 200 body of the
 * given type; or the answer of respond_db_failure_or_missing. */
void respond_column_or_missing(h2o_req_t *req, const PGresult *res, const char *content_type,
                               int column, const char *detail_fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* For a write on one row: 204 when res has a row; or the answer of
 * respond_db_failure_or_missing. */
void respond_no_content_or_missing(h2o_req_t *req, const PGresult *res, const char *detail_fmt,
                                   ...) __attribute__((format(printf, 3, 4)));

/* 200 {"<member>": <row 0's column>}: a list PostgreSQL built as a JSON
 * array, named, or the failure when res is not a result to use. */
void respond_column_as_member(h2o_req_t *req, const PGresult *res, const char *member,
                              int column);

/* 422 invalid-field with one field error {name, expected, found}. */
void respond_invalid_field(h2o_req_t *req, const char *name, const char *expected,
                           const char *found, const char *detail);

/* An empty 204 answer. */
void respond_no_content(h2o_req_t *req);

/* Cache-Control: no-store, for answers about the caller's own account. */
void respond_private(h2o_req_t *req);

/* Adds a response header (name and value copied). */
void respond_header(h2o_req_t *req, const char *name, const char *value);

struct params;
/* When p holds errors: answers 400 with them (problem type invalid-parameter)
 * and returns 1; otherwise returns 0. */
int respond_params_problem(h2o_req_t *req, struct params *p);

/* For a route that takes no query parameters: answers 400 naming each one
 * given and returns 1; returns 0 when there are none. */
int respond_unwanted_params(h2o_req_t *req, struct params *p);

/* For a route whose only input is the id in its path (value): answers 400
 * when a query parameter is given or value is not a positive integer
 * (expecting "a positive integer <what> id", see params_path_id) and
 * returns 1; otherwise sets *id and returns 0. */
int respond_bad_path_id(h2o_req_t *req, struct params *p, const char *value, const char *what,
                        long *id);

#endif
