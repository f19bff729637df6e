#include "jobs/receipts.h"

#include "gis/db.h"
#include "jobs/job_thread.h"
#include "notify/change_listen.h"
#include "notify/change_wake.h"
#include "services/application_steps_sql.h"
#include "services/receipt_failures_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLL_S 30     /* the safety net: a lost wake only delays a receipt this long */
#define RETRY_S 2     /* after the connection failed */
#define ROUND_MAX 100 /* receipts per round, so that a stop is seen soon */

struct receipts_job {
    struct issuing *issuing;
    const atomic_int *stop;
    char last_error[1024]; /* logged once, not every round */
};

struct receipt {
    struct issuing *issuing;
    long application_id; /* the one taken (0: none) */
    int made;
    struct answer_issued issued;
};

/* In a transaction: the next application without a receipt, its receipt
 * issued and recorded. Sets r->application_id when there was one. */
static int one_receipt(PGconn *db, void *arg, char *err, size_t errlen)
{
    struct receipt *r = arg;
    PGresult *next = db_query(db, RECEIPT_NEXT_SQL, 0, NULL, err, errlen);
    if (!next)
        return -1;
    if (PQntuples(next) == 0) {
        PQclear(next);
        return 0;
    }
    r->application_id = atol(PQgetvalue(next, 0, RECEIPT_NEXT_ID));
    char paragraph[1200];
    snprintf(paragraph, sizeof paragraph,
             "Η αίτησή σας «%s» υποβλήθηκε ηλεκτρονικά στις %s και καταχωρίστηκε στο "
             "πρωτόκολλο με αριθμό %s. Θα λάβετε την απάντηση στο ψηφιακό σας γραμματοκιβώτιο.",
             PQgetvalue(next, 0, RECEIPT_NEXT_TITLE), PQgetvalue(next, 0, RECEIPT_NEXT_DATE),
             PQgetvalue(next, 0, RECEIPT_NEXT_NUMBER));
    const char *paragraphs[1] = {paragraph};
    char date[11];
    snprintf(date, sizeof date, "%s", PQgetvalue(next, 0, RECEIPT_NEXT_DATE)); /* DD/MM/YYYY */
    struct answer_document doc = {
        .kind = "receipt",
        .protocol_entry_id = atol(PQgetvalue(next, 0, RECEIPT_NEXT_ENTRY)),
        .application_id = r->application_id,
        .pdf = {.municipality_el = PQgetvalue(next, 0, RECEIPT_NEXT_MUNICIPALITY_EL),
                .municipality_en = PQgetvalue(next, 0, RECEIPT_NEXT_MUNICIPALITY_EN),
                .title = "Απόδειξη υποβολής αίτησης",
                .protocol_number = PQgetvalue(next, 0, RECEIPT_NEXT_NUMBER),
                .date = date,
                .addressee = PQgetvalue(next, 0, RECEIPT_NEXT_ADDRESSEE),
                .paragraphs = paragraphs,
                .nparagraphs = 1},
    };
    int rc = answer_document_issue(db, issuing_issuer(r->issuing), &doc, &r->issued, err,
                                   errlen);
    if (rc == 0) {
        r->made = 1;
        char id[24], document[24];
        snprintf(id, sizeof id, "%ld", doc.application_id);
        snprintf(document, sizeof document, "%ld", r->issued.id);
        const char *args[RECEIPT_RECORD_NPARAMS] = {[RECEIPT_RECORD_P_ID] = id,
                                                    [RECEIPT_RECORD_P_DOCUMENT] = document};
        const char *clear[RECEIPT_FAILURES_CLEAR_NPARAMS] = {[RECEIPT_FAILURES_CLEAR_P_ID] = id};
        rc = db_exec(db, RECEIPT_RECORD_SQL, RECEIPT_RECORD_NPARAMS, args, err, errlen);
        if (rc == 0)
            rc = db_exec(db, RECEIPT_FAILURES_CLEAR_SQL, RECEIPT_FAILURES_CLEAR_NPARAMS, clear,
                         err, errlen);
    }
    PQclear(next);
    return rc < 0 ? -1 : 0;
}

/* The receipt of application id failed for the reason why (its transaction
 * is rolled back): recorded, so that it waits and the others go on, and
 * said on stderr. Returns -1 (err set) when even that failed: the
 * connection is broken. */
