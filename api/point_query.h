/* The query of the endpoints that take one point and nothing else
 * (?lat=&lon=: locate, reverse geocoding). */
#ifndef POLIS_API_POINT_QUERY_H
#define POLIS_API_POINT_QUERY_H

#include "http/exchange.h"

/* The point as the SQL takes it (decimal degrees, 9 decimals, from the
 * request's pool); -1 after answering 400 (another parameter, a missing or
 * out-of-range coordinate). */
int point_query(struct exchange *ex, const char **lat, const char **lon);

#endif
