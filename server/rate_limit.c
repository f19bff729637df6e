#include "server/rate_limit.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 8192 /* buckets kept; the least recently used one is reused */
#define PROBE 8
#define KEY_MAX 96

struct bucket {
    char key[KEY_MAX];
    double tokens;
    double updated; /* when tokens was last refilled */
};

struct rate_limiter {
    pthread_mutex_t lock;
    struct bucket slots[SLOTS];
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

int rate_limit_take(struct rate_limiter *rl, const char *key, int per_minute, double now)
{
    if (per_minute <= 0)
        return 0; /* limit turned off */
    double rate = per_minute / 60.0, burst = per_minute;
    uint64_t h = hash(key);
    pthread_mutex_lock(&rl->lock);
    struct bucket *b = NULL, *oldest = NULL;
    for (int i = 0; i < PROBE && !b; i++) {
        struct bucket *s = &rl->slots[(h + (uint64_t)i) % SLOTS];
        if (!strncmp(s->key, key, KEY_MAX - 1))
            b = s;
        else if (!oldest || s->updated < oldest->updated)
            oldest = s;
    }
    if (!b) {
        /* a forgotten bucket is a full one: reusing the stalest slot can
         * only ever be generous, never lock anyone out */
        b = oldest;
        strncpy(b->key, key, KEY_MAX - 1);
        b->key[KEY_MAX - 1] = '\0';
        b->tokens = burst;
        b->updated = now;
    }
    b->tokens = fmin(burst, b->tokens + (now - b->updated) * rate);
    b->updated = now;
    int wait = 0;
    if (b->tokens >= 1)
        b->tokens -= 1;
    else
        wait = (int)ceil((1 - b->tokens) / rate);
    pthread_mutex_unlock(&rl->lock);
    return wait;
}
