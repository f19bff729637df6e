/* The geocoder's search as the handlers start it: GET /api/v1/geocode and
 * the report filings that take an address without coordinates (Open311
 * address_string, POST /api/v1/reports' address) run the same statement
 * through these, so an address found on the map is found when filing. */
#ifndef POLIS_API_GEOCODE_H
#define POLIS_API_GEOCODE_H

#include "http/exchange.h"

/* 1 when q is text the geocoder takes: valid UTF-8 with a letter or digit,
 * at most GEOCODE_Q_MAX characters. */
int geocode_q_valid(const char *q);

/* Runs GEOCODE_SQL for q (checked with geocode_q_valid), ranked by distance
 * to near_lat/near_lon when they are not NULL (decimal degrees as text),
 * at most limit rows; cb gets the result (column GEOCODE_ANSWER). */
void geocode_search(struct exchange *ex, const char *q, const char *near_lat,
                    const char *near_lon, long limit, exchange_result_cb cb);

#endif
