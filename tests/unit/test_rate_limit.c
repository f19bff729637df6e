/* The rate limiter's three kinds of state: token buckets, failed sign-ins
 * per key (a wait from the allowed-th failure, doubling, cleared by a
 * success), and requests in progress per key. Time is passed in, so the
 * test needs no clock. */
#include "check.h"
#include "http/rate_limit.h"

int main(void)
{
    struct rate_limiter *rl = rate_limiter_create();
    double t = 1000;

    /* a bucket of 3 per minute: 3 at once, then a wait of 20 s */
    CHECK(rate_limit_take(rl, "b", 3, t) == 0);
    CHECK(rate_limit_take(rl, "b", 3, t) == 0);
    CHECK(rate_limit_take(rl, "b", 3, t) == 0);
    CHECK(rate_limit_take(rl, "b", 3, t) == 20);
    CHECK(rate_limit_take(rl, "other", 3, t) == 0);
    CHECK(rate_limit_take(rl, "b", 3, t + 20) == 0);

    /* failures: 2 allowed; the 2nd starts a 60 s wait, the 3rd 120 s */
    CHECK(rate_fail_wait(rl, "f", t) == 0);
    rate_fail_record(rl, "f", 2, t);
    CHECK(rate_fail_wait(rl, "f", t) == 0);
    rate_fail_record(rl, "f", 2, t);
    CHECK(rate_fail_wait(rl, "f", t) == 60);
    CHECK(rate_fail_wait(rl, "f other client", t) == 0);
    CHECK(rate_fail_wait(rl, "f", t + 61) == 0);
    rate_fail_record(rl, "f", 2, t + 61);
    CHECK(rate_fail_wait(rl, "f", t + 61) == 120);
    /* the waits stop doubling at an hour */
    for (int i = 0; i < 20; i++)
        rate_fail_record(rl, "f", 2, t + 62);
    CHECK(rate_fail_wait(rl, "f", t + 62) == 3600);
    /* a success forgets them */
    rate_fail_clear(rl, "f");
    CHECK(rate_fail_wait(rl, "f", t + 62) == 0);
    rate_fail_record(rl, "f", 2, t + 62);
    CHECK(rate_fail_wait(rl, "f", t + 62) == 0);

    /* in progress: 2 at once per key, a third is refused until one ends */
    int h1, h2, h3, h4, refused;
    CHECK(rate_hold(rl, "busy a", 2, t, &h1) == 0 && h1 >= 0);
    CHECK(rate_hold(rl, "busy a", 2, t, &h2) == 0 && h2 == h1);
    CHECK(rate_hold(rl, "busy a", 2, t, &refused) == 1 && refused == -1);
    CHECK(rate_hold(rl, "busy b", 2, t, &h4) == 0);
    rate_release(rl, h1);
    CHECK(rate_hold(rl, "busy a", 2, t, &h3) == 0);
    /* a slot that holds requests is never given to another key, however
     * many keys come after it */
    char key[32];
    for (int i = 0; i < 100000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        rate_limit_take(rl, key, 10, t + 100 + i);
    }
    CHECK(rate_hold(rl, "busy a", 2, t + 200000, &refused) == 1);
    rate_release(rl, h2);
    CHECK(rate_hold(rl, "busy a", 2, t + 200000, &h1) == 0);
    rate_limiter_destroy(rl);
    return check_summary();
}
