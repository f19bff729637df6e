/* Applications for e-services, as their applicant writes them: a draft of
 * an active service's form (POST /api/v1/applications), edited while it is
 * a draft (PATCH), then submitted (POST .../submit): the submission gets
 * its protocol number, its history row, the applicant's mailbox entry and
 * its place in the department's queue in one statement
 * (services/applications_sql.h). Every write is checked first by
 * services/application_rules.c against the service's form, so a bad one
 * is a 422 naming each wrong member and nothing is stored; a submission
 * also names each required document with no file attached
 * (api/application_files.c). */
#include "services/application_rules.h"
#include "services/applications_sql.h"
#include "api/api.h"
#include "http/body.h"
#include "http/respond.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = {"citizen", "business", NULL};

/* One write's state, from the body to the statement. */
struct app_write {
    struct fields f;
    long id;                     /* the service (create), the application (update, submit) */
    struct application_input in; /* as the body gives it */
    int clear_tax, clear_name;   /* the body gives null for them */
    const char *version;         /* the draft's, checked by the write */
};

static void no_such_service(struct exchange *ex)
{
    struct app_write *w = ex->handler_data;
    field_error_append(&w->f.errors, "service", "the id of a service that is offered "
                       "(GET /api/v1/services)", exchange_printf(ex, "%ld", w->id));
    fields_reject(ex, &w->f);
}

static void not_yours(struct exchange *ex)
{
    respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                    "there is no application %s of yours", ex->path_params[0]);
}

static void changed_meanwhile(struct exchange *ex)
{
    respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                    "application %s changed while this request was checked (or its service is "
                    "no longer offered): read it again", ex->path_params[0]);
}

/* Reads the applicant's members of the body into w->in (NULL when absent). */
static void read_applicant(struct app_write *w)
{
    struct fields *f = &w->f;
    field_choice(f, "applicant_kind", kinds, 0, &w->in.kind);
    field_string(f, "tax_number", 1, 40, 0, &w->in.tax_number);
    field_string(f, "business_name", 1, 200, 0, &w->in.business_name);
    w->in.answers = json_object_get(f->obj, "answers");
    if (w->in.answers && json_is_null(w->in.answers))
        w->in.answers = NULL;
    w->clear_tax = json_is_null(json_object_get(f->obj, "tax_number"));
    w->clear_name = json_is_null(json_object_get(f->obj, "business_name"));
}

/* Checks w->in against the service's form (JSON text) and applicants; on
 * errors answers 422 and returns 1. */
static int refused(struct exchange *ex, struct app_write *w, const char *fields_text,
                   const char *applicants, int draft)
{
    json_t *fields = json_loads(fields_text, 0, NULL);
    application_check(fields, applicants, &w->in, draft, &w->f.errors);
    json_decref(fields);
    return fields_reject(ex, &w->f);
}

/* A verified tax number (sql/048) is not replaced: a business application
 * takes it when none is given, and another one is refused. Returns 1 after
 * answering 422 naming tax_number. */
static int verified_tax_refused(struct exchange *ex, struct app_write *w,
                                const PGresult *res, int tax_col, int label_col)
{
    if (PQgetisnull(res, 0, tax_col) || !w->in.kind || strcmp(w->in.kind, "business"))
        return 0;
    const char *verified = exchange_strdup(ex, PQgetvalue(res, 0, tax_col));
    if (!w->in.tax_number)
        w->in.tax_number = verified;
    if (!strcmp(w->in.tax_number, verified))
        return 0;
    field_error_append(&w->f.errors, "tax_number",
                       exchange_printf(ex, "the tax number verified by %s (%s), which cannot "
                                       "be changed", PQgetvalue(res, 0, label_col), verified),
                       w->in.tax_number);
    return fields_reject(ex, &w->f);
}

/* The write's parameters (enum application_write_param) from w->in. */
static void write_args(struct exchange *ex, struct app_write *w,
                       const char *args[APPLICATION_UPDATE_NPARAMS])
{
    args[APPLICATION_WRITE_P_TARGET] = exchange_printf(ex, "%ld", w->id);
    args[APPLICATION_WRITE_P_USER] = exchange_printf(ex, "%ld", ex->who.user_id);
    args[APPLICATION_WRITE_P_KIND] = w->in.kind;
    args[APPLICATION_WRITE_P_TAX_NUMBER] = w->in.tax_number;
    args[APPLICATION_WRITE_P_BUSINESS_NAME] = w->in.business_name;
    char *answers = w->in.answers ? json_dumps(w->in.answers, JSON_COMPACT) : NULL;
    args[APPLICATION_WRITE_P_ANSWERS] = exchange_strdup(ex, answers ? answers : "{}");
    free(answers);
    args[APPLICATION_WRITE_P_VERSION] = w->version;
}

/* ---- POST /api/v1/applications: a new draft ---- */

