#include "jobs/job_thread.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define STOP_CHECK_MS 250

int job_thread_start(const char *what, void *(*body)(void *), void *state,
                     void (*free_state)(void *))
{
    pthread_t t;
    if (state && !pthread_create(&t, NULL, body, state)) {
        pthread_detach(t);
        return 0;
    }
    fprintf(stderr, "polis: %s not started (out of memory or threads)\n", what);
    if (state && free_state)
        free_state(state);
    return -1;
}

void job_pause(const atomic_int *stop, int seconds)
{
    for (int waited_ms = 0; waited_ms < seconds * 1000 && !atomic_load(stop);
         waited_ms += STOP_CHECK_MS)
        usleep(STOP_CHECK_MS * 1000);
}

/* What job_repeat_start's thread runs. */
struct repeating_job {
    void (*round)(void *state);
    void *state;
    void (*free_state)(void *);
    const atomic_int *stop;
    int pause_s;
};

static void repeating_job_free(void *arg)
{
    struct repeating_job *r = arg;
    if (r->free_state)
        r->free_state(r->state);
    free(r);
}

static void *repeat_thread(void *arg)
{
    struct repeating_job *r = arg;
    while (!atomic_load(r->stop)) {
        r->round(r->state);
        job_pause(r->stop, r->pause_s);
    }
    repeating_job_free(r);
    return NULL;
}

int job_repeat_start(const char *what, void (*round)(void *state), void *state,
                     void (*free_state)(void *), const atomic_int *stop, int pause_s)
{
    struct repeating_job *r = state ? malloc(sizeof *r) : NULL;
    if (r)
        *r = (struct repeating_job){round, state, free_state, stop, pause_s};
    else if (state && free_state)
        free_state(state);
    return job_thread_start(what, repeat_thread, r, repeating_job_free);
}
