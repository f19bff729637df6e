/* A minimal test helper for unit tests: CHECK records a failure and goes on,
 * check_summary() prints "N passed, N failed" and gives the exit status. */
#ifndef POLIS_CHECK_H
#define POLIS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (cond) {                                                                 \
            check_passed++;                                                         \
        } else {                                                                    \
            check_failed++;                                                         \
            fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond);      \
        }                                                                           \
    } while (0)

#define CHECK_STR(got, want)                                                        \
    do {                                                                            \
        const char *g_ = (got), *w_ = (want);                                       \
        if (g_ && w_ && strcmp(g_, w_) == 0) {                                      \
            check_passed++;                                                         \
        } else {                                                                    \
            check_failed++;                                                         \
            fprintf(stderr, "%s:%d: FAILED: %s\n  got:  %s\n  want: %s\n", __FILE__, \
                    __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");        \
        }                                                                           \
    } while (0)

#define CHECK_NEAR(got, want, eps)                                                  \
    do {                                                                            \
        double g_ = (got), w_ = (want);                                             \
        if (fabs(g_ - w_) <= (eps)) {                                               \
            check_passed++;                                                         \
        } else {                                                                    \
            check_failed++;                                                         \
            fprintf(stderr, "%s:%d: FAILED: %s = %.9f, want %.9f\n", __FILE__,      \
                    __LINE__, #got, g_, w_);                                        \
        }                                                                           \
    } while (0)

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
