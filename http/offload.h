/* Work that must not run on an event loop (password hashing now, file
 * imports later) goes to a small pool of threads; its completion comes back
 * to the loop of the worker that asked, through h2o's multithread queue.
 *
 * Ownership: the job is the caller's (malloc it; free it in done). When the
 * request it serves goes away meanwhile, the caller sets job->cancelled from
 * the request's dispose callback (on the same loop thread as done), and done
 * must then only free it. */
#ifndef POLIS_OFFLOAD_H
#define POLIS_OFFLOAD_H

#include <h2o.h>
#include <h2o/multithread.h>

struct offload_pool;
struct polis_worker;

struct offload_job {
    void (*work)(struct offload_job *job); /* runs on a pool thread */
    void (*done)(struct offload_job *job); /* runs on the submitting worker's loop */
    int cancelled;                         /* set on the loop; read by done */
    /* owned by the pool */
    h2o_multithread_message_t _msg;
    h2o_multithread_receiver_t *_reply_to;
    struct offload_job *_next;
};

/* threads: how many jobs run at once; queue_max: jobs waiting beyond which
 * offload_submit refuses (returns -1: answer 503). */
struct offload_pool *offload_pool_create(int threads, int queue_max);
void offload_pool_destroy(struct offload_pool *pool);

/* The receiver a worker registers on its loop (see offload_receiver_init). */
void offload_receiver_init(h2o_multithread_receiver_t *receiver, h2o_multithread_queue_t *queue);

int offload_submit(struct offload_pool *pool, h2o_multithread_receiver_t *reply_to,
                   struct offload_job *job);

#endif
