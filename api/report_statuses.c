/* GET /api/v1/report-statuses: every report status in workflow order, with
 * its labels and whether it is open (still needs work). The pages colour
 * and filter with it instead of keeping their own list. */
#include "gis/report_statuses_sql.h"
#include "api/api.h"
#include "http/respond.h"

static void report_statuses_done(struct exchange *ex, PGresult *res)
{
    respond_column_as_member(ex->req, res, "statuses", REPORT_STATUSES_LIST);
}

void api_report_statuses_list(struct exchange *ex)
{
    if (respond_unwanted_params(ex->req, &ex->query))
        return;
    exchange_query_prepared(ex, REPORT_STATUSES_SQL, 0, NULL, report_statuses_done);
}
