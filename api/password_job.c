#include "api/password_job.h"

#include "auth/password_sql.h"

#include "http/identity.h"
#include "http/request_limits.h"
#include "http/respond.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void wipe(struct password_job *pj)
{
    sodium_memzero(pj->password, sizeof pj->password);
    sodium_memzero(pj->new_password, sizeof pj->new_password);
}

/* Hashes password into out, counted in /metrics; 1 when done. */
static int hash_counted(struct password_job *pj, const char *password, char *out)
{
    atomic_fetch_add_explicit(&pj->metrics->password_hashes, 1, memory_order_relaxed);
    return password_hash(password, out) == 0;
}

/* On a pool thread: the slow part (argon2id, tens of ms and 64 MiB). */
static void password_work(struct offload_job *job)
{
    struct password_job *pj = (struct password_job *)job;
    /* the process's first job of any kind makes the dummy hash, so that
     * cost tells nothing about an account either */
    password_prepare();
    if (!pj->verify) {
        pj->ok = hash_counted(pj, pj->password, pj->hash);
        return;
    }
    struct password_work work = {0};
    pj->ok = pj->verified = password_verify(pj->hash[0] ? pj->hash : NULL, pj->password, &work);
    atomic_fetch_add_explicit(&pj->metrics->password_verifications, work.verifications,
                              memory_order_relaxed);
    atomic_fetch_add_explicit(&pj->metrics->password_hashes, work.hashes, memory_order_relaxed);
    if (!pj->ok)
        return;
    if (pj->new_password[0])
        pj->ok = hash_counted(pj, pj->new_password, pj->new_hash);
    else if (pj->upgrade && password_needs_rehash(pj->hash))
        pj->rehashed = hash_counted(pj, pj->password, pj->new_hash); /* else keep the old one */
}

/* Back on the loop: wipe the plaintext first, then continue the request
 * unless it went away meanwhile. */
static void password_done(struct offload_job *job)
{
    struct password_job *pj = (struct password_job *)job;
    wipe(pj);
    if (!job->cancelled) {
        pj->ex->offload = NULL;
        if (pj->verify && pj->ex->password_account)
            request_limits_login_result(pj->ex, pj->ex->password_account, pj->verified);
        pj->then(pj->ex, pj);
    }
    free(pj);
}

struct password_job *password_job_new(struct exchange *ex, const char *password, int verify,
                                      void (*then)(struct exchange *ex, struct password_job *pj))
{
    struct password_job *pj = calloc(1, sizeof *pj);
    if (!pj)
        abort();
    pj->job.work = password_work;
    pj->job.done = password_done;
    pj->ex = ex;
    pj->metrics = &ex->app->metrics;
    pj->verify = verify;
    pj->then = then;
    snprintf(pj->password, sizeof pj->password, "%s", password);
    return pj;
}

void password_job_free(struct password_job *pj)
{
    if (!pj)
        return;
    wipe(pj);
    free(pj);
}

int password_job_submit(struct password_job *pj)
{
    if (exchange_offload(pj->ex, &pj->job)) {
        password_job_free(pj);
        return -1;
    }
    return 0;
}

/* The request pool's destructor for a parked job that never ran. */
static void free_parked(void *p)
{
    struct password_job **slot = p;
    password_job_free(*slot);
}

void password_job_park(struct password_job *pj)
{
    struct password_job **slot =
        h2o_mem_alloc_shared(&pj->ex->req->pool, sizeof *slot, free_parked);
    *slot = pj;
    pj->ex->handler_data = slot;
}

struct password_job *password_job_unpark(struct exchange *ex)
{
    struct password_job **slot = ex->handler_data, *pj = slot ? *slot : NULL;
    if (slot)
        *slot = NULL;
    ex->handler_data = NULL;
    return pj;
}

int password_job_failed(struct exchange *ex, const struct password_job *pj)
{
    if (pj->ok)
        return 0;
    respond_problem(ex->req, 503, "/problems/busy", "Service Unavailable", NULL,
                    "could not process the password now; try again shortly");
    return 1;
}

int password_attempt_limited(struct exchange *ex, const char *email)
{
    if (request_limits_login_refused(ex, email))
        return 1;
    ex->password_account = exchange_strdup(ex, email); /* password_done counts the outcome */
    return 0;
}

static void password_job_hash_found(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct password_job *pj = password_job_unpark(ex);
    if (PQntuples(res) == 0) {
        password_job_free(pj);
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL, "the account is gone");
        return;
    }
    snprintf(pj->hash, sizeof pj->hash, "%s", PQgetvalue(res, 0, PASSWORD_CURRENT_HASH));
    password_job_submit(pj);
}

void password_job_verify_caller(struct password_job *pj)
{
    struct exchange *ex = pj->ex;
    password_job_park(pj);
    const char *args[] = {exchange_printf(ex, "%ld", ex->who.user_id)};
    exchange_query(ex, PASSWORD_CURRENT_SQL, 1, args, password_job_hash_found);
}
