#include "http/loop_timer.h"

void loop_timer_init(h2o_loop_t *loop, struct loop_timer *t, uint64_t delay_ms,
                     h2o_timeout_cb cb)
{
    h2o_timeout_init(loop, &t->timeout, delay_ms);
    t->entry.cb = cb;
}

void loop_timer_start(h2o_loop_t *loop, struct loop_timer *t)
{
    if (!h2o_timeout_is_linked(&t->entry))
        h2o_timeout_link(loop, &t->timeout, &t->entry);
}

void loop_timer_dispose(h2o_loop_t *loop, struct loop_timer *t)
{
    if (h2o_timeout_is_linked(&t->entry))
        h2o_timeout_unlink(&t->entry);
    h2o_timeout_dispose(loop, &t->timeout);
}
