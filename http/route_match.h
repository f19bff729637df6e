/* Matching a path to the route table, and the routes' body limits. */
#ifndef POLIS_ROUTE_MATCH_H
#define POLIS_ROUTE_MATCH_H

#include "http/exchange.h"

/* Matches path against pattern ("/api/v1/reports/{id}") segment by
 * segment; with out, the {x} segments are copied into pool. 1 on a match. */
int route_match(const char *pattern, const char *path, size_t pathlen, h2o_mem_pool_t *pool,
                const char **out);

/* A route's body limit, and the variable that sets it (for the 413). */
struct body_limit {
    size_t bytes;
    const char *variable; /* POLIS_MAX_BODY_KB or POLIS_UPLOAD_MAX_MB */
    size_t value;         /* in that variable's unit */
};
/* The body limit of route r. */
void route_body_limit(const struct polis_ctx *app, const struct route *r,
                      struct body_limit *out);
/* The body limit of the route that method and the normalised path select
 * (POLIS_MAX_BODY_KB's when none does). */
void route_body_limit_of(const struct polis_ctx *app, h2o_iovec_t method, h2o_iovec_t path,
                       struct body_limit *out);
/* The detail of a 413 for a body of found bytes (more than found, with
 * at_least: a chunked body still arriving). */
void route_too_large_detail(char *buf, size_t size, size_t found, int at_least,
                             const struct body_limit *lim);

#endif
