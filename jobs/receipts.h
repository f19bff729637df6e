/* The receipt of a submitted application (issue 17): a job of `polis serve`
 * that, every couple of seconds, issues a signed 'receipt' document for each
 * application submitted without one yet, numbered with the application's
 * INCOMING protocol number (no new number is taken), and records it in the
 * application's history, whose trigger puts it in the applicant's mailbox
 * (sql/046_application_steps.sql). One application per transaction; several
 * processes share the work (FOR UPDATE SKIP LOCKED, one receipt per
 * application enforced by a unique index). Without a signer (jobs/issuing.h)
 * the job does not start. */
#ifndef POLIS_RECEIPTS_H
#define POLIS_RECEIPTS_H

#include "jobs/issuing.h"

#include <stdatomic.h>

/* Starts the job when issuing has a signer; returns 0, or -1 when it did
 * not start (said on stderr). */
int receipts_start(struct issuing *issuing, const atomic_int *stop);

#endif
