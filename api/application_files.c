/* Documents attached to applications (issue 17): the applicant attaches a
 * file as one of the documents its service asks for (POST
 * /api/v1/applications/{id}/files/{document_code}) while the application is
 * a draft or staff asked for more information, lists and downloads them
 * (and so do staff once it is submitted, as for the application itself),
 * and deletes them while it is a draft.
 *
 * An upload is the raw body or the multipart part "file". What the file is
 * comes from its bytes (services/upload_check.h), checked off the loop
 * together with the write: the bytes as sent go to
 * $POLIS_VAR/application-files/<random>.<ext> (temporary name, fsync,
 * rename, fsync of the directory); only then is the row inserted, and the
 * file is removed when no row could be. A refused file leaves nothing. */
#include "services/application_files_sql.h"
#include "services/upload_check.h"
#include "api/api.h"
#include "api/photo_store.h"
#include "common/make_dirs.h"
#include "common/write_all.h"
#include "http/identity.h"
#include "http/multipart.h"
#include "http/offload.h"
#include "http/respond.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FILES_FOLDER "application-files"
#define NAME_MAX_BYTES 256 /* original_name: at most 255 bytes */

static const char *files_dir(struct exchange *ex)
{
    return exchange_printf(ex, "%s/" FILES_FOLDER, ex->app->cfg.var_dir);
}

static void not_yours(struct exchange *ex)
{
    respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                    "there is no application %s of yours", ex->path_params[0]);
}

/* One upload as the request holds it (in its pool). */
struct upload_req {
    long application;
    const char *code, *sent_name;
    const uint8_t *data; /* into the request's body */
    size_t len;
    const char *file_name; /* the stored file, once written */
};

/* Its check and write on a pool thread (malloc'd, with copies of its own:
 * the request may go away meanwhile). */
struct attach {
    struct offload_job job; /* first: the pool hands it back */
    struct exchange *ex;
    struct upload_req *u;   /* the request's: touched only on the loop */
    uint8_t *data;
    size_t len;
    char *code;
    unsigned allowed;
    long max_pages;
    char dir[PATH_MAX];
    /* what it found */
    enum upload_verdict verdict;
    int not_written;
    struct upload_facts facts;
    char err[512], sha256[65], file_name[48], path[PATH_MAX + 64];
};

static void attach_free(struct attach *t)
{
    if (!t)
        return;
    json_decref(t->facts.metadata);
    free(t->data);
    free(t->code);
    free(t);
}

/* ---- reading the file out of the request ---- */

static int invalid_body(struct exchange *ex, int status, json_t *errors, const char *why)
{
    respond_problem(ex->req, status, "/problems/invalid-body",
                    status == 413 ? "Content Too Large" : "Invalid request body", errors, "%s",
                    why);
    return -1;
}

/* The file's bytes (into the request's body) and the name it was sent
 * with, if any. Returns 0, or -1 after answering 400/413/422. */
static int file_of_request(struct exchange *ex, const uint8_t **data, size_t *len,
                           const char **sent_name)
{
    h2o_req_t *req = ex->req;
    *data = (const uint8_t *)req->entity.base;
    *len = req->entity.base ? req->entity.len : 0;
    ssize_t ct = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    char boundary[MULTIPART_BOUNDARY_MAX + 1], err[256];
    int form = ct < 0 ? 0 : multipart_boundary(req->headers.entries[ct].value.base,
                                                req->headers.entries[ct].value.len, boundary,
                                                sizeof boundary, err, sizeof err);
    if (form < 0)
        return invalid_body(ex, 400, NULL, err);
    if (form == 0)
        return 0;
    struct multipart *mp = h2o_mem_alloc_pool(&req->pool, sizeof *mp);
    enum multipart_status s = multipart_parse(req->entity.base, *len, boundary,
                                              ex->app->cfg.upload_max_bytes, mp, err,
                                              sizeof err);
    if (s != MULTIPART_OK)
        return invalid_body(ex, s == MULTIPART_TOO_LARGE ? 413 : 400, NULL, err);
    const struct multipart_part *p = multipart_get(mp, "file");
    if (!p) {
        json_t *errors = NULL;
        field_error_append(&errors, "file", "a form part called file holding the document",
                           "no such part");
        return invalid_body(ex, 422, errors, "the form has no part called file");
    }
    *data = (const uint8_t *)p->data;
    *len = p->len;
    *sent_name = p->filename;
    return 0;
}

