/* One timer on a worker's loop. h2o 2.2 has no h2o_timer_t: a timer is an
 * h2o_timeout_t (the delay) with one h2o_timeout_entry_t (the callback), and
 * tearing it down must unlink the entry before disposing of the timeout.
 * Used by the stream heartbeat (sse.c) and the feed's recheck (sse_feed.c). */
#ifndef POLIS_LOOP_TIMER_H
#define POLIS_LOOP_TIMER_H

#include <h2o.h>
#include <stdint.h>

struct loop_timer {
    h2o_timeout_t timeout;
    h2o_timeout_entry_t entry; /* cb gets &entry: H2O_STRUCT_FROM_MEMBER(T, field.entry, e) */
};

/* Sets the delay and the callback; the timer is not running yet. */
void loop_timer_init(h2o_loop_t *loop, struct loop_timer *t, uint64_t delay_ms,
                     h2o_timeout_cb cb);

/* Runs the callback once, delay_ms from now; no-op while it is running. */
void loop_timer_start(h2o_loop_t *loop, struct loop_timer *t);

/* Stops it (when running) and frees what h2o holds for it. */
void loop_timer_dispose(h2o_loop_t *loop, struct loop_timer *t);

#endif