static void created(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) { /* the service was deactivated meanwhile */
        no_such_service(ex);
        return;
    }
    respond_private(ex->req);
    respond_column(ex->req, 201, CT_JSON, res, APPLICATION_WRITE_JSON);
}

static void service_found(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct app_write *w = ex->handler_data;
    if (PQntuples(res) == 0) {
        no_such_service(ex);
        return;
    }
    const char *applicants = PQgetvalue(res, 0, APPLICATION_SERVICE_APPLICANTS);
    if (!w->in.kind)
        w->in.kind = application_default_kind(applicants);
    if (verified_tax_refused(ex, w, res, APPLICATION_SERVICE_VERIFIED_TAX_NUMBER,
                             APPLICATION_SERVICE_VERIFIED_BY) ||
        refused(ex, w, PQgetvalue(res, 0, APPLICATION_SERVICE_FIELDS), applicants, 1))
        return;
    const char *args[APPLICATION_UPDATE_NPARAMS];
    write_args(ex, w, args);
    exchange_query_prepared(ex, APPLICATION_CREATE_SQL, APPLICATION_CREATE_NPARAMS, args,
                            created);
}

void api_applications_create(struct exchange *ex)
{
    static const char *const allowed[] = {"service",       "status",  "applicant_kind",
                                          "tax_number",    "business_name", "answers", NULL};
    static const char *const statuses[] = {"draft", NULL};
    struct app_write *w = BODY_PARSE_RECORD(ex, struct app_write, allowed);
    if (!w)
        return;
    long long service = 0;
    const char *status;
    field_integer(&w->f, "service", 1, INT64_MAX, 1, &service);
    /* a new application is a draft; POST .../submit sends it */
    field_choice(&w->f, "status", statuses, 0, &status);
    read_applicant(w);
    if (fields_reject(ex, &w->f))
        return;
    w->id = (long)service;
    const char *args[APPLICATION_SERVICE_NPARAMS] = {
        [APPLICATION_SERVICE_P_MUNICIPALITY] = ex->app->cfg.municipality,
        [APPLICATION_SERVICE_P_ID] = exchange_printf(ex, "%ld", w->id),
        [APPLICATION_SERVICE_P_USER] = exchange_printf(ex, "%ld", ex->who.user_id),
    };
    exchange_query_prepared(ex, APPLICATION_SERVICE_SQL, APPLICATION_SERVICE_NPARAMS, args,
                            service_found);
}

/* ---- the caller's draft, read before it is changed or submitted ---- */

_Static_assert((int)APPLICATION_WRITE_JSON == (int)APPLICATION_SUBMIT_JSON,
               "an edit and a submission answer the same column");

/* The answer of an edit or a submission: the application after it, or 409
 * when the draft changed between its check and the write. */
static void written(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) {
        changed_meanwhile(ex);
        return;
    }
    respond_private(ex->req);
    respond_column(ex->req, 200, CT_JSON, res, APPLICATION_WRITE_JSON);
}

/* Answers 404, 409 (not a draft any more) or the database failure and
 * returns 1; or sets w->version and returns 0. */
static int draft_refused(struct exchange *ex, struct app_write *w, const PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return 1;
    if (PQntuples(res) == 0) {
        not_yours(ex);
        return 1;
    }
    if (strcmp(PQgetvalue(res, 0, APPLICATION_DRAFT_STATUS), "draft")) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "application %s is %s: only a draft can be changed or submitted",
                        ex->path_params[0], PQgetvalue(res, 0, APPLICATION_DRAFT_STATUS));
        return 1;
    }
    w->version = exchange_strdup(ex, PQgetvalue(res, 0, APPLICATION_DRAFT_VERSION));
    return 0;
}

/* A stored text column, NULL for SQL NULL (copied into the request pool). */
static const char *stored(struct exchange *ex, const PGresult *res, int col)
{
    return PQgetisnull(res, 0, col) ? NULL : exchange_strdup(ex, PQgetvalue(res, 0, col));
}

/* Reads the draft of the path for the caller, then runs done. */
static void with_draft(struct exchange *ex, struct app_write *w, exchange_result_cb done)
{
    ex->handler_data = w;
    const char *args[APPLICATION_DRAFT_NPARAMS] = {
        [APPLICATION_DRAFT_P_ID] = exchange_printf(ex, "%ld", w->id),
        [APPLICATION_DRAFT_P_USER] = exchange_printf(ex, "%ld", ex->who.user_id),
    };
    exchange_query_prepared(ex, APPLICATION_DRAFT_SQL, APPLICATION_DRAFT_NPARAMS, args, done);
}

/* ---- PATCH /api/v1/applications/{id}: the draft's members ---- */

