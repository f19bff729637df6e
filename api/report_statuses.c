/* GET /api/v1/report-statuses: every report status in workflow order, with
 * its labels and whether it is open (still needs work). The pages colour
 * and filter with it instead of keeping their own list. */
#include "gis/report_statuses_sql.h"
#include "api/api.h"
#include "http/respond.h"

static void report_statuses_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    const char *list = PQgetvalue(res, 0, REPORT_STATUSES_LIST);
    const char *body = exchange_printf(ex, "{\"statuses\":%s}", list);
    respond_bytes(ex->req, 200, CT_JSON, body, strlen(body));
}

void api_report_statuses_list(struct exchange *ex)
{
    params_allow_only(&ex->query, (const char *const[]){NULL});
    if (respond_params_problem(ex->req, &ex->query))
        return;
    exchange_query_prepared(ex, REPORT_STATUSES_SQL, 0, NULL, report_statuses_done);
}
