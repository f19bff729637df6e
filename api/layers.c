/* GET /api/v1/layers: the layer catalogue (imported layers with their
 * titles, extent, attribute schema); staff-only layers for staff and admins. */
#include "gis/ogc_sql.h"
#include "api/api.h"
#include "http/respond.h"

static void layers_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    const char *list = PQgetvalue(res, 0, LAYERS_LIST_JSON);
    const char *body = exchange_printf(ex, "{\"layers\":%s}", list);
    respond_bytes(ex->req, 200, CT_JSON, body, strlen(body));
}

void api_layers_list(struct exchange *ex)
{
    static const char *const allowed[] = {NULL};
    params_allow_only(&ex->query, allowed);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *args[] = {ex->who.rank >= 2 ? "t" : "f"};
    exchange_query(ex, LAYERS_LIST_SQL, 1, args, layers_done);
}
