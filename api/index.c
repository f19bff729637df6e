/* GET /api/v1: what this server is and where its endpoints are. */
#include "api/api.h"
#include "http/respond.h"

void api_index(struct exchange *ex)
{
    params_allow_only(&ex->query, (const char *const[]){NULL});
    if (respond_params_problem(ex->req, &ex->query))
        return;
    json_t *links = json_array();
    static const char *const endpoints[][2] = {
        {"municipality", "/api/v1/municipality"},
        {"boundaries", "/api/v1/boundaries"},
        {"locate", "/api/v1/locate?lat={lat}&lon={lon}"},
        {"geocode", "/api/v1/geocode?q={q}"},
        {"geocode-reverse", "/api/v1/geocode/reverse?lat={lat}&lon={lon}"},
        {"categories", "/api/v1/categories"},
        {"reports", "/api/v1/reports"},
        {"report-statuses", "/api/v1/report-statuses"},
        {"schools", "/api/v1/schools"},
        {"school_zone", "/api/v1/schools/zone?lat={lat}&lon={lon}"},
        {"pois", "/api/v1/pois"},
        {"poi-categories", "/api/v1/poi-categories"},
        {"pois-export", "/api/v1/pois/export.geojson"},
        {"health", "/healthz"},
        {"ready", "/readyz"},
        {"metrics", "/metrics"},
    };
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++)
        json_array_append_new(links, json_pack("{s:s,s:s}", "rel", endpoints[i][0], "href",
                                               exchange_url(ex, endpoints[i][1])));
    respond_json(ex->req, 200,
                 json_pack("{s:s,s:s,s:s,s:o}", "name", "polis", "version", POLIS_VERSION,
                           "municipality", ex->app->cfg.municipality, "links", links));
}