/* ---- checking and storing, off the loop ---- */

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = fd < 0 ? -1 : fsync(fd);
    if (fd >= 0)
        close(fd);
    return rc;
}

/* The bytes as sent under a new random name: a temporary file, fsync,
 * rename, fsync of the directory. Returns 0 or -1 (nothing left behind). */
static int store_as_sent(struct attach *t)
{
    unsigned char digest[crypto_hash_sha256_BYTES], rnd[16];
    crypto_hash_sha256(digest, t->data, t->len);
    sodium_bin2hex(t->sha256, sizeof t->sha256, digest, sizeof digest);
    randombytes_buf(rnd, sizeof rnd);
    char hex[33], tmp[PATH_MAX + 64];
    sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
    snprintf(t->file_name, sizeof t->file_name, "%s.%s", hex, upload_extension(t->facts.kind));
    snprintf(t->path, sizeof t->path, "%s/%s", t->dir, t->file_name);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", t->dir, hex);
    int fd = -1;
    int ok = make_dirs(t->dir, 0750) == 0 &&
             (fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640)) >= 0 &&
             write_all(fd, t->data, t->len) == 0 && fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0)
        ok = 0;
    ok = ok && rename(tmp, t->path) == 0 && fsync_dir(t->dir) == 0;
    if (!ok) {
        int e = errno;
        unlink(tmp);
        unlink(t->path);
        fprintf(stderr, "polis: writing an application file under %s failed: %s\n", t->dir,
                strerror(e));
    }
    return ok ? 0 : -1;
}

static void attach_work(struct offload_job *job)
{
    struct attach *t = (struct attach *)job;
    t->verdict = upload_check(t->data, t->len, t->allowed, t->max_pages, t->code,
                              &t->facts, t->err, sizeof t->err);
    if (t->verdict == UPLOAD_OK && store_as_sent(t) != 0) {
        t->not_written = 1;
        t->path[0] = '\0';
    }
}

/* ---- the row ---- */

static void inserted(struct exchange *ex, PGresult *res)
{
    const struct upload_req *u = ex->handler_data;
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) == 0)
        photo_remove(files_dir(ex), u->file_name); /* no row: no file */
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "application %s changed while the file was checked (it no longer "
                        "takes files): read it again", ex->path_params[0]);
        return;
    }
    respond_private(ex->req);
    respond_column(ex->req, 201, CT_JSON, res, APPLICATION_FILE_ROW_JSON);
}

/* The original name kept: the one sent (?name=, else the multipart file
 * name), else "<document code>.<ext>". */
static const char *kept_name(struct exchange *ex, const struct upload_req *u,
                             enum upload_kind kind)
{
    char *name = h2o_mem_alloc_pool(&ex->req->pool, NAME_MAX_BYTES);
    if (!u->sent_name || !upload_original_name(u->sent_name, name, NAME_MAX_BYTES))
        snprintf(name, NAME_MAX_BYTES, "%s.%s", u->code, upload_extension(kind));
    return name;
}

static void refuse_file(struct exchange *ex, struct attach *t)
{
    json_t *errors = NULL;
    int wrong = t->verdict == UPLOAD_WRONG_TYPE;
    field_error_append(&errors, "file",
                       exchange_printf(ex, "a file document \"%s\" accepts", t->u->code),
                       t->err);
    respond_problem(ex->req, wrong ? 415 : 422,
                    wrong ? "/problems/unsupported-file" : "/problems/invalid-file",
                    wrong ? "Unsupported Media Type" : "Invalid file", errors,
                    "%s (the content is checked, not the Content-Type or name)", t->err);
}

