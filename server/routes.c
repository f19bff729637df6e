/* Every endpoint polis serves, and who may call it. Add a route here and its
 * handler in the server/api_*.c file of its API. */
#include "server/api.h"

const struct route polis_routes[] = {
    {"GET", "/healthz", api_healthz, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/readyz", api_readyz, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/metrics", api_metrics, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/api/v1", api_index, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/api/v1/boundaries", api_boundaries_list, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/api/v1/boundaries/{id}", api_boundaries_get, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/api/v1/locate", api_locate, ACCESS_PUBLIC, RATE_NONE},
    {"POST", "/api/v1/auth/register", api_auth_register, ACCESS_PUBLIC, RATE_REGISTER},
    {"POST", "/api/v1/auth/confirm", api_auth_confirm, ACCESS_PUBLIC, RATE_RESET},
    {"POST", "/api/v1/auth/login", api_auth_login, ACCESS_PUBLIC, RATE_LOGIN},
    {"POST", "/api/v1/auth/logout", api_auth_logout, ACCESS_SIGNED_IN, RATE_NONE},
    {"GET", "/api/v1/me", api_me, ACCESS_SIGNED_IN, RATE_NONE},
};

const int polis_route_count = sizeof polis_routes / sizeof polis_routes[0];

int routes_first_undeclared(void)
{
    for (int i = 0; i < polis_route_count; i++)
        if (polis_routes[i].access == ACCESS_UNDECLARED)
            return i;
    return -1;
}