static void update_draft_read(struct exchange *ex, PGresult *res)
{
    struct app_write *w = ex->handler_data;
    if (draft_refused(ex, w, res))
        return;
    /* members not given keep their stored values; a person has no tax number */
    int to_person = w->in.kind && !strcmp(w->in.kind, "citizen");
    if (!w->in.kind)
        w->in.kind = stored(ex, res, APPLICATION_DRAFT_KIND);
    if (!w->in.tax_number && !w->clear_tax && !to_person)
        w->in.tax_number = stored(ex, res, APPLICATION_DRAFT_TAX_NUMBER);
    if (!w->in.business_name && !w->clear_name && !to_person)
        w->in.business_name = stored(ex, res, APPLICATION_DRAFT_BUSINESS_NAME);
    if (verified_tax_refused(ex, w, res, APPLICATION_DRAFT_VERIFIED_TAX_NUMBER,
                             APPLICATION_DRAFT_VERIFIED_BY))
        return;
    json_t *kept = NULL;
    if (!json_object_get(w->f.obj, "answers"))
        w->in.answers = kept = json_loads(PQgetvalue(res, 0, APPLICATION_DRAFT_ANSWERS), 0, NULL);
    int bad = refused(ex, w, PQgetvalue(res, 0, APPLICATION_DRAFT_FIELDS),
                      PQgetvalue(res, 0, APPLICATION_DRAFT_APPLICANTS), 1);
    const char *args[APPLICATION_UPDATE_NPARAMS];
    if (!bad)
        write_args(ex, w, args);
    json_decref(kept);
    w->in.answers = NULL;
    if (!bad)
        exchange_query_prepared(ex, APPLICATION_UPDATE_SQL, APPLICATION_UPDATE_NPARAMS, args,
                                written);
}

void api_applications_update(struct exchange *ex)
{
    static const char *const allowed[] = {"applicant_kind", "tax_number", "business_name",
                                          "answers", NULL};
    long id;
    if (params_path_id(&ex->query, "id", ex->path_params[0], "application", &id),
        respond_params_problem(ex->req, &ex->query))
        return;
    struct app_write *w = BODY_PARSE_RECORD(ex, struct app_write, allowed);
    if (!w)
        return;
    w->id = id;
    read_applicant(w);
    if (fields_reject(ex, &w->f))
        return;
    with_draft(ex, w, update_draft_read);
}

/* ---- POST /api/v1/applications/{id}/submit ---- */

/* An error "documents.<code>" for each code of the json array missing: the
 * required documents with no file attached. */
static void missing_documents(struct exchange *ex, const char *missing, json_t **errors)
{
    json_t *codes = json_loads(missing, 0, NULL), *code;
    size_t i;
    json_array_foreach(codes, i, code)
        field_error_append(errors, exchange_printf(ex, "documents.%s", json_string_value(code)),
                           "a file attached (POST .../files/{document_code})",
                           exchange_printf(ex, "document \"%s\" is required; none attached",
                                           json_string_value(code)));
    json_decref(codes);
}

static void submit_draft_read(struct exchange *ex, PGresult *res)
{
    struct app_write *w = ex->handler_data;
    if (draft_refused(ex, w, res))
        return;
    if (PQgetvalue(res, 0, APPLICATION_DRAFT_ACTIVE)[0] != 't') {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "the service of application %s is no longer offered",
                        ex->path_params[0]);
        return;
    }
    w->in.kind = stored(ex, res, APPLICATION_DRAFT_KIND);
    w->in.tax_number = stored(ex, res, APPLICATION_DRAFT_TAX_NUMBER);
    w->in.business_name = stored(ex, res, APPLICATION_DRAFT_BUSINESS_NAME);
    json_t *answers = json_loads(PQgetvalue(res, 0, APPLICATION_DRAFT_ANSWERS), 0, NULL);
    w->in.answers = answers;
    missing_documents(ex, PQgetvalue(res, 0, APPLICATION_DRAFT_MISSING_DOCUMENTS), &w->f.errors);
    int bad = refused(ex, w, PQgetvalue(res, 0, APPLICATION_DRAFT_FIELDS),
                      PQgetvalue(res, 0, APPLICATION_DRAFT_APPLICANTS), 0);
    json_decref(answers);
    w->in.answers = NULL;
    if (bad)
        return;
    const char *args[APPLICATION_SUBMIT_NPARAMS] = {
        [APPLICATION_SUBMIT_P_ID] = exchange_printf(ex, "%ld", w->id),
        [APPLICATION_SUBMIT_P_USER] = exchange_printf(ex, "%ld", ex->who.user_id),
        [APPLICATION_SUBMIT_P_VERSION] = w->version,
        [APPLICATION_SUBMIT_P_ROLE] = ex->who.role,
    };
    exchange_query_prepared(ex, APPLICATION_SUBMIT_SQL, APPLICATION_SUBMIT_NPARAMS, args,
                            written);
}

void api_applications_submit(struct exchange *ex)
{
    long id;
    if (respond_bad_path_id(ex->req, &ex->query, ex->path_params[0], "application", &id))
        return;
    /* the draft as stored is what is submitted: no body */
    struct app_write *w = h2o_mem_alloc_pool(&ex->req->pool, sizeof *w);
    memset(w, 0, sizeof *w);
    w->id = id;
    with_draft(ex, w, submit_draft_read);
}
