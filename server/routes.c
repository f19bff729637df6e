/* Every endpoint polis serves. Add a route here and its handler in the
 * server/api_*.c file of its API. */
#include "server/api.h"

const struct route polis_routes[] = {
    {"GET", "/healthz", api_healthz},
    {"GET", "/readyz", api_readyz},
    {"GET", "/metrics", api_metrics},
    {"GET", "/api/v1", api_index},
    {"GET", "/api/v1/boundaries", api_boundaries_list},
    {"GET", "/api/v1/boundaries/{id}", api_boundaries_get},
    {"GET", "/api/v1/locate", api_locate},
};

const int polis_route_count = sizeof polis_routes / sizeof polis_routes[0];