/* Back on the loop. */
static void attach_done(struct offload_job *job)
{
    struct attach *t = (struct attach *)job;
    if (job->cancelled) { /* the request is gone: keep nothing */
        if (t->path[0])
            unlink(t->path);
        attach_free(t);
        return;
    }
    struct exchange *ex = t->ex;
    struct upload_req *u = t->u;
    ex->offload = NULL;
    if (t->verdict != UPLOAD_OK) {
        refuse_file(ex, t);
    } else if (t->not_written) {
        respond_problem(ex->req, 503, "/problems/busy", "Service Unavailable", NULL,
                        "the file could not be stored; try again shortly");
    } else {
        u->file_name = exchange_strdup(ex, t->file_name);
        char *metadata = json_dumps(t->facts.metadata, JSON_COMPACT);
        const char *args[APPLICATION_FILE_INSERT_NPARAMS] = {
            [APPLICATION_FILE_INSERT_P_APPLICATION] = exchange_printf(ex, "%ld", u->application),
            [APPLICATION_FILE_INSERT_P_USER] = exchange_printf(ex, "%ld", ex->who.user_id),
            [APPLICATION_FILE_INSERT_P_CODE] = u->code,
            [APPLICATION_FILE_INSERT_P_ORIGINAL_NAME] = kept_name(ex, u, t->facts.kind),
            [APPLICATION_FILE_INSERT_P_MEDIA_TYPE] = upload_media_type(t->facts.kind),
            [APPLICATION_FILE_INSERT_P_BYTES] = exchange_printf(ex, "%zu", t->len),
            [APPLICATION_FILE_INSERT_P_SHA256] = exchange_strdup(ex, t->sha256),
            [APPLICATION_FILE_INSERT_P_PAGES] =
                t->facts.pages ? exchange_printf(ex, "%ld", t->facts.pages) : NULL,
            [APPLICATION_FILE_INSERT_P_METADATA] = exchange_strdup(ex, metadata ? metadata : "{}"),
            [APPLICATION_FILE_INSERT_P_FILE_NAME] = u->file_name,
        };
        free(metadata);
        attach_free(t);
        exchange_query_prepared(ex, APPLICATION_FILE_INSERT_SQL, APPLICATION_FILE_INSERT_NPARAMS,
                                args, inserted);
        return;
    }
    attach_free(t);
}

/* Hands the file of u to a pool thread: checked as a document that accepts
 * the kinds in allowed, then stored. */
static void check_and_store(struct exchange *ex, struct upload_req *u, unsigned allowed)
{
    struct attach *t = calloc(1, sizeof *t);
    if (t) {
        t->data = malloc(u->len ? u->len : 1);
        t->code = strdup(u->code);
    }
    if (!t || !t->data || !t->code) {
        attach_free(t);
        respond_problem(ex->req, 503, "/problems/busy", "Service Unavailable", NULL,
                        "out of memory; try again shortly");
        return;
    }
    memcpy(t->data, u->data, u->len);
    t->len = u->len;
    t->ex = ex;
    t->u = u;
    t->allowed = allowed;
    t->max_pages = ex->app->cfg.upload_max_pages;
    snprintf(t->dir, sizeof t->dir, "%s", files_dir(ex));
    t->job.work = attach_work;
    t->job.done = attach_done;
    if (exchange_offload(ex, &t->job))
        attach_free(t);
}

/* ---- POST /api/v1/applications/{id}/files/{document_code} ---- */

