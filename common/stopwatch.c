#include "common/stopwatch.h"

struct timespec stopwatch_start(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now;
}

double stopwatch_seconds(const struct timespec *start)
{
    struct timespec now = stopwatch_start();
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}
