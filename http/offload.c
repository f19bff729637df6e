#include "http/offload.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct offload_pool {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct offload_job *head, *tail;
    int queued, queue_max, nthreads, stopping;
    pthread_t *threads;
};

static void *offload_thread(void *arg)
{
    struct offload_pool *pool = arg;
    for (;;) {
        pthread_mutex_lock(&pool->lock);
        while (!pool->head && !pool->stopping)
            pthread_cond_wait(&pool->wake, &pool->lock);
        if (!pool->head) {
            pthread_mutex_unlock(&pool->lock);
            return NULL;
        }
        struct offload_job *job = pool->head;
        pool->head = job->_next;
        if (!pool->head)
            pool->tail = NULL;
        pool->queued--;
        pthread_mutex_unlock(&pool->lock);

        job->work(job);
        h2o_multithread_send_message(job->_reply_to, &job->_msg);
    }
}

/* On the worker's loop: every finished job's done callback. */
static void on_replies(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    while (!h2o_linklist_is_empty(messages)) {
        struct offload_job *job =
            H2O_STRUCT_FROM_MEMBER(struct offload_job, _msg.link, messages->next);
        h2o_linklist_unlink(&job->_msg.link);
        job->done(job);
    }
}

void offload_receiver_init(h2o_multithread_receiver_t *receiver, h2o_multithread_queue_t *queue)
{
    h2o_multithread_register_receiver(queue, receiver, on_replies);
}

struct offload_pool *offload_pool_create(int threads, int queue_max)
{
    struct offload_pool *pool = calloc(1, sizeof *pool);
    if (!pool)
        return NULL;
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pool->queue_max = queue_max;
    pool->nthreads = threads;
    pool->threads = calloc((size_t)threads, sizeof *pool->threads);
    for (int i = 0; i < threads; i++)
        pthread_create(&pool->threads[i], NULL, offload_thread, pool);
    return pool;
}

void offload_pool_destroy(struct offload_pool *pool)
{
    if (!pool)
        return;
    pthread_mutex_lock(&pool->lock);
    pool->stopping = 1;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    for (int i = 0; i < pool->nthreads; i++)
        pthread_join(pool->threads[i], NULL);
    free(pool->threads);
    free(pool);
}

int offload_submit(struct offload_pool *pool, h2o_multithread_receiver_t *reply_to,
                   struct offload_job *job)
{
    job->_reply_to = reply_to;
    job->_next = NULL;
    job->cancelled = 0;
    memset(&job->_msg, 0, sizeof job->_msg);
    pthread_mutex_lock(&pool->lock);
    if (pool->queued >= pool->queue_max) {
        pthread_mutex_unlock(&pool->lock);
        return -1;
    }
    if (pool->tail)
        pool->tail->_next = job;
    else
        pool->head = job;
    pool->tail = job;
    pool->queued++;
    pthread_cond_signal(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    return 0;
}