static void target_read(struct exchange *ex, PGresult *res)
{
    struct upload_req *t = ex->handler_data;
    if (respond_db_failure(ex->req, res))
        return;
    const char *status = PQntuples(res) ? PQgetvalue(res, 0, APPLICATION_FILE_TARGET_STATUS) : "";
    long max_kb = PQntuples(res) ? atol(PQgetvalue(res, 0, APPLICATION_FILE_TARGET_MAX_KB)) : 0;
    if (PQntuples(res) == 0) {
        not_yours(ex);
    } else if (strcmp(status, "draft") && strcmp(status, "info_requested")) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "application %s is %s: files are attached while it is a draft or "
                        "while more information is asked for", ex->path_params[0], status);
    } else if (PQgetvalue(res, 0, APPLICATION_FILE_TARGET_KNOWN)[0] != 't') {
        const char *codes = PQgetvalue(res, 0, APPLICATION_FILE_TARGET_CODES);
        json_t *errors = NULL;
        field_error_append(&errors, "document_code",
                           *codes ? exchange_printf(ex, "one of the documents the service asks "
                                                    "for: %s", codes)
                                  : "none: the service asks for no documents",
                           t->code);
        respond_problem(ex->req, 422, "/problems/invalid-field", "Invalid field", errors,
                        "the service of application %s asks for no document \"%s\"",
                        ex->path_params[0], t->code);
    } else if (t->len > (size_t)max_kb * 1024) {
        json_t *errors = NULL;
        field_error_append(&errors, "file", exchange_printf(ex, "at most %ld KB", max_kb),
                           exchange_printf(ex, "%zu bytes", t->len));
        respond_problem(ex->req, 413, "/problems/too-large", "Content Too Large", errors,
                        "document \"%s\" has %zu bytes; at most %ld KB are accepted", t->code,
                        t->len, max_kb);
    } else {
        check_and_store(ex, t, upload_kinds_of(PQgetvalue(res, 0, APPLICATION_FILE_TARGET_TYPES)));
    }
}

void api_application_files_upload(struct exchange *ex)
{
    static const char *const allowed[] = {"name", NULL};
    long id;
    params_path_id(&ex->query, "id", ex->path_params[0], "application", &id);
    params_allow_only(&ex->query, allowed);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const uint8_t *data;
    size_t len;
    const char *sent_name = params_get(&ex->query, "name");
    const char *part_name = NULL;
    if (file_of_request(ex, &data, &len, &part_name))
        return;
    struct upload_req *t = h2o_mem_alloc_pool(&ex->req->pool, sizeof *t);
    *t = (struct upload_req){.application = id, .code = ex->path_params[1],
                             .sent_name = sent_name ? sent_name : part_name, .data = data,
                             .len = len};
    ex->handler_data = t;
    const char *args[APPLICATION_FILE_TARGET_NPARAMS] = {
        [APPLICATION_FILE_TARGET_P_ID] = exchange_printf(ex, "%ld", id),
        [APPLICATION_FILE_TARGET_P_USER] = exchange_printf(ex, "%ld", ex->who.user_id),
        [APPLICATION_FILE_TARGET_P_CODE] = t->code,
    };
    exchange_query_prepared(ex, APPLICATION_FILE_TARGET_SQL, APPLICATION_FILE_TARGET_NPARAMS,
                            args, target_read);
}

/* ---- reads: GET .../files and GET .../files/{file_id} ---- */

/* The path's ids and the viewer as the read statements take them; returns
 * 0, or -1 after answering 400. */
static int read_args(struct exchange *ex, int with_file,
                     const char *args[APPLICATION_FILE_READ_NPARAMS])
{
    long id, file = 0;
    params_path_id(&ex->query, "id", ex->path_params[0], "application", &id);
    if (with_file)
        params_path_id(&ex->query, "file_id", ex->path_params[1], "file", &file);
    if (respond_unwanted_params(ex->req, &ex->query) ||
        respond_params_problem(ex->req, &ex->query))
        return -1;
    args[APPLICATION_FILE_READ_P_APPLICATION] = exchange_printf(ex, "%ld", id);
    identity_viewer_args(ex, args + APPLICATION_FILE_READ_P_USER);
    args[APPLICATION_FILE_READ_P_FILE] = exchange_printf(ex, "%ld", file);
    return 0;
}

