#include "api/report_access.h"

#include "auth/token.h"
#include "gis/report_messages_sql.h"
#include "gis/reports_sql.h"
#include "http/identity.h"
#include "http/respond.h"

#include <string.h>

/* The header's value in the request pool, or NULL when it is absent. */
static const char *secret_header(struct exchange *ex)
{
    h2o_req_t *req = ex->req;
    ssize_t i = h2o_find_header_by_str(&req->headers, H2O_STRLIT(REPORT_SECRET_HEADER), -1);
    if (i < 0)
        return NULL;
    return h2o_strdup(&req->pool, req->headers.entries[i].value.base,
                      req->headers.entries[i].value.len).base;
}

const char *report_secret_digest(struct exchange *ex)
{
    const char *header = secret_header(ex);
    const char *query = params_get(&ex->query, "secret");
    const char *secret = header ? header : query;
    if (!secret)
        return NULL;
    if (header && query && strcmp(header, query)) {
        params_error(&ex->query, "secret",
                     "the report's secret once (X-Report-Secret header, preferred, or "
                     "?secret=), or the same value in both",
                     "two different secrets");
        return NULL;
    }
    if (!*secret || strlen(secret) > TOKEN_TEXT_MAX) {
        params_error(&ex->query, header ? "X-Report-Secret" : "secret",
                     "the secret given when the report was filed",
                     strlen(secret) > TOKEN_TEXT_MAX ? "a longer text" : secret);
        return NULL;
    }
    char *digest = h2o_mem_alloc_pool(&ex->req->pool, TOKEN_DIGEST_HEX_MAX);
    token_digest_hex(secret, digest);
    return digest;
}

#define REPORT_MISSING "there is no report with id %s (or it is not visible to you)"

void report_not_found(struct exchange *ex)
{
    respond_problem(ex->req, 404, "about:blank", "Not Found", NULL, REPORT_MISSING,
                    ex->path_params[0]);
}

_Static_assert(REPORT_READ_P_REPORT_ID == 0 && REPORT_READ_P_VIEWER == 1 &&
                   REPORT_READ_P_SECRET_DIGEST == 4 && REPORT_READ_NPARAMS == 5,
               "report_reader_args's parameters");
_Static_assert(REPORT_MESSAGE_P_REPORT_ID == 0 && REPORT_MESSAGE_P_VIEWER == 1 &&
                   REPORT_MESSAGE_P_SECRET_DIGEST == 4,
               "report_reader_args's parameters");

void report_reader_args(struct exchange *ex, long id, const char *digest,
                        const char *out[REPORT_READER_NPARAMS])
{
    out[0] = exchange_printf(ex, "%ld", id);
    identity_viewer_args(ex, out + 1);
    out[4] = digest;
}

void report_action(struct exchange *ex, const char *sql, exchange_result_cb done)
{
    long id;
    if (respond_bad_path_id(ex->req, &ex->query, ex->path_params[0], "report", &id))
        return;
    const char *args[4] = {exchange_printf(ex, "%ld", id)};
    identity_viewer_args(ex, args + 1);
    exchange_query(ex, sql, 4, args, done);
}

int report_failure_or_missing(struct exchange *ex, const PGresult *res)
{
    return respond_db_failure_or_missing(ex->req, res, REPORT_MISSING, ex->path_params[0]);
}
