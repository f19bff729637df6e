/* Sends the wake of notify/change_wake.h from an event loop: the NOTIFY goes
 * on the worker's own database pool, without blocking the loop, coalesced
 * per process by the rule of change_wake_request. */
#ifndef POLIS_CHANGE_WAKE_SEND_H
#define POLIS_CHANGE_WAKE_SEND_H

#include "http/polis.h"

/* A write of this worker's committed: wake every listening process. */
void notify_wake(struct polis_worker *w);

#endif
