/* GET /api/v1/municipality: the municipality this server serves
 * (POLIS_MUNICIPALITY), with its centre and extent read from its boundary,
 * so that the page opens on it. */
#include "gis/municipality_sql.h"
#include "api/api.h"
#include "http/respond.h"

#include <string.h>

static void municipality_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) {
        respond_problem(ex->req, 404, "/problems/municipality-not-loaded",
                        "Served municipality not loaded", NULL,
                        "expected a boundary of the served municipality (POLIS_MUNICIPALITY=%s) "
                        "among the municipalities, found none; import the boundaries first",
                        ex->app->cfg.municipality);
        return;
    }
    respond_header(ex->req, "cache-control", "public, max-age=300");
    respond_column(ex->req, 200, CT_JSON, res, MUNICIPALITY_GET_JSON);
}

void api_municipality(struct exchange *ex)
{
    if (respond_unwanted_params(ex->req, &ex->query))
        return;
    const char *args[] = {ex->app->cfg.municipality};
    exchange_query_prepared(ex, MUNICIPALITY_GET_SQL, 1, args, municipality_done);
}
