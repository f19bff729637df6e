/* The geocoder: GET /api/v1/geocode?q=&near=&limit= (addresses, streets,
 * places and published POIs found by text) and GET /api/v1/geocode/reverse
 * ?lat=&lon= (the nearest address or street). The matching and ranking are
 * SQL (gis/geocode_sql.c); here the parameters are checked. */
#include "gis/geocode_sql.h"
#include "api/api.h"
#include "api/geocode.h"
#include "api/point_query.h"
#include "common/stringify.h"
#include "gis/translit.h"
#include "http/respond.h"

#include <stdio.h>
#include <string.h>

int geocode_q_valid(const char *q)
{
    int has_word = 0;
    for (const unsigned char *p = (const unsigned char *)q; *p; p++)
        if ((*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || *p >= 0x80)
            has_word = 1;
    return utf8_valid(q) && has_word && utf8_chars(q) <= GEOCODE_Q_MAX;
}

/* q=: 1 to GEOCODE_Q_MAX characters of UTF-8 with a letter or digit. */
static void q_check(struct exchange *ex, const char *q)
{
    if (!geocode_q_valid(q))
        params_error(&ex->query, "q",
                     "1 to " STRINGIFY(GEOCODE_Q_MAX) " characters of text with a letter or digit",
                     *q ? q : "an empty value");
}

void geocode_search(struct exchange *ex, const char *q, const char *near_lat,
                    const char *near_lon, long limit, exchange_result_cb cb)
{
    const char *args[GEOCODE_NPARAMS] = {
        [GEOCODE_P_Q] = q,
        [GEOCODE_P_LAT] = near_lat,
        [GEOCODE_P_LON] = near_lon,
        [GEOCODE_P_LIMIT] = exchange_printf(ex, "%ld", limit),
    };
    exchange_query_prepared(ex, GEOCODE_SQL, GEOCODE_NPARAMS, args, cb);
}

static void geocode_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    respond_column(ex->req, 200, CT_GEOJSON, res, GEOCODE_ANSWER);
}

void api_geocode(struct exchange *ex)
{
    static const char *const allowed[] = {"q", "near", "limit", NULL};
    double lat = 0, lon = 0;
    long limit = GEOCODE_LIMIT_DEFAULT;
    params_allow_only(&ex->query, allowed);
    const char *q = params_get(&ex->query, "q");
    if (!q)
        params_error(&ex->query, "q", "the text to look for, such as Ερμού 15",
                     "nothing (the parameter is required)");
    else
        q_check(ex, q);
    int has_near = params_lat_lon(&ex->query, "near", &lat, &lon) == 1;
    params_long(&ex->query, "limit", 1, GEOCODE_LIMIT_MAX, 0, &limit);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    geocode_search(ex, q, has_near ? exchange_printf(ex, "%.9f", lat) : NULL,
                   has_near ? exchange_printf(ex, "%.9f", lon) : NULL, limit, geocode_done);
}

static void reverse_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQgetvalue(res, 0, GEOCODE_REVERSE_FOUND)[0] != 't') {
        respond_problem(ex->req, 404, "/problems/no-address-nearby", "No address nearby", NULL,
                        "no address or named street within " STRINGIFY(GEOCODE_REVERSE_RADIUS_M)
                        " m of lat=%s lon=%s in the basemap", params_get(&ex->query, "lat"),
                        params_get(&ex->query, "lon"));
        return;
    }
    respond_column(ex->req, 200, CT_GEOJSON, res, GEOCODE_REVERSE_ANSWER);
}

void api_geocode_reverse(struct exchange *ex)
{
    const char *args[GEOCODE_REVERSE_NPARAMS];
    if (point_query(ex, &args[GEOCODE_REVERSE_P_LAT], &args[GEOCODE_REVERSE_P_LON]))
        return;
    exchange_query_prepared(ex, GEOCODE_REVERSE_SQL, GEOCODE_REVERSE_NPARAMS, args, reverse_done);
}
