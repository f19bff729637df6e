#include "api/point_query.h"

#include "http/params.h"
#include "http/respond.h"

int point_query(struct exchange *ex, const char **lat_text, const char **lon_text)
{
    static const char *const allowed[] = {"lat", "lon", NULL};
    double lat, lon;
    params_allow_only(&ex->query, allowed);
    params_double(&ex->query, "lat", -90, 90, 1, &lat);
    params_double(&ex->query, "lon", -180, 180, 1, &lon);
    if (respond_params_problem(ex->req, &ex->query))
        return -1;
    *lat_text = exchange_printf(ex, "%.9f", lat);
    *lon_text = exchange_printf(ex, "%.9f", lon);
    return 0;
}
