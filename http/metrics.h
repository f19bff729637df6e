/* Prometheus metrics: requests by route and status, latency histograms.
 * Counters are atomics shared by all worker threads. */
#ifndef POLIS_METRICS_H
#define POLIS_METRICS_H

#include <stdatomic.h>
#include <stddef.h>

#define METRICS_MAX_ROUTES 192 /* route slots; the last counts unmatched paths */
#define METRICS_BUCKETS 12

struct polis_metrics {
    atomic_ulong requests[METRICS_MAX_ROUTES][500]; /* [route][status - 100] */
    atomic_ulong latency[METRICS_MAX_ROUTES][METRICS_BUCKETS + 1];
    atomic_ulong latency_sum_us[METRICS_MAX_ROUTES];
    atomic_ulong bytes_sent;
    /* argon2id work (api/password_job.c): checks of a given password,
     * including the dummy check for an unknown email, and hashes made */
    atomic_ulong password_verifications;
    atomic_ulong password_hashes;
};

/* Upper bounds of the latency buckets, in seconds (the last bucket is +Inf). */
extern const double metrics_bucket_bounds[METRICS_BUCKETS];

void metrics_observe(struct polis_metrics *m, int route, int status, double seconds,
                     size_t bytes);

#endif
