/* Per-client state shared by all worker threads of one process, in one
 * table of keyed slots ("route 1 ip 10.0.0.7", "user write 42", ...):
 *  - token buckets: a bucket holds up to `burst` tokens and refills at
 *    burst per minute; each request takes one;
 *  - failed sign-ins per account and client: from the allowed-th failure
 *    on, that pair waits (1 minute, doubling with each further failure, at
 *    most an hour); a success clears it. Other clients of the same account
 *    are not affected, so an attacker cannot lock the owner out;
 *  - requests in progress per client (expensive reads): at most max at once.
 * A slot not used for a while may be reused for another key; forgetting a
 * bucket or a failure count can only be generous, and slots that hold a
 * request in progress are never reused. */
#ifndef POLIS_RATE_LIMIT_H
#define POLIS_RATE_LIMIT_H

struct rate_limiter;

struct rate_limiter *rate_limiter_create(void);
void rate_limiter_destroy(struct rate_limiter *rl);

/* Takes a token from the bucket named key (e.g. "login ip 127.0.0.1").
 * Returns 0 when allowed; otherwise the seconds until a token is back
 * (for Retry-After). now is seconds on a monotonic clock. */
int rate_limit_take(struct rate_limiter *rl, const char *key, int per_minute, double now);

/* Seconds the failure record key must still wait before another attempt,
 * 0 when it may try now. */
int rate_fail_wait(struct rate_limiter *rl, const char *key, double now);
/* Counts one failure for key; from the allowed-th on it has to wait. */
void rate_fail_record(struct rate_limiter *rl, const char *key, int allowed, double now);
/* A success: forgets the failures of key. */
void rate_fail_clear(struct rate_limiter *rl, const char *key);

/* Starts one request in progress for key when fewer than max are: returns
 * 0 and a handle for rate_release (-1 when the table had no room to track
 * it: then it is allowed untracked). Returns 1 when max are in progress. */
int rate_hold(struct rate_limiter *rl, const char *key, int max, double now, int *handle);
void rate_release(struct rate_limiter *rl, int handle);

#endif
