#include "jobs/mail_sender.h"

#include "common/stringify.h"
#include "gis/db.h"
#include "jobs/job_thread.h"
#include "notify/outbox_sql.h"
#include "notify/smtp_message.h"
#include "notify/smtp_send.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Messages claimed at once, and how long one SMTP exchange may take: the
 * lease covers a whole batch sent one after another, with a margin. */
#define MAIL_BATCH 5
#define MAIL_SMTP_TIMEOUT_S 60
#define MAIL_LEASE_S 360 /* MAIL_BATCH * MAIL_SMTP_TIMEOUT_S + 60 */
#define MAIL_POLL_MS 2000
_Static_assert(MAIL_LEASE_S > MAIL_BATCH * MAIL_SMTP_TIMEOUT_S, "a lease outlives its batch");

/* What the server said about a message it accepted. */
struct accepted {
    const char *id, *answer;
};

/* The answer kept and the message marked sent, its token forgotten: one
 * transaction (db_transaction). */
static int record_sent(PGconn *db, void *arg, char *err, size_t errlen)
{
    const struct accepted *a = arg;
    const char *answer[OUTBOX_ANSWER_NPARAMS] = {
        [OUTBOX_ANSWER_P_ID] = a->id,
        [OUTBOX_ANSWER_P_TEXT] = a->answer,
    };
    const char *handed[OUTBOX_HANDED_OVER_NPARAMS] = {[OUTBOX_HANDED_OVER_P_ID] = a->id};
    if (db_exec(db, OUTBOX_ANSWER_SQL, OUTBOX_ANSWER_NPARAMS, answer, err, errlen))
        return -1;
    return db_exec(db, OUTBOX_HANDED_OVER_SQL, OUTBOX_HANDED_OVER_NPARAMS, handed, err, errlen);
}

/* Records a delivery that did not succeed; *status becomes "pending" (to
 * be retried) or "failed". */
static int record_not_sent(PGconn *db, const struct polis_config *cfg, const char *id,
                           const char *answer, int permanent, char *status, size_t statuslen,
                           char *err, size_t errlen)
{
    char give_up[24];
    snprintf(give_up, sizeof give_up, "%ld", cfg->mail_give_up_s);
    const char *params[OUTBOX_NOT_SENT_NPARAMS] = {
        [OUTBOX_NOT_SENT_P_ID] = id,
        [OUTBOX_NOT_SENT_P_ANSWER] = answer,
        [OUTBOX_NOT_SENT_P_PERMANENT] = permanent ? "true" : "false",
        [OUTBOX_NOT_SENT_P_GIVE_UP_S] = give_up,
    };
    return db_query_value(db, OUTBOX_NOT_SENT_SQL, OUTBOX_NOT_SENT_NPARAMS, params, status,
                          statuslen, err, errlen);
}

