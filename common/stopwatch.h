/* Seconds taken by a piece of work, on the monotonic clock (a change of the
 * wall clock while it runs does not count): the summaries of the importers,
 * the export, the zone derivation and the CLI's progress lines. */
#ifndef POLIS_STOPWATCH_H
#define POLIS_STOPWATCH_H

#include <time.h>

/* Now, on the monotonic clock: the start to pass to stopwatch_seconds. */
struct timespec stopwatch_start(void);

/* Seconds since start (from stopwatch_start), with nanosecond precision. */
double stopwatch_seconds(const struct timespec *start);

#endif
