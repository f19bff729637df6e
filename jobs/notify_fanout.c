#include "jobs/notify_fanout.h"

#include "common/stringify.h"
#include "gis/db.h"
#include "gis/notify_fanout_sql.h"
#include "jobs/job_thread.h"
#include "notify/application_notice_sql.h"
#include "notify/change_listen.h"
#include "notify/change_wake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define INBOX_BATCH 500 /* events per inbox batch */
#define MAIL_BATCH 50   /* events per mail batch: small, so new events wait little */
#define POLL_S 2  /* a pass (and a fold of layer changes) at least this often: a lost wake
                  * or a write made outside polis is only delayed */
#define RETRY_S 1 /* after the connection failed */

/* A report's events and an application's steps (notify/application_notice_sql.h),
 * each stage's two statements taking the same parameters and answering the
 * same columns. */
static const char *const INBOX_STATEMENTS[] = {NOTIFY_INBOX_SQL, APP_NOTICE_INBOX_SQL};
static const char *const MAIL_STATEMENTS[] = {NOTIFY_MAIL_SQL, APP_NOTICE_MAIL_SQL};

struct batch {
    const char *params[NOTIFY_MAIL_NPARAMS];
    long claimed;
    struct notify_fanout_counts *counts;
};

/* One inbox batch, in a transaction that takes the fan-out's lock first:
 * with several processes the batches run one after another, so the inbox
 * ids (which a resumed mailbox stream follows) grow in the order the events
 * were handled, not in the order two batches happened to insert. The
 * batch's statement sees what the batch before it committed (its snapshot
 * is taken after the lock). */
static int inbox_batch(PGconn *db, void *arg, char *err, size_t errlen)
{
    struct batch *b = arg;
    if (db_exec(db, NOTIFY_FANOUT_LOCK_SQL, 0, NULL, err, errlen))
        return -1;
    b->claimed = 0;
    for (size_t i = 0; i < sizeof INBOX_STATEMENTS / sizeof INBOX_STATEMENTS[0]; i++) {
        PGresult *res =
            db_query(db, INBOX_STATEMENTS[i], NOTIFY_INBOX_NPARAMS, b->params, err, errlen);
        if (!res)
            return -1;
        long claimed = atol(PQgetvalue(res, 0, NOTIFY_INBOX_CLAIMED));
        b->counts->events += claimed;
        b->counts->inbox += atol(PQgetvalue(res, 0, NOTIFY_INBOX_ROWS));
        PQclear(res);
        if (claimed > b->claimed) /* a full batch of either: another batch follows */
            b->claimed = claimed;
    }
    return 0;
}

/* Every queued event that has no inbox rows yet gets them; the streams are
 * woken as soon as they are committed, before any mail is written. */
static int drain_inbox(PGconn *db, struct notify_fanout_counts *counts, char *err,
                       size_t errlen)
{
    struct batch b = {.counts = counts};
    b.params[NOTIFY_INBOX_P_BATCH] = STRINGIFY(INBOX_BATCH);
    long before = counts->inbox;
    do {
        if (db_transaction(db, inbox_batch, &b, err, errlen))
            return -1;
    } while (b.claimed == INBOX_BATCH);
    return counts->inbox > before ? change_wake_blocking(db, err, errlen) : 0;
}

/* One mail batch: the mails and digest lines of events already in the
 * inbox, a report's and an application's (no lock: the order of mails does
 * not matter; SKIP LOCKED keeps each event to one process). Sets *claimed
 * to the larger of the two: a full batch of either means more may wait. */
