/* The route table: every route declares who may call it, and patterns are
 * unique, so a route added without a rule fails here before it ships. */
#include "check.h"
#include "http/exchange.h"

int main(void)
{
    CHECK(polis_route_count > 0);
    for (int i = 0; i < polis_route_count; i++) {
        const struct route *r = &polis_routes[i];
        if (r->access == ACCESS_UNDECLARED)
            fprintf(stderr, "route %s %s has no access rule\n", r->method, r->pattern);
        CHECK(r->access != ACCESS_UNDECLARED);
        CHECK(r->pattern[0] == '/');
        for (int j = 0; j < i; j++)
            CHECK(strcmp(r->method, polis_routes[j].method) ||
                  strcmp(r->pattern, polis_routes[j].pattern));
    }
    CHECK_INT(routes_first_undeclared(), -1);
    CHECK(polis_route_count < METRICS_MAX_ROUTES);
    return check_summary();
}
