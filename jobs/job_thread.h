/* The background jobs of `polis serve` (notification fan-out, mail sender,
 * daily digest, photo sweep) each run in a detached thread of their own
 * until the process ends. One way to start one and one way for a repeating
 * job to wait between rounds. */
#ifndef POLIS_JOB_THREAD_H
#define POLIS_JOB_THREAD_H

#include <stdatomic.h>

/* Starts body(state) in a detached thread that owns state from then on.
 * state NULL (its allocation failed) or no thread: says on stderr that the
 * job named `what` did not start, frees state with free_state (when given)
 * and returns -1. */
int job_thread_start(const char *what, void *(*body)(void *), void *state,
                     void (*free_state)(void *));

/* Starts a job that repeats: round(state), then job_pause(stop, pause_s),
 * again until *stop is set; then the thread frees state with free_state
 * (when given). Fails as job_thread_start does (said on stderr, state
 * freed, -1). */
int job_repeat_start(const char *what, void (*round)(void *state), void *state,
                     void (*free_state)(void *), const atomic_int *stop, int pause_s);

/* Sleeps for about seconds, in short steps so that a stop is seen within a
 * quarter of a second; returns early when *stop is set. */
void job_pause(const atomic_int *stop, int seconds);

#endif
