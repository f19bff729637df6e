/* A minimal test helper for unit tests: each CHECK records a failure and goes
 * on; check_summary() prints "N passed, N failed" and gives the exit status.
 *
 * A failure prints the expression, what was expected and what was found, as
 * the http harness does (tests/http/harness.h). Use the typed macros for
 * comparisons: CHECK(a == b) can only say "FAILED: a == b", not what a was.
 *   CHECK(cond)                     a condition with nothing to compare
 *   CHECK_INT(found, expected)      integers (and enums, chars, sizes)
 *   CHECK_STR(found, expected)      strings; NULL is never equal
 *   CHECK_NEAR(found, expected, e)  doubles within e
 * Each argument is evaluated once. */
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

#define CHECK_INT(found, expected)                                                  \
    do {                                                                            \
        _Static_assert(!_Generic((found), float: 1, double: 1, long double: 1,      \
                                 default: 0), "CHECK_INT on a floating value");     \
        long long f_ = (found), e_ = (expected); /* a pointer does not compile */   \
        if (f_ == e_) {                                                             \
            check_passed++;                                                         \
        } else {                                                                    \
            check_failed++;                                                         \
            fprintf(stderr, "%s:%d: FAILED: %s: expected %lld, found %lld\n",       \
                    __FILE__, __LINE__, #found, e_, f_);                            \
        }                                                                           \
    } while (0)

#define CHECK_STR(found, expected)                                                  \
    do {                                                                            \
        const char *f_ = (found), *e_ = (expected);                                 \
        if (f_ && e_ && strcmp(f_, e_) == 0) {                                      \
            check_passed++;                                                         \
        } else {                                                                    \
            check_failed++;                                                         \
            fprintf(stderr, "%s:%d: FAILED: %s: expected %s%s%s, found %s%s%s\n",   \
                    __FILE__, __LINE__, #found, e_ ? "\"" : "", e_ ? e_ : "(null)", \
                    e_ ? "\"" : "", f_ ? "\"" : "", f_ ? f_ : "(null)",             \
                    f_ ? "\"" : "");                                                \
        }                                                                           \
    } while (0)

#define CHECK_NEAR(found, expected, eps)                                            \
    do {                                                                            \
        double f_ = (found), e_ = (expected);                                       \
        if (fabs(f_ - e_) <= (eps)) {                                               \
            check_passed++;                                                         \
        } else {                                                                    \
            check_failed++;                                                         \
            fprintf(stderr, "%s:%d: FAILED: %s: expected %.9f (within %g), found "  \
                    "%.9f\n", __FILE__, __LINE__, #found, e_, (double)(eps), f_);   \
        }                                                                           \
    } while (0)

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
