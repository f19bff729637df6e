#include "jobs/digest.h"

#include "gis/db.h"
#include "gis/digest_sql.h"
#include "jobs/job_thread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIGEST_EVERY_S 60 /* a run this often: the hour is seen within a minute */

int digest_send_due(PGconn *db, const struct polis_config *cfg, int force,
                    struct digest_counts *counts, char *err, size_t errlen)
{
    memset(counts, 0, sizeof *counts);
    char hour[8];
    snprintf(hour, sizeof hour, "%d", cfg->digest_hour);
    const char *params[DIGEST_SEND_NPARAMS] = {
        [DIGEST_SEND_P_PUBLIC_URL] = cfg->public_url,
        [DIGEST_SEND_P_HOUR] = hour,
        [DIGEST_SEND_P_FORCE] = force ? "true" : "false",
    };
    PGresult *res = PQexecParams(db, DIGEST_SEND_SQL, DIGEST_SEND_NPARAMS, NULL, params, NULL,
                                 NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_result_error(res, err, errlen);
        PQclear(res);
        return -1;
    }
    counts->mails = atol(PQgetvalue(res, 0, DIGEST_SEND_MAILS));
    counts->items = atol(PQgetvalue(res, 0, DIGEST_SEND_ITEMS));
    PQclear(res);
    return 0;
}

struct digest_job {
    struct polis_config cfg;
    char last_error[1024]; /* logged once, not every minute */
};

/* One round of the repeating job (job_repeat_start): state is a struct
 * digest_job. */
static void run_once(void *state)
{
    struct digest_job *job = state;
    char err[1024];
    struct digest_counts counts;
    PGconn *db = db_connect(job->cfg.database_url, err, sizeof err);
    if (db && !digest_send_due(db, &job->cfg, 0, &counts, err, sizeof err)) {
        job->last_error[0] = '\0';
        if (counts.mails)
            fprintf(stderr, "polis: daily digest: %ld mails listing %ld notifications\n",
                    counts.mails, counts.items);
    } else if (strcmp(job->last_error, err)) {
        snprintf(job->last_error, sizeof job->last_error, "%s", err);
        fprintf(stderr, "polis: daily digest failed (retrying in a minute): %s\n", err);
    }
    PQfinish(db);
}

void digest_start(const struct polis_config *cfg, const atomic_int *stop)
{
    struct digest_job *job = calloc(1, sizeof *job);
    if (job)
        job->cfg = *cfg;
    job_repeat_start("daily digest", run_once, job, free, stop, DIGEST_EVERY_S);
}
