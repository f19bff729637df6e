/* Messages on a report between its reporter and the department: the
 * reporter (signed in, or anonymous with the report's secret), staff of the report's
 * department and admins write and read the thread; anyone else gets 404
 * when the report is hidden from them (private category), 401 when they are
 * anonymous and 403 otherwise. A message lands in the other party's inbox
 * in the statement that stores it (sql/014_report_messages.sql). Citizens
 * see staff messages as from the department, never the employee's name. */
#include "auth/token.h"
#include "gis/report_messages_sql.h"
#include "api/api.h"
#include "http/body.h"
#include "http/identity.h"
#include "api/report_access.h"
#include "http/respond.h"

#include <stdlib.h>
#include <string.h>

/* The report id of the path and the report secret as a digest (NULL when absent);
 * 0 after answering 400. */
static long path_report(struct exchange *ex, const char **digest)
{
    static const char *const allowed[] = {"secret", NULL};
    long id = 0;
    *digest = NULL;
    params_allow_only(&ex->query, allowed);
    if (parse_integer(ex->path_params[0], &id) || id < 1) {
        params_error(&ex->query, "id", "a positive integer report id", ex->path_params[0]);
        id = 0;
    }
    *digest = report_secret_digest(ex);
    return respond_params_problem(ex->req, &ex->query) ? 0 : id;
}

/* Answers 404/401/403 unless the first row of res says the caller is a
 * party of the report; returns 1 when it answered. */
static int refuse_non_party(struct exchange *ex, PGresult *res)
{
    if (PQntuples(res) == 0 || PQgetvalue(res, 0, REPORT_MESSAGE_VISIBLE)[0] != 't') {
        report_not_found(ex);
        return 1;
    }
    if (PQgetvalue(res, 0, REPORT_MESSAGE_PARTY)[0] == 't')
        return 0;
    if (!ex->who.user_id)
        respond_problem(ex->req, 401, "about:blank", "Unauthorized", NULL,
                        "sign in as the reporter or department staff, or give the report's "
                        "secret (X-Report-Secret header), to use the messages of report %s",
                        ex->path_params[0]);
    else
        respond_problem(ex->req, 403, "about:blank", "Forbidden", NULL,
                        "only the reporter, staff of the report's department and admins may "
                        "use the messages of report %s",
                        ex->path_params[0]);
    return 1;
}

/* ---- POST /api/v1/reports/{id}/messages ---- */

static void posted(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res) || refuse_non_party(ex, res))
        return;
    const char *id = PQgetvalue(res, 0, REPORT_MESSAGE_POST_ID);
    respond_header(ex->req, "location",
                   exchange_url(ex, exchange_printf(ex, "/api/v1/reports/%s/messages",
                                                    ex->path_params[0])));
    respond_json(ex->req, 201,
                 json_pack("{s:I,s:s,s:s}", "id", (json_int_t)atoll(id), "at",
                           PQgetvalue(res, 0, REPORT_MESSAGE_POST_AT), "from",
                           PQgetvalue(res, 0, REPORT_MESSAGE_POST_FROM)));
}

/* Characters of UTF-8 text (jansson has checked it is valid). */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

void api_reports_message_post(struct exchange *ex)
{
    static const char *const allowed[] = {"body", NULL};
    const char *digest;
    long id = path_report(ex, &digest);
    if (!id)
        return;
    struct fields *f = body_parse_record(ex, sizeof *f, allowed); /* the body is all it needs */
    if (!f)
        return;
    const char *text = NULL;
    if (field_string(f, "body", 1, REPORT_MESSAGE_MAX_CHARS * 4, 1, &text) == 1) {
        size_t n = utf8_chars(text);
        if (n > REPORT_MESSAGE_MAX_CHARS)
            field_error_append(&f->errors, "body", "a message of 1 to 5000 characters",
                               exchange_printf(ex, "%zu characters", n));
        else if (strspn(text, " \t\r\n") == strlen(text))
            field_error_append(&f->errors, "body", "a message of 1 to 5000 characters",
                               "only white space");
    }
    if (fields_reject(ex, f))
        return;
    const char *args[REPORT_MESSAGE_POST_NPARAMS] = {[REPORT_MESSAGE_P_BODY] = text};
    report_reader_args(ex, id, digest, args);
    exchange_query_prepared(ex, REPORT_MESSAGE_POST_SQL, REPORT_MESSAGE_POST_NPARAMS, args, posted);
}

/* ---- GET /api/v1/reports/{id}/messages ---- */

static void listed(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res) || refuse_non_party(ex, res))
        return;
    respond_column(ex->req, 200, CT_JSON, res, REPORT_MESSAGE_LIST_THREAD);
}

void api_reports_messages_list(struct exchange *ex)
{
    const char *digest;
    long id = path_report(ex, &digest);
    if (!id)
        return;
    const char *args[REPORT_MESSAGE_LIST_NPARAMS];
    report_reader_args(ex, id, digest, args);
    exchange_query_prepared(ex, REPORT_MESSAGE_LIST_SQL, REPORT_MESSAGE_LIST_NPARAMS, args, listed);
}
