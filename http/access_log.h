/* One line per request on stderr (see access_log.c). */
#ifndef POLIS_ACCESS_LOG_H
#define POLIS_ACCESS_LOG_H

#include "http/exchange.h"

/* Writes ex's line; seconds is the time from the request's start. */
void access_log_write(struct exchange *ex, double seconds);

#endif
