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