static int mail_batch(PGconn *db, const char *public_url, struct notify_fanout_counts *counts,
                      long *claimed, char *err, size_t errlen)
{
    const char *params[NOTIFY_MAIL_NPARAMS] = {
        [NOTIFY_MAIL_P_BATCH] = STRINGIFY(MAIL_BATCH),
        [NOTIFY_MAIL_P_PUBLIC_URL] = public_url,
    };
    *claimed = 0;
    for (size_t i = 0; i < sizeof MAIL_STATEMENTS / sizeof MAIL_STATEMENTS[0]; i++) {
        PGresult *res = db_query(db, MAIL_STATEMENTS[i], NOTIFY_MAIL_NPARAMS, params, err, errlen);
        if (!res)
            return -1;
        long n = atol(PQgetvalue(res, 0, NOTIFY_MAIL_CLAIMED));
        counts->outbox += atol(PQgetvalue(res, 0, NOTIFY_MAIL_OUTBOX));
        counts->digest += atol(PQgetvalue(res, 0, NOTIFY_MAIL_DIGEST));
        PQclear(res);
        if (n > *claimed)
            *claimed = n;
    }
    return 0;
}

int notify_fanout_drain(PGconn *db, const char *public_url, int fold_layers,
                        struct notify_fanout_counts *counts, char *err, size_t errlen)
{
    memset(counts, 0, sizeof *counts);
    /* new events first, between every mail batch: a backlog of mail (100
     * staff told of every report) never delays the mailbox streams */
    long claimed;
    do {
        if (drain_inbox(db, counts, err, errlen) ||
            mail_batch(db, public_url, counts, &claimed, err, errlen))
            return -1;
    } while (claimed == MAIL_BATCH);
    if (fold_layers) {
        PGresult *res = PQexec(db, NOTIFY_FOLD_LAYER_CHANGES_SQL);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            db_result_error(res, err, errlen);
            PQclear(res);
            return -1;
        }
        counts->layers = atol(PQgetvalue(res, 0, NOTIFY_FOLD_LAYERS));
        PQclear(res);
    }
    if (counts->outbox || counts->layers)
        return change_wake_blocking(db, err, errlen);
    return 0;
}

struct fanout_job {
    char *conninfo, *public_url;
    const atomic_int *stop;
    char last_error[1024]; /* logged once, not every retry */
};

static void report(struct fanout_job *job, const char *what, const char *err)
{
    if (!strcmp(job->last_error, err))
        return;
    snprintf(job->last_error, sizeof job->last_error, "%s", err);
    fprintf(stderr, "polis: notification fan-out %s: %s\n", what, err);
}

/* Connects, LISTENs and drains until the connection fails or the server
 * stops. LISTEN comes before the first pass: a write committed after it
 * wakes us, one committed before it is in the queue the pass reads. One
 * round of the repeating job (job_repeat_start): state is a struct
 * fanout_job. */
static void run_connected(void *state)
{
    struct fanout_job *job = state;
    char err[1024];
    PGconn *db = db_connect(job->conninfo, err, sizeof err);
    if (!db || db_exec(db, "LISTEN " CHANGE_CHANNEL, 0, NULL, err, sizeof err) < 0) {
        report(job, "cannot start", err);
        PQfinish(db);
        return;
    }
    time_t last_fold = 0;
    while (!atomic_load(job->stop)) {
        struct notify_fanout_counts counts;
        /* folding every POLL_S, not on every wake: a fold that moved rows
         * wakes everyone, which must not double the wakes of a busy server */
        int fold = time(NULL) - last_fold >= POLL_S;
        if (fold)
            last_fold = time(NULL);
        if (notify_fanout_drain(db, job->public_url, fold, &counts, err, sizeof err) < 0) {
            report(job, "failed (retrying)", err);
            break;
        }
        job->last_error[0] = '\0';
        if (change_listen_wait(db, job->stop, POLL_S * 1000) < 0)
            break;
    }
    PQfinish(db);
}

static void job_free(void *arg)
{
    struct fanout_job *job = arg;
    free(job->conninfo);
    free(job->public_url);
    free(job);
}

void notify_fanout_start(const struct polis_config *cfg, const atomic_int *stop)
{
    struct fanout_job *job = calloc(1, sizeof *job);
    if (job) {
        job->stop = stop;
        job->conninfo = strdup(cfg->database_url);
        job->public_url = strdup(cfg->public_url);
        if (!job->conninfo || !job->public_url) {
            job_free(job);
            job = NULL;
        }
    }
    job_repeat_start("notification fan-out", run_connected, job, job_free, stop, RETRY_S);
}
