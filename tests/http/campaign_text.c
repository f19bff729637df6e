/* The bad-input campaign: the per-request PRNG, growable text and a request's
 * headers and body (campaign.h). */
#include "campaign.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ PRNG */

static _Thread_local uint64_t rng_state; /* see seed_request */

uint64_t rng(void)
{
    /* xorshift64*: small, and the same sequence on every machine */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

size_t pick(size_t n)
{
    return (size_t)(rng() % n);
}

/* ------------------------------------------------------------ growable text */

void sb_addn(struct sb *b, const void *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        if (!b->p)
            h_fatal("out of memory");
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void sb_add(struct sb *b, const char *s)
{
    sb_addn(b, s, strlen(s));
}

void sb_printf(struct sb *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        sb_addn(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_addn(b, big, (size_t)n);
    free(big);
}

void sb_repeat(struct sb *b, const char *s, size_t times)
{
    for (size_t i = 0; i < times; i++)
        sb_add(b, s);
}


void add_header(struct request *q, const char *fmt, ...)
{
    if (q->nheaders == MAX_HEADERS)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&q->headers[q->nheaders], fmt, ap) < 0)
        h_fatal("out of memory");
    va_end(ap);
    q->nheaders++;
}

void set_body(struct request *q, const char *content_type)
{
    q->has_body = 1;
    if (content_type)
        add_header(q, "Content-Type: %s", content_type);
}

void request_free(struct request *q)
{
    free(q->target.p);
    free(q->body.p);
    free(q->raw.p);
    for (int i = 0; i < q->nheaders; i++)
        free(q->headers[i]);
    memset(q, 0, sizeof *q);
}


/* The PRNG state of request (phase, route, caller, kind): each request is
 * the same whatever ran before it, or on which thread (splitmix64). */
void seed_request(uint64_t base, int phase, int ri, int who, enum kind k)
{
    uint64_t z = base ^ ((uint64_t)phase << 48) ^ ((uint64_t)ri << 24) ^ ((uint64_t)who << 12) ^
                 (uint64_t)k;
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    rng_state = (z ^ (z >> 31)) | 1;
}