static int record_failure(PGconn *db, long id, const char *why, char *err, size_t errlen)
{
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%ld", id);
    const char *args[RECEIPT_FAILED_NPARAMS] = {[RECEIPT_FAILED_P_ID] = idtext,
                                                [RECEIPT_FAILED_P_ERROR] = why};
    PGresult *res = db_query(db, RECEIPT_FAILED_SQL, RECEIPT_FAILED_NPARAMS, args, err, errlen);
    if (!res)
        return -1;
    if (PQntuples(res) == 0)
        fprintf(stderr, "polis: the receipt of application %ld failed and the application "
                        "is gone: %s\n", id, why);
    else if (!strcmp(PQgetvalue(res, 0, RECEIPT_FAILED_GAVE_UP), "t"))
        fprintf(stderr, "polis: gave up the receipt of application %ld after %s failed "
                        "attempts (see GET /api/v1/admin/audit): %s\n",
                id, PQgetvalue(res, 0, RECEIPT_FAILED_ATTEMPTS), why);
    else
        fprintf(stderr, "polis: the receipt of application %ld failed (attempt %s of %d, "
                        "next in %s s): %s\n", id, PQgetvalue(res, 0, RECEIPT_FAILED_ATTEMPTS),
                RECEIPT_ATTEMPTS_MAX, PQgetvalue(res, 0, RECEIPT_FAILED_RETRY_S), why);
    PQclear(res);
    return 0;
}

/* Issues the receipts that are due, one transaction each; a receipt that
 * fails is recorded and the next one is taken. Returns -1 (err set) when
 * the connection failed. */
static int drain(struct receipts_job *job, PGconn *db, char *err, size_t errlen)
{
    int issued = 0;
    for (int i = 0; i < ROUND_MAX && !atomic_load(job->stop); i++) {
        struct receipt r = {.issuing = job->issuing};
        if (db_transaction(db, one_receipt, &r, err, errlen)) {
            if (r.made)
                answer_document_discard(&r.issued);
            char why[1024];
            snprintf(why, sizeof why, "%s", err);
            if (!r.application_id || record_failure(db, r.application_id, why, err, errlen))
                return -1;
            continue;
        }
        if (!r.application_id)
            break;
        issued++;
    }
    return issued ? change_wake_blocking(db, err, errlen) : 0; /* the fan-out, then streams */
}

/* How long to wait for a wake: the safety net's poll, or less when a failed
 * receipt is due again sooner. */
static int wait_ms(PGconn *db)
{
    int ms = POLL_S * 1000;
    PGresult *res = PQexec(db, RECEIPT_RETRY_DUE_SQL);
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
        !PQgetisnull(res, 0, RECEIPT_RETRY_DUE_S)) {
        long due_ms = atol(PQgetvalue(res, 0, RECEIPT_RETRY_DUE_S)) * 1000;
        if (due_ms < ms)
            ms = (int)due_ms;
    }
    PQclear(res);
    return ms;
}

/* Takes a connection, LISTENs and issues until the connection fails or
 * the server stops: woken by the NOTIFY that follows a write (a
 * submission among them), else every POLL_S. LISTEN comes before the first
 * round: a submission committed after it wakes us, one before it is found
 * by the round. One round of the repeating job (job_repeat_start). */
static void run_connected(void *state)
{
    struct receipts_job *job = state;
    char err[1024] = "";
    PGconn *db = issuing_acquire(job->issuing, err, sizeof err);
    int failed = !db || db_exec(db, "LISTEN " CHANGE_CHANNEL, 0, NULL, err, sizeof err) < 0;
    while (!failed && !atomic_load(job->stop)) {
        failed = drain(job, db, err, sizeof err) < 0;
        if (!failed) {
            job->last_error[0] = '\0';
            failed = change_listen_wait(db, job->stop, wait_ms(db)) < 0;
            if (failed)
                snprintf(err, sizeof err, "%s", PQerrorMessage(db));
        }
    }
    if (failed && strcmp(job->last_error, err)) {
        snprintf(job->last_error, sizeof job->last_error, "%s", err);
        fprintf(stderr, "polis: application receipts failed (retrying): %s\n", err);
    }
    PQfinish(db); /* not back to the pool: it still LISTENs */
}

int receipts_start(struct issuing *issuing, const atomic_int *stop)
{
    if (!issuing_issuer(issuing))
        return -1;
    struct receipts_job *job = calloc(1, sizeof *job);
    if (job) {
        job->issuing = issuing;
        job->stop = stop;
    }
    return job_repeat_start("application receipts", run_connected, job, free, stop, RETRY_S);
}
