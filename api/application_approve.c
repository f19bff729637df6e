/* POST /api/v1/applications/{id}/approve {"comment"?, "text"?: [paragraphs],
 * "version"?}: staff approve an application; for a service whose answer is
 * generated, the signed answer document is issued in the same transaction.
 * For a service whose answer staff upload, the request carries the answer
 * PDF instead (api/application_answer_upload.h): checked like an
 * application's file (services/upload_check.h: poppler opens it, at most
 * POLIS_UPLOAD_MAX_PAGES pages, the body at most POLIS_UPLOAD_MAX_MB) before
 * the transaction, then kept as sent (never rewritten: it may carry its own
 * signature) where the transaction would store a generated one.
 *
 * Rendering and signing take tens of milliseconds, so the whole approval
 * runs on an offload thread with a blocking connection (jobs/issuing.h):
 * BEGIN; the application locked (FOR UPDATE) and checked (who, status,
 * version); the next OUTGOING protocol number; the PDF made, signed and
 * stored (services/answer_document.h); its issued_documents row; the
 * status, history row (its trigger: the applicant's mailbox entry and mail)
 * and audit row; COMMIT. Any failure rolls it all back (the protocol book
 * stays gapless: the number goes back with the transaction) and removes the
 * stored file. The answer is the application, with the document. */
#include "services/application_steps_sql.h"
#include "services/applications_sql.h"
#include "api/actor.h"
#include "api/application_answer_upload.h"
#include "api/application_steps.h"
#include "gis/db.h"
#include "http/body.h"
#include "http/identity.h"
#include "http/polis.h"
#include "http/respond.h"
#include "jobs/issuing.h"
#include "services/upload_check.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PARAGRAPHS_MAX 50
#define PARAGRAPH_MAX 5000
#define COMMENT_MAX 5000

