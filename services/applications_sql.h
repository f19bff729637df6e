/* SQL on applications for e-services (sql/042_applications.sql). A draft is
 * its applicant's alone; once submitted it is also seen by staff of its
 * department and by admins. Who is looking is passed to reads as VIEWER:
 * user id|NULL, admin (boolean), staff departments (bigint[] text, "{}"
 * for none), as identity_viewer_args gives them. */
#ifndef POLIS_APPLICATIONS_SQL_H
#define POLIS_APPLICATIONS_SQL_H

/* $1 served municipality code, $2 service id, $3 the caller's user id.
 * Zero rows when there is no such active service; else one. */
extern const char APPLICATION_SERVICE_SQL[];
enum application_service_param {
    APPLICATION_SERVICE_P_MUNICIPALITY,
    APPLICATION_SERVICE_P_ID,
    APPLICATION_SERVICE_P_USER,
    APPLICATION_SERVICE_NPARAMS
};
enum application_service_col {
    APPLICATION_SERVICE_FIELDS,     /* json array: the form */
    APPLICATION_SERVICE_APPLICANTS, /* citizen | business | any */
    APPLICATION_SERVICE_VERIFIED_TAX_NUMBER, /* |NULL: of the caller's verified identity */
    APPLICATION_SERVICE_VERIFIED_BY,         /* |NULL: its provider's label */
};

/* The applicant's own application, with what its checks need. $1 id, $2
 * the caller's user id. Zero rows when it is not theirs (or not there). */
extern const char APPLICATION_DRAFT_SQL[];
enum application_draft_param {
    APPLICATION_DRAFT_P_ID,
    APPLICATION_DRAFT_P_USER,
    APPLICATION_DRAFT_NPARAMS
};
enum application_draft_col {
    APPLICATION_DRAFT_STATUS,
    APPLICATION_DRAFT_VERSION,
    APPLICATION_DRAFT_KIND,          /* applicant_kind */
    APPLICATION_DRAFT_TAX_NUMBER,    /* |NULL */
    APPLICATION_DRAFT_BUSINESS_NAME, /* |NULL */
    APPLICATION_DRAFT_ANSWERS,       /* json object */
    APPLICATION_DRAFT_FIELDS,        /* the service's form, json array */
    APPLICATION_DRAFT_APPLICANTS,    /* the service's citizen | business | any */
    APPLICATION_DRAFT_ACTIVE,        /* boolean: the service is still offered */
    APPLICATION_DRAFT_MISSING_DOCUMENTS, /* json array: codes of required documents
                                          * with no file attached */
    APPLICATION_DRAFT_VERIFIED_TAX_NUMBER, /* |NULL (sql/048) */
    APPLICATION_DRAFT_VERIFIED_BY,         /* |NULL: the provider's label */
};

/* The members of an application an applicant writes, in the same places in
 * APPLICATION_CREATE_SQL (the service, the user, the members) and APPLICATION_UPDATE_SQL
 * (the application, the user, the members, the version checked). */
enum application_write_param {
    APPLICATION_WRITE_P_TARGET, /* the service (create), the application (update) */
    APPLICATION_WRITE_P_USER,
    APPLICATION_WRITE_P_KIND,          /* citizen | business */
    APPLICATION_WRITE_P_TAX_NUMBER,    /* |NULL */
    APPLICATION_WRITE_P_BUSINESS_NAME, /* |NULL */
    APPLICATION_WRITE_P_ANSWERS,       /* jsonb object */
    APPLICATION_CREATE_NPARAMS,        /* create stops here */
    APPLICATION_WRITE_P_VERSION = APPLICATION_CREATE_NPARAMS, /* update: the version checked */
    APPLICATION_UPDATE_NPARAMS
};

/* A new draft of an active service (its department and municipality the
 * service's), with the verified name, tax number and provider label of the
 * identity the user last signed in with, if any (sql/048). Zero rows when
 * the service was deactivated meanwhile; else
 * one. */
extern const char APPLICATION_CREATE_SQL[];
/* The draft with the version checked, written whole. Zero rows when it
 * changed meanwhile (or was submitted); else one. */
extern const char APPLICATION_UPDATE_SQL[];
enum application_write_col {
    APPLICATION_WRITE_JSON,
};

/* Submits a draft: in one statement the next protocol number of the year
 * (services/protocol_sql.h), its protocol entry (incoming, web), the
 * application submitted into its service's department queue with its
 * deadline, its history row and the applicant's mailbox entry. Zero rows
 * (nothing taken, nothing written) when the draft changed meanwhile, its
 * service was deactivated or a required document has no file; else one. */
extern const char APPLICATION_SUBMIT_SQL[];
enum application_submit_param {
    APPLICATION_SUBMIT_P_ID,
    APPLICATION_SUBMIT_P_USER,
    APPLICATION_SUBMIT_P_VERSION,
    APPLICATION_SUBMIT_P_ROLE, /* the applicant's role, for the history */
    APPLICATION_SUBMIT_NPARAMS
};
enum application_submit_col {
    APPLICATION_SUBMIT_JSON,
};

/* $1 id, $2..$4 VIEWER. Zero rows when the caller may not see it. The
 * application with its history: [{at, kind (the event: submitted, receipt,
 * assigned, info_requested, info_given, approved, rejected), status (after
 * the step), comment, requested_documents, by {kind: applicant |
 * municipality | system, and for staff viewers name and role}, assignee
 * {id, name} (staff viewers), document {id, kind, code}}] oldest first;
 * and for staff viewers `assignee` {id, name}|null, whom it is assigned to. */
extern const char APPLICATION_GET_SQL[];
enum application_get_col {
    APPLICATION_GET_JSON,
};

/* The caller's own, newest first: $1 user id, $2 after id (0: from the
 * newest), $3 limit. One row (api/json_page.h). */
extern const char APPLICATION_MINE_SQL[];

/* The queue of the caller's departments (all, for admins), newest first,
 * drafts never: $1 admin, $2 departments (the last two VIEWER parameters),
 * $3 status|NULL, $4 service id|NULL, $5 after id, $6 limit, $7 assignee|NULL. One row
 * (api/json_page.h); each application has `assignee` {id, name}|null. */
extern const char APPLICATION_QUEUE_SQL[];
enum application_queue_param {
    APPLICATION_QUEUE_P_ADMIN,
    APPLICATION_QUEUE_P_DEPARTMENTS,
    APPLICATION_QUEUE_P_STATUS,
    APPLICATION_QUEUE_P_SERVICE,
    APPLICATION_QUEUE_P_AFTER,
    APPLICATION_QUEUE_P_LIMIT,
    APPLICATION_QUEUE_P_ASSIGNEE, /* user id|NULL (sql/046_application_steps.sql) */
    APPLICATION_QUEUE_NPARAMS
};

/* The columns of both lists. */
enum application_list_col {
    APPLICATION_LIST_ITEMS,
    APPLICATION_LIST_MORE,
    APPLICATION_LIST_LAST_ID,
};

#endif
