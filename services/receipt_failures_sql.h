/* SQL of the receipts job's failures (jobs/receipts.c, sql/051): a receipt
 * that failed is recorded apart from the rolled-back attempt, so that the
 * application waits (a pause that doubles: RECEIPT_RETRY_FIRST_S, then
 * twice that, ..., at most an hour) and the others go on; after
 * RECEIPT_ATTEMPTS_MAX failures it is given up (about 10 minutes after the
 * first). Every failure is an audit_log row for the admins. */
#ifndef POLIS_RECEIPT_FAILURES_SQL_H
#define POLIS_RECEIPT_FAILURES_SQL_H

#define RECEIPT_ATTEMPTS_MAX 8
#define RECEIPT_RETRY_FIRST_S 5

/* Records a failure of application $1's receipt ($2: why). One row (none
 * when the application is gone). */
extern const char RECEIPT_FAILED_SQL[];
enum receipt_failed_param {
    RECEIPT_FAILED_P_ID,
    RECEIPT_FAILED_P_ERROR,
    RECEIPT_FAILED_NPARAMS
};
enum receipt_failed_col {
    RECEIPT_FAILED_ATTEMPTS, /* failures so far */
    RECEIPT_FAILED_GAVE_UP,  /* t: no more attempts */
    RECEIPT_FAILED_RETRY_S,  /* seconds until the next attempt */
};

/* In the transaction that issued application $1's receipt: its failures
 * are forgotten. */
extern const char RECEIPT_FAILURES_CLEAR_SQL[];
enum receipt_failures_clear_param {
    RECEIPT_FAILURES_CLEAR_P_ID,
    RECEIPT_FAILURES_CLEAR_NPARAMS
};

/* Seconds until the next failed receipt is due again (no parameter); one
 * row, NULL when none waits. */
extern const char RECEIPT_RETRY_DUE_SQL[];
enum receipt_retry_due_col {
    RECEIPT_RETRY_DUE_S,
};

#endif