/* The approval, owned by the job (the request may go away meanwhile). */
struct approval {
    struct offload_job job;
    struct exchange *ex;
    struct issuing *issuing;
    long id;
    int version; /* 0: not checked */
    char *municipality, *viewer[3], *role, *comment, *actor[AUDIT_ACTOR_NPARAMS];
    char **paragraphs;
    int nparagraphs;
    char *pdf; /* an uploaded answer (malloc'd copy), NULL for a generated one */
    size_t pdf_len;
    long max_pages;
    /* the outcome */
    int status; /* 0 done, else the HTTP status of the problem */
    char detail[600];
    const char *field, *expected; /* the field the problem is about, or NULL */
    char found[600];
    long document_id;
    char protocol_number[32];
    struct answer_issued issued;
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void approval_free(struct approval *a)
{
    free(a->municipality);
    free(a->role);
    free(a->comment);
    for (int i = 0; i < 3; i++)
        free(a->viewer[i]);
    for (int i = 0; i < AUDIT_ACTOR_NPARAMS; i++)
        free(a->actor[i]);
    for (int i = 0; i < a->nparagraphs; i++)
        free(a->paragraphs[i]);
    free(a->paragraphs);
    free(a->pdf);
    free(a);
}

static int refuse(struct approval *a, int status, const char *fmt, const char *arg,
                  const char *arg2)
{
    a->status = status;
    snprintf(a->detail, sizeof a->detail, fmt, arg, arg2);
    return -1;
}

/* The application locked and checked; fills what the document needs. */
static int lock_checked(PGconn *db, struct approval *a, PGresult **row, char *err, size_t errlen)
{
    char id[24];
    snprintf(id, sizeof id, "%ld", a->id);
    const char *args[APPLICATION_APPROVE_LOCK_NPARAMS] = {
        [APPLICATION_APPROVE_LOCK_P_ID] = id,
        [APPLICATION_APPROVE_LOCK_P_MUNICIPALITY] = a->municipality,
        [APPLICATION_APPROVE_LOCK_P_VIEWER_USER] = a->viewer[0],
        [APPLICATION_APPROVE_LOCK_P_VIEWER_ADMIN] = a->viewer[1],
        [APPLICATION_APPROVE_LOCK_P_VIEWER_DEPARTMENTS] = a->viewer[2],
    };
    PGresult *res = db_query(db, APPLICATION_APPROVE_LOCK_SQL, APPLICATION_APPROVE_LOCK_NPARAMS,
                             args, err, errlen);
    if (!res)
        return -1;
    *row = res;
    if (PQntuples(res) == 0)
        return refuse(a, 404, "there is no application %s%s", id, "");
    if (PQgetvalue(res, 0, APPLICATION_APPROVE_LOCK_ALLOWED)[0] != 't')
        return refuse(a, 403, "only staff of the application's department (%s) and admins may "
                      "approve it%s", PQgetvalue(res, 0, APPLICATION_APPROVE_LOCK_DEPARTMENT), "");
    const char *status = PQgetvalue(res, 0, APPLICATION_APPROVE_LOCK_STATUS);
    if (strcmp(status, "submitted") && strcmp(status, "in_progress"))
        return refuse(a, 409, "application %s is %s: expected it submitted or in_progress to "
                      "approve it", id, status);
    if (a->version && a->version != atoi(PQgetvalue(res, 0, APPLICATION_APPROVE_LOCK_VERSION)))
        return refuse(a, 409, "application %s changed meanwhile (version %s now): read it again",
                      id, PQgetvalue(res, 0, APPLICATION_APPROVE_LOCK_VERSION));
    int uploaded =
        strcmp(PQgetvalue(res, 0, APPLICATION_APPROVE_LOCK_ANSWER_KIND), "generated") != 0;
    if (uploaded != (a->pdf != NULL)) {
        a->field = "file";
        a->expected = uploaded ? "the answer PDF (a form part file, or the body)"
                               : "no file: the service's answer is generated";
        snprintf(a->found, sizeof a->found, "%s", a->pdf ? "a file" : "none");
        return refuse(a, 422, uploaded ? "the answer of application %s's service is a document "
                                         "staff upload: send it as the form part file (or as "
                                         "an application/pdf body)%s"
                                       : "the answer of application %s's service is generated "
                                         "by polis: a file is not expected%s", id, "");
    }
    if (!uploaded && !issuing_issuer(a->issuing))
        return refuse(a, 503, "signing is not configured: the server has no POLIS_SIGNING_KEY "
                      "and POLIS_SIGNING_CERT, so it cannot issue the answer of application "
                      "%s%s", id, "");
    return 0;
}

/* The outgoing entry, the document and the approval, after lock_checked. */
static int issue(PGconn *db, struct approval *a, const PGresult *row, int *made, char *err,
                 size_t errlen)
{
    char id[24];
    snprintf(id, sizeof id, "%ld", a->id);
    const char *title = PQgetvalue(row, 0, APPLICATION_APPROVE_LOCK_TITLE);
    const char *addressee = PQgetvalue(row, 0, APPLICATION_APPROVE_LOCK_ADDRESSEE);
    const char *eargs[APPLICATION_ANSWER_ENTRY_NPARAMS] = {
        [APPLICATION_ANSWER_ENTRY_P_ID] = id,
        [APPLICATION_ANSWER_ENTRY_P_SUBJECT] = title,
        [APPLICATION_ANSWER_ENTRY_P_CORRESPONDENT] = addressee,
        [APPLICATION_ANSWER_ENTRY_P_USER] = a->actor[0],
        [APPLICATION_ANSWER_ENTRY_P_LABEL] = a->actor[2],
    };
    PGresult *entry = db_query(db, APPLICATION_ANSWER_ENTRY_SQL,
                               APPLICATION_ANSWER_ENTRY_NPARAMS, eargs, err, errlen);
    if (!entry)
        return -1;
    snprintf(a->protocol_number, sizeof a->protocol_number, "%s",
             PQgetvalue(entry, 0, APPLICATION_ANSWER_ENTRY_NUMBER));
    const char *fallback[1] = {PQgetvalue(row, 0, APPLICATION_APPROVE_LOCK_DEFAULT_TEXT)};
    struct answer_document doc = {
        .kind = "answer",
        .protocol_entry_id = atol(PQgetvalue(entry, 0, APPLICATION_ANSWER_ENTRY_ID)),
        .application_id = a->id,
        .pdf = {.municipality_el = PQgetvalue(row, 0, APPLICATION_APPROVE_LOCK_MUNICIPALITY_EL),
                .municipality_en = PQgetvalue(row, 0, APPLICATION_APPROVE_LOCK_MUNICIPALITY_EN),
                .title = title,
                .protocol_number = a->protocol_number,
                .date = PQgetvalue(entry, 0, APPLICATION_ANSWER_ENTRY_DATE),
                .addressee = addressee,
                .paragraphs = a->nparagraphs ? (const char *const *)a->paragraphs : fallback,
                .nparagraphs = a->nparagraphs ? a->nparagraphs : 1},
    };
    int rc = a->pdf ? answer_document_keep(issuing_documents_dir(a->issuing), a->pdf, a->pdf_len,
                                           &a->issued, err, errlen) ||
                          answer_document_record(db, &doc, &a->issued, err, errlen)
                    : answer_document_issue(db, issuing_issuer(a->issuing), &doc, &a->issued,
                                            err, errlen);
    PQclear(entry);
    if (rc)
        return -1;
    *made = 1;
    a->document_id = a->issued.id;
    char doc_id[24];
    snprintf(doc_id, sizeof doc_id, "%ld", a->document_id);
    const char *args[APPLICATION_APPROVE_NPARAMS] = {
        [APPLICATION_APPROVE_P_ID] = id,
        [APPLICATION_APPROVE_P_ROLE] = a->role,
        [APPLICATION_APPROVE_P_COMMENT] = a->comment,
        [APPLICATION_APPROVE_P_DOCUMENT] = doc_id,
    };
    for (int i = 0; i < AUDIT_ACTOR_NPARAMS; i++)
        args[APPLICATION_APPROVE_P_ACTOR + i] = a->actor[i];
    PGresult *res = db_query(db, APPLICATION_APPROVE_SQL, APPLICATION_APPROVE_NPARAMS, args, err,
                             errlen);
    PQclear(res);
    return res ? 0 : -1;
}

static int approve_step(PGconn *db, void *arg, char *err, size_t errlen)
{
    struct approval *a = arg;
    PGresult *row = NULL;
    int made = 0;
    int rc = lock_checked(db, a, &row, err, errlen);
    if (rc == 0)
        rc = issue(db, a, row, &made, err, errlen);
    PQclear(row);
    if (rc && made) /* the row was written: the rollback takes it, the file goes here */
        answer_document_discard(&a->issued);
    return rc;
}

/* An uploaded answer's bytes checked; 0, or -1 with the refusal in a. */
static int check_upload(struct approval *a)
{
    struct upload_facts facts = {0};
    enum upload_verdict v = upload_check((const uint8_t *)a->pdf, a->pdf_len,
                                         UPLOAD_KIND_BIT(UPLOAD_PDF), a->max_pages, "answer",
                                         &facts, a->detail, sizeof a->detail);
    json_decref(facts.metadata);
    if (v == UPLOAD_OK)
        return 0;
    a->status = v == UPLOAD_WRONG_TYPE ? 415 : 422;
    a->field = "file";
    a->expected = "a PDF poppler opens, not encrypted, of at most POLIS_UPLOAD_MAX_PAGES pages";
    snprintf(a->found, sizeof a->found, "%s", a->detail);
    return -1;
}

/* On an offload thread. */
static void approve_work(struct offload_job *job)
{
    struct approval *a = (struct approval *)job;
    char err[512] = "";
    if (a->pdf && check_upload(a))
        return;
    PGconn *db = issuing_acquire(a->issuing, err, sizeof err);
    if (!db) {
        a->status = 503;
        snprintf(a->detail, sizeof a->detail, "the database cannot be reached: %s", err);
        return;
    }
    if (db_transaction(db, approve_step, a, err, sizeof err) && !a->status) {
        a->status = 500;
        snprintf(a->detail, sizeof a->detail, "the answer could not be issued: %s", err);
        fprintf(stderr, "polis: approving application %ld: %s\n", a->id, err);
    }
    issuing_release(a->issuing, db);
}

/* Back on the loop: the application as it is now, with the document. */
static void approved_read(struct exchange *ex, PGresult *res)
{
    struct approval *a = ex->handler_data;
    if (respond_db_failure_or_missing(ex->req, res, "there is no application %ld", a->id))
        return;
    json_t *app = json_loads(PQgetvalue(res, 0, APPLICATION_GET_JSON), 0, NULL);
    json_object_set_new(app, "document",
                        json_pack("{s:I,s:s,s:s,s:s,s:I}", "id", (json_int_t)a->document_id,
                                  "code", a->issued.code, "protocol_number", a->protocol_number,
                                  "sha256", a->issued.sha256, "bytes",
                                  (json_int_t)a->issued.bytes));
    respond_private(ex->req);
    respond_json(ex->req, 200, app);
}

static void free_with_request(void *p)
{
    approval_free(*(struct approval **)p);
}

static void approve_done(struct offload_job *job)
{
    struct approval *a = (struct approval *)job;
    if (job->cancelled) {
        approval_free(a);
        return;
    }
    struct exchange *ex = a->ex;
    ex->offload = NULL;
    if (a->status) {
        json_t *errors = NULL;
        if (a->field)
            field_error_append(&errors, a->field, a->expected, a->found);
        respond_problem(ex->req, a->status,
                        a->status == 409   ? "/problems/conflict"
                        : a->status == 403 ? "/problems/forbidden"
                        : a->status == 415 ? "/problems/unsupported-file"
                        : a->field         ? "/problems/invalid-field"
                                           : "about:blank",
                        a->status == 409 ? "Conflict" : "Approval refused", errors, "%s",
                        a->detail);
        approval_free(a);
        return;
    }
    /* the request owns it from here */
    struct approval **slot = h2o_mem_alloc_shared(&ex->req->pool, sizeof *slot, free_with_request);
    *slot = a;
    ex->handler_data = a;
    application_steps_answer(ex, a->id, approved_read);
}

struct approve_body {
    struct fields f;
};

/* The paragraphs of "text" copied into a; 0, or -1 after recording the error. */
static int take_paragraphs(struct exchange *ex, struct fields *f, struct approval *a)
{
    const char **text = h2o_mem_alloc_pool(&ex->req->pool, PARAGRAPHS_MAX * sizeof *text);
    size_t n = 0;
    if (field_string_array(f, "text", 1, PARAGRAPHS_MAX, PARAGRAPH_MAX, 0, text, &n) != 1)
        return 0;
    a->paragraphs = calloc(n, sizeof *a->paragraphs);
    if (!a->paragraphs)
        abort();
    for (size_t i = 0; i < n; i++)
        a->paragraphs[a->nparagraphs++] = strdup(text[i]);
    return 0;
}

/* A JSON approval's members into a; 0, or -1 after answering 4xx. */
static int from_json(struct exchange *ex, struct approval *a, const char **comment,
                     long long *version)
{
    static const char *const allowed[] = {"comment", "text", "version", NULL};
    struct approve_body *b = BODY_PARSE_RECORD(ex, struct approve_body, allowed);
    if (!b)
        return -1;
    field_string(&b->f, "comment", 1, COMMENT_MAX, 0, comment);
    field_integer(&b->f, "version", 1, INT_MAX, 0, version);
    take_paragraphs(ex, &b->f, a);
    return fields_reject(ex, &b->f) ? -1 : 0;
}

void api_applications_approve(struct exchange *ex)
{
    long id;
    if (params_path_id(&ex->query, "id", ex->path_params[0], "application", &id),
        respond_params_problem(ex->req, &ex->query))
        return;
    struct answer_upload up;
    int with_file = answer_upload_read(ex, COMMENT_MAX, &up);
    if (with_file < 0)
        return;
    const char *comment = up.comment;
    long long version = up.version;
    struct approval *a = calloc(1, sizeof *a);
    if (!a)
        abort();
    if (with_file) {
        if (!(a->pdf = malloc(up.len ? up.len : 1)))
            abort();
        memcpy(a->pdf, up.data, up.len);
        a->pdf_len = up.len;
        a->max_pages = ex->app->cfg.upload_max_pages;
    } else if (from_json(ex, a, &comment, &version)) {
        approval_free(a);
        return;
    }
    a->job.work = approve_work;
    a->job.done = approve_done;
    a->ex = ex;
    a->issuing = ex->app->issuing;
    a->id = id;
    a->version = (int)version;
    a->municipality = strdup(ex->app->cfg.municipality);
    a->role = strdup(ex->who.role);
    a->comment = dup_or_null(comment);
    const char *viewer[3], *actor[AUDIT_ACTOR_NPARAMS];
    identity_viewer_args(ex, viewer);
    actor_args(ex, actor);
    for (int i = 0; i < 3; i++)
        a->viewer[i] = dup_or_null(viewer[i]);
    for (int i = 0; i < AUDIT_ACTOR_NPARAMS; i++)
        a->actor[i] = dup_or_null(actor[i]);
    if (exchange_offload(ex, &a->job)) /* answered 503 */
        approval_free(a);
}