static void listed(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure_or_missing(ex->req, res, "there is no application %s",
                                      ex->path_params[0]))
        return;
    respond_private(ex->req);
    respond_column_as_member(ex->req, res, "files", APPLICATION_FILES_LIST_JSON);
}

void api_application_files_list(struct exchange *ex)
{
    const char *args[APPLICATION_FILE_READ_NPARAMS];
    if (read_args(ex, 0, args) == 0)
        exchange_query_prepared(ex, APPLICATION_FILES_LIST_SQL, APPLICATION_FILES_LIST_NPARAMS,
                                args, listed);
}

static void found_for_download(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure_or_missing(ex->req, res, "application %s has no file %s",
                                      ex->path_params[0], ex->path_params[1]))
        return;
    char *disposition = h2o_mem_alloc_pool(&ex->req->pool, UPLOAD_DISPOSITION_MAX);
    upload_content_disposition(PQgetvalue(res, 0, APPLICATION_FILE_GET_ORIGINAL_NAME),
                               disposition, UPLOAD_DISPOSITION_MAX);
    respond_header(ex->req, "content-disposition", disposition);
    photo_serve(ex, files_dir(ex), PQgetvalue(res, 0, APPLICATION_FILE_GET_FILE_NAME),
                PQgetvalue(res, 0, APPLICATION_FILE_GET_MEDIA_TYPE),
                PQgetvalue(res, 0, APPLICATION_FILE_GET_SHA256), "private, no-cache");
}

void api_application_files_get(struct exchange *ex)
{
    const char *args[APPLICATION_FILE_READ_NPARAMS];
    if (read_args(ex, 1, args) == 0)
        exchange_query_prepared(ex, APPLICATION_FILE_GET_SQL, APPLICATION_FILE_READ_NPARAMS,
                                args, found_for_download);
}

/* ---- DELETE .../files/{file_id} ---- */

static void deleted(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) {
        not_yours(ex);
    } else if (PQgetvalue(res, 0, APPLICATION_FILE_DELETE_FOUND)[0] != 't') {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "application %s has no file %s", ex->path_params[0],
                        ex->path_params[1]);
    } else if (PQgetisnull(res, 0, APPLICATION_FILE_DELETE_REMOVED)) {
        respond_problem(ex->req, 409, "/problems/conflict", "Conflict", NULL,
                        "application %s is %s: files are deleted only from a draft",
                        ex->path_params[0],
                        PQgetvalue(res, 0, APPLICATION_FILE_DELETE_STATUS));
    } else {
        photo_remove(files_dir(ex), PQgetvalue(res, 0, APPLICATION_FILE_DELETE_REMOVED));
        respond_no_content(ex->req);
    }
}

void api_application_files_delete(struct exchange *ex)
{
    long id, file;
    params_path_id(&ex->query, "id", ex->path_params[0], "application", &id);
    params_path_id(&ex->query, "file_id", ex->path_params[1], "file", &file);
    if (respond_unwanted_params(ex->req, &ex->query) ||
        respond_params_problem(ex->req, &ex->query))
        return;
    const char *args[APPLICATION_FILE_DELETE_NPARAMS] = {
        [APPLICATION_FILE_DELETE_P_APPLICATION] = exchange_printf(ex, "%ld", id),
        [APPLICATION_FILE_DELETE_P_USER] = exchange_printf(ex, "%ld", ex->who.user_id),
        [APPLICATION_FILE_DELETE_P_FILE] = exchange_printf(ex, "%ld", file),
    };
    exchange_query_prepared(ex, APPLICATION_FILE_DELETE_SQL, APPLICATION_FILE_DELETE_NPARAMS,
                            args, deleted);
}
