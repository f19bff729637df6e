/* SQL of the outbox's delivery (sql/004, 019, 023): claiming due messages,
 * and recording what the SMTP server answered. Used by the mail sender
 * (jobs/mail_sender.c) on a blocking connection of its own. */
#ifndef POLIS_OUTBOX_SQL_H
#define POLIS_OUTBOX_SQL_H

/* Claims up to $1 pending messages that are due and not leased by another
 * sender (FOR UPDATE SKIP LOCKED: when several processes send, each message
 * goes to one), leases them for $2 seconds and counts the attempt; fixes
 * the Message-ID at the first claim as outbox-<id>@$3 (the domain of
 * POLIS_MAIL_FROM). A sender that dies leaves its messages to be claimed
 * again once the lease has passed. Zero or more rows. */
extern const char OUTBOX_CLAIM_SQL[];
enum outbox_claim_param {
    OUTBOX_CLAIM_P_LIMIT,
    OUTBOX_CLAIM_P_LEASE_S,
    OUTBOX_CLAIM_P_DOMAIN,
    OUTBOX_CLAIM_NPARAMS
};
enum outbox_claim_col {
    OUTBOX_CLAIM_ID,
    OUTBOX_CLAIM_RECIPIENT,
    OUTBOX_CLAIM_SUBJECT,
    OUTBOX_CLAIM_TEXT,             /* the body as mailed (token in place) */
    OUTBOX_CLAIM_HTML,             /* the HTML part as mailed, NULL: make it from TEXT */
    OUTBOX_CLAIM_MESSAGE_ID,       /* without <> */
    OUTBOX_CLAIM_THREAD_KEY,       /* e.g. report-123, or NULL */
    OUTBOX_CLAIM_LIST_UNSUBSCRIBE, /* one-click URL, or NULL */
    OUTBOX_CLAIM_DATE,             /* created_at as Unix seconds: the mail's Date */
};

/* Records the server's answer $2 to message $1 after it accepted it; run
 * in the same transaction as OUTBOX_HANDED_OVER_SQL. */
extern const char OUTBOX_ANSWER_SQL[];
enum outbox_answer_param {
    OUTBOX_ANSWER_P_ID,
    OUTBOX_ANSWER_P_TEXT,
    OUTBOX_ANSWER_NPARAMS
};

/* $1 message id: marks it sent and forgets its token (sql/019). */
extern const char OUTBOX_HANDED_OVER_SQL[];
enum outbox_handed_over_param {
    OUTBOX_HANDED_OVER_P_ID,
    OUTBOX_HANDED_OVER_NPARAMS
};

/* A delivery that did not succeed: records the answer $2 (or why none
 * came) and either marks the message failed (when $3, a permanent refusal,
 * or when it is older than $4 seconds, the give-up time) or schedules the
 * next attempt: 30 s after the first, doubling, at most an hour and at most
 * a quarter of the give-up time. Zero rows when it was no longer pending. */
extern const char OUTBOX_NOT_SENT_SQL[];
enum outbox_not_sent_param {
    OUTBOX_NOT_SENT_P_ID,
    OUTBOX_NOT_SENT_P_ANSWER,
    OUTBOX_NOT_SENT_P_PERMANENT,
    OUTBOX_NOT_SENT_P_GIVE_UP_S,
    OUTBOX_NOT_SENT_NPARAMS
};
enum outbox_not_sent_col {
    OUTBOX_NOT_SENT_STATUS, /* pending (to be retried) or failed */
};

#endif