static const char *value_or_null(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* Composes and sends row i of a claim; records the outcome. */
static int deliver(PGconn *db, const struct polis_config *cfg, const PGresult *res, int i,
                   FILE *log, struct mail_round *counts, char *err, size_t errlen)
{
    const char *id = PQgetvalue(res, i, OUTBOX_CLAIM_ID);
    const char *thread = value_or_null(res, i, OUTBOX_CLAIM_THREAD_KEY);
    const char *domain = mail_address_domain(cfg->mail_from);
    char root[160] = "";
    if (thread)
        snprintf(root, sizeof root, "%s@%s", thread, domain);
    struct mail_message m = {
        .from = cfg->mail_from,
        .to = PQgetvalue(res, i, OUTBOX_CLAIM_RECIPIENT),
        .subject = PQgetvalue(res, i, OUTBOX_CLAIM_SUBJECT),
        .text = PQgetvalue(res, i, OUTBOX_CLAIM_TEXT),
        .html = value_or_null(res, i, OUTBOX_CLAIM_HTML),
        .message_id = PQgetvalue(res, i, OUTBOX_CLAIM_MESSAGE_ID),
        .thread_root = thread ? root : NULL,
        .list_unsubscribe = value_or_null(res, i, OUTBOX_CLAIM_LIST_UNSUBSCRIBE),
        .date = (time_t)strtoll(PQgetvalue(res, i, OUTBOX_CLAIM_DATE), NULL, 10),
    };
    char answer[1024];
    enum smtp_outcome outcome = SMTP_REFUSED;
    char *bytes = mail_message_compose(&m, answer, sizeof answer);
    if (bytes) {
        struct smtp_server srv = {cfg->smtp_url, cfg->smtp_user, cfg->smtp_password,
                                  cfg->smtp_require_tls, MAIL_SMTP_TIMEOUT_S};
        outcome = smtp_send(&srv, cfg->mail_from, m.to, bytes, answer, sizeof answer);
        free(bytes);
    }
    if (outcome == SMTP_ACCEPTED) {
        struct accepted a = {id, answer};
        if (db_transaction(db, record_sent, &a, err, errlen))
            return -1;
        counts->sent++;
        fprintf(log, "polis: mail %s sent: %s\n", id, answer);
        return 0;
    }
    char status[16];
    if (record_not_sent(db, cfg, id, answer, outcome == SMTP_REFUSED, status, sizeof status,
                        err, errlen))
        return -1;
    if (!strcmp(status, "failed"))
        counts->failed++;
    else
        counts->retrying++;
    fprintf(log, "polis: mail %s not sent (%s): %s\n", id,
            !strcmp(status, "failed") ? "failed, given up" : "will retry", answer);
    return 0;
}

int mail_send_due(PGconn *db, const struct polis_config *cfg, FILE *log,
                  struct mail_round *counts, char *err, size_t errlen)
{
    const char *params[OUTBOX_CLAIM_NPARAMS] = {
        [OUTBOX_CLAIM_P_LIMIT] = STRINGIFY(MAIL_BATCH),
        [OUTBOX_CLAIM_P_LEASE_S] = STRINGIFY(MAIL_LEASE_S),
        [OUTBOX_CLAIM_P_DOMAIN] = mail_address_domain(cfg->mail_from),
    };
    /* batch after batch; a short batch means nothing more is due */
    for (int claimed = MAIL_BATCH; claimed == MAIL_BATCH;) {
        PGresult *res = PQexecParams(db, OUTBOX_CLAIM_SQL, OUTBOX_CLAIM_NPARAMS, NULL, params,
                                     NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            db_result_error(res, err, errlen);
            PQclear(res);
            return -1;
        }
        claimed = PQntuples(res);
        for (int i = 0; i < claimed; i++)
            if (deliver(db, cfg, res, i, log, counts, err, errlen)) {
                PQclear(res);
                return -1;
            }
        PQclear(res);
    }
    return 0;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

void mail_sender_loop(const struct polis_config *cfg, volatile sig_atomic_t *stop, FILE *log)
{
    PGconn *db = NULL;
    char err[1024], last_err[1024] = "";
    while (!*stop) {
        if (!db && !(db = db_connect(cfg->database_url, err, sizeof err))) {
            if (strcmp(err, last_err)) /* say it once, not every few seconds */
                fprintf(log, "polis: mail sender: cannot connect, will retry: %s\n", err);
            snprintf(last_err, sizeof last_err, "%s", err);
        } else {
            struct mail_round counts = {0};
            if (mail_send_due(db, cfg, log, &counts, err, sizeof err)) {
                fprintf(log, "polis: mail sender: database failed, reconnecting: %s\n", err);
                PQfinish(db);
                db = NULL;
            } else {
                last_err[0] = '\0';
            }
        }
        /* a poll in short steps, so that a stop is seen soon */
        for (int waited = 0; waited < MAIL_POLL_MS && !*stop; waited += 100)
            sleep_ms(100);
    }
    PQfinish(db);
}

struct sender_thread {
    struct polis_config cfg;
    volatile sig_atomic_t never; /* the server's sender stops with the process */
};

static void *sender_main(void *arg)
{
    struct sender_thread *t = arg;
    mail_sender_loop(&t->cfg, &t->never, stderr);
    free(t);
    return NULL;
}

void mail_sender_start(const struct polis_config *cfg)
{
    struct sender_thread *t = calloc(1, sizeof *t);
    if (t)
        t->cfg = *cfg;
    if (job_thread_start("mail sender (the outbox waits)", sender_main, t, free) == 0)
        fprintf(stderr, "polis: mail sender started (gives up after %ld s)\n",
                cfg->mail_give_up_s);
}
