/* Token buckets keyed by client IP or account, shared by all worker threads
 * of one process. A bucket holds up to `burst` tokens and refills at
 * burst per minute; each request takes one. */
#ifndef POLIS_RATE_LIMIT_H
#define POLIS_RATE_LIMIT_H

struct rate_limiter;

struct rate_limiter *rate_limiter_create(void);
void rate_limiter_destroy(struct rate_limiter *rl);

/* Takes a token from the bucket named key (e.g. "login ip 127.0.0.1").
 * Returns 0 when allowed; otherwise the seconds until a token is back
 * (for Retry-After). now is seconds on a monotonic clock. */
int rate_limit_take(struct rate_limiter *rl, const char *key, int per_minute, double now);

#endif
