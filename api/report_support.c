/* Supporting a report ("me too"): one support per account; the supporter
 * follows the report (gis/reports_sql.h REPORT_SUPPORT_SQL). */
#include "gis/reports_sql.h"
#include "api/api.h"
#include "http/identity.h"
#include "api/report_access.h"
#include "api/reports_shared.h"
#include "http/respond.h"

#include <stdlib.h>

/* ---- POST /api/v1/reports/{id}/support ---- */

static void support_done(struct exchange *ex, PGresult *res)
{
    if (report_failure_or_missing(ex, res))
        return;
    respond_json(ex->req, 200,
                 json_pack("{s:I,s:I,s:b,s:b}", "id",
                           (json_int_t)atoll(PQgetvalue(res, 0, REPORT_SUPPORT_ID)),
                           "support_count",
                           (json_int_t)atoll(PQgetvalue(res, 0, REPORT_SUPPORT_COUNT)),
                           "supported", 1, "new",
                           PQgetvalue(res, 0, REPORT_SUPPORT_NEW)[0] == 't'));
}

void api_reports_support(struct exchange *ex)
{
    _Static_assert(REPORT_SUPPORT_P_REPORT_ID == 0 && REPORT_SUPPORT_NPARAMS == 4,
                   "report_action's parameters");
    report_action(ex, REPORT_SUPPORT_SQL, support_done);
}
