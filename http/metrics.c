#include "http/metrics.h"

const double metrics_bucket_bounds[METRICS_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                       0.05,   0.1,   0.25,   0.5,   1,    2.5};

void metrics_observe(struct polis_metrics *m, int route, int status, double seconds, size_t bytes)
{
    if (route < 0 || route >= METRICS_MAX_ROUTES)
        route = METRICS_MAX_ROUTES - 1;
    if (status >= 100 && status < 600)
        atomic_fetch_add_explicit(&m->requests[route][status - 100], 1, memory_order_relaxed);
    int b = 0;
    while (b < METRICS_BUCKETS && seconds > metrics_bucket_bounds[b])
        b++;
    atomic_fetch_add_explicit(&m->latency[route][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->latency_sum_us[route], (unsigned long)(seconds * 1e6),
                              memory_order_relaxed);
    atomic_fetch_add_explicit(&m->bytes_sent, bytes, memory_order_relaxed);
}
