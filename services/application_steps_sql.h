/* SQL of the processing steps of an application (sql/046_application_steps.sql):
 * staff of its department (or admins) assign it, ask the applicant for more,
 * approve or reject it; the applicant answers a request for more. Each step
 * checks the transition, writes the application, its history row (whose
 * trigger writes the applicant's mailbox entry and mail) and an audit row.
 * Who is looking is passed as VIEWER: user id, admin (boolean), staff
 * departments (bigint[] text), as identity_viewer_args gives them. */
#ifndef POLIS_APPLICATION_STEPS_SQL_H
#define POLIS_APPLICATION_STEPS_SQL_H

#include "common/audit_actor.h"

/* One step that issues no document (assign, request-info, respond, reject),
 * in one statement. Nothing is written when the caller may not act, the
 * status is not among FROM, the version differs or (assign) the assignee is
 * not staff of the application's department. One row. */
extern const char APPLICATION_STEP_SQL[];
enum application_step_param {
    APPLICATION_STEP_P_ID,
    APPLICATION_STEP_P_MUNICIPALITY, /* the served municipality's code */
    APPLICATION_STEP_P_VIEWER_USER,
    APPLICATION_STEP_P_VIEWER_ADMIN,
    APPLICATION_STEP_P_VIEWER_DEPARTMENTS,
    APPLICATION_STEP_P_BY_STAFF,  /* boolean: a staff step (else the applicant's) */
    APPLICATION_STEP_P_ROLE,      /* the caller's role, for the history */
    APPLICATION_STEP_P_EVENT,     /* assigned | info_requested | info_given | rejected */
    APPLICATION_STEP_P_FROM,      /* text[]: the statuses the step may start from */
    APPLICATION_STEP_P_TO,        /* the status after it; NULL: submitted becomes
                                   * in_progress, any other stays */
    APPLICATION_STEP_P_COMMENT,   /* |NULL: shown to the applicant */
    APPLICATION_STEP_P_ASSIGNEE,  /* assigned: the user id|NULL (unassign) */
    APPLICATION_STEP_P_REQUESTED, /* info_requested: json array of document codes|NULL */
    APPLICATION_STEP_P_VERSION,   /* |NULL: the version the caller read */
    APPLICATION_STEP_P_ACTOR,     /* the four actor parameters from here */
    APPLICATION_STEP_NPARAMS = APPLICATION_STEP_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum application_step_col {
    APPLICATION_STEP_FOUND,       /* boolean: the caller may see it (else 404) */
    APPLICATION_STEP_ALLOWED,     /* boolean: and act on it this way (else 403) */
    APPLICATION_STEP_STATUS,      /* its status before the step */
    APPLICATION_STEP_VERSION,     /* its version before the step */
    APPLICATION_STEP_DEPARTMENT,  /* its department's code */
    APPLICATION_STEP_ASSIGNEE_OK, /* boolean: no assignee asked, or staff of it */
    APPLICATION_STEP_HISTORY_ID,  /* |NULL when nothing was written */
};

/* ---- approval with a generated answer: one transaction on a blocking
 * connection (api/application_steps.c), these statements in order ---- */

/* Locks the application (FOR UPDATE) and reads what the answer needs. Zero
 * rows when the caller may not see it; else one. */
extern const char APPLICATION_APPROVE_LOCK_SQL[];
enum application_approve_lock_param {
    APPLICATION_APPROVE_LOCK_P_ID,
    APPLICATION_APPROVE_LOCK_P_MUNICIPALITY,
    APPLICATION_APPROVE_LOCK_P_VIEWER_USER,
    APPLICATION_APPROVE_LOCK_P_VIEWER_ADMIN,
    APPLICATION_APPROVE_LOCK_P_VIEWER_DEPARTMENTS,
    APPLICATION_APPROVE_LOCK_NPARAMS
};
enum application_approve_lock_col {
    APPLICATION_APPROVE_LOCK_ALLOWED,       /* boolean: staff of its department or admin */
    APPLICATION_APPROVE_LOCK_STATUS,
    APPLICATION_APPROVE_LOCK_VERSION,
    APPLICATION_APPROVE_LOCK_DEPARTMENT,    /* code */
    APPLICATION_APPROVE_LOCK_ANSWER_KIND,   /* generated | uploaded */
    APPLICATION_APPROVE_LOCK_TITLE,         /* the service's Greek title */
    APPLICATION_APPROVE_LOCK_DEFAULT_TEXT,  /* the service's Greek description */
    APPLICATION_APPROVE_LOCK_ADDRESSEE,     /* business name, else the verified name
                                             * (sql/048), else the full name */
    APPLICATION_APPROVE_LOCK_MUNICIPALITY_EL,
    APPLICATION_APPROVE_LOCK_MUNICIPALITY_EN,
};

/* Takes the next outgoing protocol number for the answer (recipient the
 * addressee, subject the title, the application linked). One row. */
extern const char APPLICATION_ANSWER_ENTRY_SQL[];
enum application_answer_entry_param {
    APPLICATION_ANSWER_ENTRY_P_ID,
    APPLICATION_ANSWER_ENTRY_P_SUBJECT,
    APPLICATION_ANSWER_ENTRY_P_CORRESPONDENT,
    APPLICATION_ANSWER_ENTRY_P_USER,  /* registered_by */
    APPLICATION_ANSWER_ENTRY_P_LABEL, /* registered_by_label: the caller's e-mail */
    APPLICATION_ANSWER_ENTRY_NPARAMS
};
enum application_answer_entry_col {
    APPLICATION_ANSWER_ENTRY_ID,
    APPLICATION_ANSWER_ENTRY_NUMBER, /* N/YYYY */
    APPLICATION_ANSWER_ENTRY_DATE,   /* DD/MM/YYYY in Greece */
};

/* The application approved with its document: status, history row (its
 * trigger: the mailbox entry and mail) and audit row. One row. */
extern const char APPLICATION_APPROVE_SQL[];
enum application_approve_param {
    APPLICATION_APPROVE_P_ID,
    APPLICATION_APPROVE_P_ROLE,
    APPLICATION_APPROVE_P_COMMENT,  /* |NULL */
    APPLICATION_APPROVE_P_DOCUMENT, /* issued_documents.id */
    APPLICATION_APPROVE_P_ACTOR,
    APPLICATION_APPROVE_NPARAMS = APPLICATION_APPROVE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum application_approve_col {
    APPLICATION_APPROVE_HISTORY_ID,
};

/* ---- the receipt of a submission (jobs/receipts.c), in one transaction ---- */

/* One submitted application without a receipt, locked (SKIP LOCKED: another
 * process takes another), with what its receipt says. Not one whose last
 * failure (receipt_failures, sql/051) asks to wait or gave up. Zero rows when none. */
extern const char RECEIPT_NEXT_SQL[];
enum receipt_next_col {
    RECEIPT_NEXT_ID,
    RECEIPT_NEXT_ENTRY,           /* its incoming protocol entry: the receipt's number */
    RECEIPT_NEXT_NUMBER,          /* N/YYYY */
    RECEIPT_NEXT_DATE,            /* DD/MM/YYYY HH:MI in Greece, of the submission */
    RECEIPT_NEXT_TITLE,           /* the service's Greek title */
    RECEIPT_NEXT_ADDRESSEE,
    RECEIPT_NEXT_MUNICIPALITY_EL,
    RECEIPT_NEXT_MUNICIPALITY_EN,
};

/* The receipt's history row (event 'receipt', its trigger: the mailbox
 * entry and mail). $1 application id, $2 issued_documents.id. */
extern const char RECEIPT_RECORD_SQL[];
enum receipt_record_param {
    RECEIPT_RECORD_P_ID,
    RECEIPT_RECORD_P_DOCUMENT,
    RECEIPT_RECORD_NPARAMS
};

/* ---- GET /api/v1/documents/{id} ---- */

/* A document for its addressee (the application's applicant) or staff of
 * the application's department and admins. Zero rows otherwise. */
extern const char DOCUMENT_FILE_SQL[];
enum document_file_param {
    DOCUMENT_FILE_P_ID,
    DOCUMENT_FILE_P_VIEWER_USER,
    DOCUMENT_FILE_P_VIEWER_ADMIN,
    DOCUMENT_FILE_P_VIEWER_DEPARTMENTS,
    DOCUMENT_FILE_NPARAMS
};
enum document_file_col {
    DOCUMENT_FILE_NAME,     /* {code}.pdf under POLIS_VAR/documents */
    DOCUMENT_FILE_DOWNLOAD, /* the name to save it as: made of its protocol number */
    DOCUMENT_FILE_BYTES,
};

#endif
