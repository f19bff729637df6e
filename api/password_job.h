/* Password work for one request, off the event loop: hash a new password,
 * verify one against a stored hash, or both (verify the current password,
 * then hash the new one: a password change). The plaintext lives only in
 * the malloc'd job and is wiped when the job ends.
 *
 * Ownership: password_job_new() gives the caller a job; either submit it
 * (password_job_submit: from then on the offload pool owns it and `then`
 * runs on the loop, unless the request went away) or park it with the
 * request while a query runs first (password_job_park / _unpark): a parked
 * job is wiped and freed with the request if it never gets submitted.
 *
 * The work is counted in /metrics (polis_password_work_total), the dummy
 * verification for an unknown email included: a way to see that sign-in
 * does the same work whether or not the account exists. */
#ifndef POLIS_PASSWORD_JOB_H
#define POLIS_PASSWORD_JOB_H

#include "auth/password.h"
#include "http/exchange.h"
#include "http/metrics.h"
#include "http/offload.h"

struct password_job {
    struct offload_job job;
    struct exchange *ex;
    struct polis_metrics *metrics; /* the work is counted here (the app outlives the job) */
    char password[PASSWORD_MAX_BYTES + 1];     /* verify: the one given; hash: the new one */
    char new_password[PASSWORD_MAX_BYTES + 1]; /* verify then hash: the new one, else "" */
    char hash[PASSWORD_HASH_MAX];     /* verify: the stored hash ("" when no account); hash: out */
    char new_hash[PASSWORD_HASH_MAX]; /* verify then hash: the new password's hash */
    int verify;                       /* 1 verify (then hash new_password if set), 0 hash */
    int ok;                           /* verified (and the new one hashed), or hashed */
    int verified;                     /* verify: the password matched */
    int upgrade;                      /* verify: rehash when the stored hash's parameters are old */
    int rehashed;                     /* upgrade done: new_hash holds the password's new hash */
    void (*then)(struct exchange *ex, struct password_job *pj);
    /* what the continuation needs */
    char email[256];
    char display_name[256], phone[64];
    int has_display_name, has_phone;
    long user_id;
    int confirmed;
    char extra[256]; /* any other text the continuation needs */
    void *data;      /* anything else, in the request's pool */
};

/* A job for ex: hash password (verify 0) or verify it (verify 1). */
struct password_job *password_job_new(struct exchange *ex, const char *password, int verify,
                                      void (*then)(struct exchange *ex, struct password_job *pj));

/* Runs the job off the loop. Returns 0, or -1 after answering 503 (the job
 * is freed then). */
int password_job_submit(struct password_job *pj);

/* Keeps the job with the request (in ex->handler_data) until unparked. */
void password_job_park(struct password_job *pj);

/* Takes back the job parked on ex (NULL when none). */
struct password_job *password_job_unpark(struct exchange *ex);

/* In a job's callback: 1 after answering 503 when the work could not run
 * (pj->ok is 0: the offload pool was full or out of memory); else 0. */
int password_job_failed(struct exchange *ex, const struct password_job *pj);

/* Wipes and frees a job that was never submitted. */
void password_job_free(struct password_job *pj);

/* Checks the caller's own password with a verifying job: parks it, reads
 * the signed-in account's stored hash and submits the job (404 "the account
 * is gone" when there is none). Used by the password change, the e-mail
 * change and key minting. */
void password_job_verify_caller(struct password_job *pj);

/* Before checking the password of the account email (sign-in, minting an
 * API key, changing the password): 1 after answering 429 when this client
 * has failed too often for this account (http/request_limits.h); else 0,
 * and the verification's outcome is counted when the job is done, so a
 * stolen session guesses no faster than the sign-in form, while the owner
 * elsewhere is never locked out. */
int password_attempt_limited(struct exchange *ex, const char *email);

#endif
