#include "jobs/receipts.h"

#include "gis/db.h"
#include "jobs/job_thread.h"
#include "notify/change_wake.h"
#include "services/application_steps_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLL_S 2      /* a submission gets its receipt within about this */
#define ROUND_MAX 100 /* receipts per round, so that a stop is seen soon */

struct receipts_job {
    struct issuing *issuing;
    char last_error[1024]; /* logged once, not every round */
};

struct receipt {
    struct issuing *issuing;
    int found;
    int made;
    struct answer_issued issued;
};

/* In a transaction: the next application without a receipt, its receipt
 * issued and recorded. Sets r->found when there was one. */
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
    r->found = 1;
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
        .application_id = atol(PQgetvalue(next, 0, RECEIPT_NEXT_ID)),
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
        rc = db_exec(db, RECEIPT_RECORD_SQL, RECEIPT_RECORD_NPARAMS, args, err, errlen);
    }
    PQclear(next);
    return rc;
}

static void run_once(void *state)
{
    struct receipts_job *job = state;
    char err[1024] = "";
    PGconn *db = issuing_acquire(job->issuing, err, sizeof err);
    int issued = 0, failed = !db;
    for (int i = 0; db && i < ROUND_MAX; i++) {
        struct receipt r = {.issuing = job->issuing};
        if (db_transaction(db, one_receipt, &r, err, sizeof err)) {
            if (r.made)
                answer_document_discard(&r.issued);
            failed = 1;
            break;
        }
        if (!r.found)
            break;
        issued++;
    }
    if (issued && change_wake_blocking(db, err, sizeof err)) /* the mailbox streams */
        failed = 1;
    issuing_release(job->issuing, db);
    if (!failed)
        job->last_error[0] = '\0';
    else if (strcmp(job->last_error, err)) {
        snprintf(job->last_error, sizeof job->last_error, "%s", err);
        fprintf(stderr, "polis: application receipts failed (retrying): %s\n", err);
    }
}

int receipts_start(struct issuing *issuing, const atomic_int *stop)
{
    if (!issuing_issuer(issuing))
        return -1;
    struct receipts_job *job = calloc(1, sizeof *job);
    if (job)
        job->issuing = issuing;
    return job_repeat_start("application receipts", run_once, job, free, stop, POLL_S);
}
