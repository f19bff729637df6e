#include "http/rate_limit.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 8192 /* slots kept; the least recently used free one is reused */
#define PROBE 8
#define KEY_MAX 96
#define FAIL_FIRST_WAIT 60.0  /* seconds, at the allowed-th failure */
#define FAIL_MAX_WAIT 3600.0  /* the doubling stops here */
#define FAIL_FORGET 3600.0    /* failures older than this no longer count */

struct slot {
    char key[KEY_MAX];
    double updated;     /* last use, for reuse of the stalest slot */
    double tokens;      /* token bucket */
    int failures;       /* failed sign-ins */
    double blocked_until;
    int holding;        /* requests in progress: the slot is not reused meanwhile */
};

struct rate_limiter {
    pthread_mutex_t lock;
    struct slot slots[SLOTS];
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

struct rate_limiter *rate_limiter_create(void)
{
    struct rate_limiter *rl = calloc(1, sizeof *rl);
    if (rl)
        pthread_mutex_init(&rl->lock, NULL);
    return rl;
}

void rate_limiter_destroy(struct rate_limiter *rl)
{
    if (rl)
        pthread_mutex_destroy(&rl->lock);
    free(rl);
}

/* The slot of key (lock held); with create, a fresh one in place of the
 * stalest free slot near it. NULL when there is none (or no room). */
static struct slot *find(struct rate_limiter *rl, const char *key, int create, double now)
{
    uint64_t h = hash(key);
    struct slot *oldest = NULL;
    for (int i = 0; i < PROBE; i++) {
        struct slot *s = &rl->slots[(h + (uint64_t)i) % SLOTS];
        if (!strncmp(s->key, key, KEY_MAX - 1))
            return s;
        if (!s->holding && (!oldest || s->updated < oldest->updated))
            oldest = s;
    }
    if (!create || !oldest)
        return NULL;
    memset(oldest, 0, sizeof *oldest);
    strncpy(oldest->key, key, KEY_MAX - 1);
    oldest->tokens = -1; /* a new bucket starts full: see rate_limit_take */
    oldest->updated = now;
    return oldest;
}

int rate_limit_take(struct rate_limiter *rl, const char *key, int per_minute, double now)
{
    if (per_minute <= 0)
        return 0; /* limit turned off */
    double rate = per_minute / 60.0, burst = per_minute;
    pthread_mutex_lock(&rl->lock);
    struct slot *b = find(rl, key, 1, now);
    int wait = 0;
    if (b) {
        if (b->tokens < 0)
            b->tokens = burst;
        b->tokens = fmin(burst, b->tokens + (now - b->updated) * rate);
        b->updated = now;
        if (b->tokens >= 1)
            b->tokens -= 1;
        else
            wait = (int)ceil((1 - b->tokens) / rate);
    }
    pthread_mutex_unlock(&rl->lock);
    return wait;
}

int rate_fail_wait(struct rate_limiter *rl, const char *key, double now)
{
    pthread_mutex_lock(&rl->lock);
    struct slot *s = find(rl, key, 0, now);
    int wait = s && s->blocked_until > now ? (int)ceil(s->blocked_until - now) : 0;
    pthread_mutex_unlock(&rl->lock);
    return wait;
}

void rate_fail_record(struct rate_limiter *rl, const char *key, int allowed, double now)
{
    pthread_mutex_lock(&rl->lock);
    struct slot *s = find(rl, key, 1, now);
    if (s) {
        if (s->failures && now - s->updated > FAIL_FORGET)
            s->failures = 0;
        s->failures++;
        s->updated = now;
        if (s->failures >= allowed) {
            double wait = FAIL_FIRST_WAIT * pow(2, s->failures - allowed);
            s->blocked_until = now + fmin(wait, FAIL_MAX_WAIT);
        }
    }
    pthread_mutex_unlock(&rl->lock);
}

void rate_fail_clear(struct rate_limiter *rl, const char *key)
{
    pthread_mutex_lock(&rl->lock);
    struct slot *s = find(rl, key, 0, 0);
    if (s) {
        s->failures = 0;
        s->blocked_until = 0;
    }
    pthread_mutex_unlock(&rl->lock);
}

int rate_hold(struct rate_limiter *rl, const char *key, int max, double now, int *handle)
{
    *handle = -1;
    if (max <= 0)
        return 0;
    pthread_mutex_lock(&rl->lock);
    struct slot *s = find(rl, key, 1, now);
    int refused = 0;
    if (s && s->holding >= max) {
        refused = 1;
    } else if (s) {
        s->holding++;
        s->updated = now;
        *handle = (int)(s - rl->slots);
    }
    pthread_mutex_unlock(&rl->lock);
    return refused;
}

void rate_release(struct rate_limiter *rl, int handle)
{
    if (handle < 0 || handle >= SLOTS)
        return;
    pthread_mutex_lock(&rl->lock);
    if (rl->slots[handle].holding > 0)
        rl->slots[handle].holding--;
    pthread_mutex_unlock(&rl->lock);
}
