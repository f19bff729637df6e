/* GET /api/v1/layers: the layer catalogue (imported layers with their
 * titles, extent, attribute schema); staff-only layers for staff and admins. */
#include "gis/layer_catalogue_sql.h"
#include "api/api.h"
#include "http/identity.h"
#include "http/respond.h"

static void layers_done(struct exchange *ex, PGresult *res)
{
    respond_column_as_member(ex->req, res, "layers", LAYERS_LIST_JSON);
}

void api_layers_list(struct exchange *ex)
{
    if (respond_unwanted_params(ex->req, &ex->query))
        return;
    const char *args[] = {identity_acts_as_staff(&ex->who) ? "t" : "f"};
    exchange_query(ex, LAYERS_LIST_SQL, 1, args, layers_done);
}
