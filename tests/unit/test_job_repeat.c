/* job_repeat_start (jobs/job_thread.h), the loop of the daily digest and
 * the notification fan-out: the round runs again until the stop flag is
 * set, the state is freed by the thread once it ends, and a job that could
 * not get its state says so and frees nothing twice. */
#include "check.h"
#include "jobs/job_thread.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct counter {
    atomic_int *stop;
    atomic_int rounds, freed;
};

/* Asks the job to stop in its third round. */
static void count_round(void *state)
{
    struct counter *c = state;
    if (atomic_fetch_add(&c->rounds, 1) + 1 == 3)
        atomic_store(c->stop, 1);
}

static void mark_freed(void *state)
{
    struct counter *c = state;
    atomic_store(&c->freed, 1);
}

/* Starts a repeating job on c and waits (ten seconds at the most) until
 * its thread ended and freed the state; returns what job_repeat_start did. */
static int run_to_end(const char *what, struct counter *c)
{
    int rc = job_repeat_start(what, count_round, c, mark_freed, c->stop, 0);
    for (int i = 0; rc == 0 && i < 1000 && !atomic_load(&c->freed); i++)
        usleep(10 * 1000);
    return rc;
}

int main(void)
{
    atomic_int stop = 0;
    struct counter c = {.stop = &stop};
    CHECK_INT(run_to_end("test job", &c), 0);
    CHECK_INT(atomic_load(&c.freed), 1);
    CHECK_INT(atomic_load(&c.rounds), 3);

    /* stopped before it starts: no round, the state still freed */
    struct counter idle = {.stop = &stop};
    CHECK_INT(run_to_end("stopped job", &idle), 0);
    CHECK_INT(atomic_load(&idle.freed), 1);
    CHECK_INT(atomic_load(&idle.rounds), 0);

    /* no state (its allocation failed): refused, nothing to free */
    CHECK_INT(job_repeat_start("job without state", count_round, NULL, mark_freed, &stop, 0), -1);
    return check_summary();
}
