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
    {"GET", "/tiles", api_tiles_catalog, ACCESS_PUBLIC, RATE_NONE},
    {"GET", "/tiles/{layer}", api_tiles_tilejson, ACCESS_PUBLIC, RATE_NONE},          /* {layer}.json */
    {"GET", "/tiles/{layer}/{z}/{x}/{y}", api_tiles_get, ACCESS_PUBLIC, RATE_NONE},   /* {y}.mvt */
    {"POST", "/api/v1/auth/register", api_auth_register, ACCESS_PUBLIC, RATE_REGISTER},
    {"POST", "/api/v1/auth/confirm", api_auth_confirm, ACCESS_PUBLIC, RATE_RESET},
    {"POST", "/api/v1/auth/login", api_auth_login, ACCESS_PUBLIC, RATE_LOGIN},
    {"POST", "/api/v1/auth/logout", api_auth_logout, ACCESS_SIGNED_IN, RATE_NONE},
    {"GET", "/api/v1/me", api_me, ACCESS_SIGNED_IN, RATE_NONE},
    {"POST", "/api/v1/auth/password", api_auth_password, ACCESS_SIGNED_IN, RATE_NONE},
    {"POST", "/api/v1/auth/reset-request", api_auth_reset_request, ACCESS_PUBLIC, RATE_RESET},
    {"POST", "/api/v1/auth/reset", api_auth_reset, ACCESS_PUBLIC, RATE_RESET},
    {"GET", "/api/v1/me/export", api_me_export, ACCESS_SIGNED_IN, RATE_NONE},
    {"DELETE", "/api/v1/me", api_me_delete, ACCESS_SIGNED_IN, RATE_NONE},
    {"POST", "/api/v1/me/keys", api_me_keys_create, ACCESS_SIGNED_IN, RATE_NONE},
    {"GET", "/api/v1/me/keys", api_me_keys_list, ACCESS_SIGNED_IN, RATE_NONE},
    {"DELETE", "/api/v1/me/keys/{id}", api_me_keys_delete, ACCESS_SIGNED_IN, RATE_NONE},
    {"GET", "/api/v1/admin/users", api_admin_users_list, ACCESS_ADMIN, RATE_NONE},
    {"POST", "/api/v1/admin/users", api_admin_users_create, ACCESS_ADMIN, RATE_NONE},
    {"POST", "/api/v1/admin/users/{id}/keys", api_admin_user_keys_create, ACCESS_ADMIN, RATE_NONE},
    {"GET", "/api/v1/admin/audit", api_admin_audit, ACCESS_ADMIN, RATE_NONE},
};

const int polis_route_count = sizeof polis_routes / sizeof polis_routes[0];

int routes_first_undeclared(void)
{
    for (int i = 0; i < polis_route_count; i++)
        if (polis_routes[i].access == ACCESS_UNDECLARED)
            return i;
    return -1;
}
