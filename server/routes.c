/* Every endpoint polis serves, and who may call it. Add a route here and its
 * handler in the server/api_*.c file of its API. */
#include "server/api.h"

const struct route polis_routes[] = {
    {"GET", "/healthz", api_healthz, ACCESS_PUBLIC},
    {"GET", "/readyz", api_readyz, ACCESS_PUBLIC},
    {"GET", "/metrics", api_metrics, ACCESS_PUBLIC},
    {"GET", "/api/v1", api_index, ACCESS_PUBLIC},
    {"GET", "/api/v1/boundaries", api_boundaries_list, ACCESS_PUBLIC},
    {"GET", "/api/v1/boundaries/{id}", api_boundaries_get, ACCESS_PUBLIC},
    {"GET", "/api/v1/locate", api_locate, ACCESS_PUBLIC},
};

const int polis_route_count = sizeof polis_routes / sizeof polis_routes[0];

int routes_first_undeclared(void)
{
    for (int i = 0; i < polis_route_count; i++)
        if (polis_routes[i].access == ACCESS_UNDECLARED)
            return i;
    return -1;
}
