/* POST /api/v1/layers: a layer file uploaded as multipart/form-data becomes
 * a background import job (jobs/import_job.h) and the answer is 202 with
 * the job's URL; GET /api/v1/jobs/{id} and GET /api/v1/jobs follow jobs.
 *
 * The upload is checked here, on the loop, for what a client can fix at
 * once (415 not multipart, 400 malformed, 413 too large, 422 a missing or
 * bad field); then, on an offload thread, GDAL (in a child process, never
 * in the server) says whether the file is of a format an import refuses: a
 * VRT, a WFS description, ... written as x.geojson is a 415 naming what it
 * is, and no job starts. Whether an accepted file is usable geodata is the
 * import's question, answered in the job's result. The job row and its
 * audit_log row are one statement. */
#include "gis/csv_geometry.h"
#include "gis/jobs_sql.h"
#include "gis/sql_ident.h"
#include "gis/layer_import.h"
#include "gis/ogr_reader.h"
#include "gis/translit.h"
#include "api/actor.h"
#include "api/api.h"
#include "jobs/import_job.h"
#include "http/multipart.h"
#include "http/paging.h"
#include "http/params.h"
#include "http/respond.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define UPLOAD_FIELDS "file, name, title_el, title_en, srs, encoding, mode, visibility, x, y"

struct upload {
    struct import_job *ij;   /* NULL while the format check has it */
    char label[200];         /* server host:pid */
    const char **create_args; /* JOB_CREATE_SQL's JOB_CREATE_NPARAMS parameters */
};

/* The format check, on an offload thread (import_job_refused). */
struct format_check {
    struct offload_job job;  /* first */
    struct exchange *ex;
    struct import_job *ij;   /* owned while the check runs */
    int refused;
    char why[2048];
};

/* A text part as a NUL-terminated string in the request pool; NULL and an
 * error when it is not UTF-8 text of at most max bytes. */
static const char *text_part(struct exchange *ex, const struct multipart_part *p, size_t max,
                             json_t **errors)
{
    char *s = h2o_mem_alloc_pool(&ex->req->pool, p->len + 1);
    memcpy(s, p->data, p->len);
    s[p->len] = '\0';
    if (strlen(s) != p->len || !utf8_valid(s) || p->len > max) {
        field_error_append(errors, p->name,
                           exchange_printf(ex, "UTF-8 text of at most %zu bytes", max),
                           "other bytes");
        return NULL;
    }
    return s;
}

static int one_of(const char *v, const char *const *choices)
{
    for (int i = 0; choices[i]; i++)
        if (!strcasecmp(v, choices[i]))
            return i;
    return -1;
}

static int srs_valid(const char *s)
{
    if (strncasecmp(s, "EPSG:", 5) || !s[5] || strlen(s) > 12)
        return 0;
    for (const char *p = s + 5; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

static void job_rejected(struct exchange *ex, PGresult *res)
{
    respond_problem(ex->req, 503, "/problems/busy", "Service Unavailable", NULL,
                    "the server is importing as many uploads as it can; try again shortly");
}

static void job_created(struct exchange *ex, PGresult *res)
{
    struct upload *up = ex->handler_data;
    struct import_job *ij = up->ij;
    up->ij = NULL;
    if (respond_db_failure(ex->req, res)) {
        import_job_free(ij);
        return;
    }
    ij->id = atol(PQgetvalue(res, 0, JOB_CREATE_ID));
    const char *json = exchange_strdup(ex, PQgetvalue(res, 0, JOB_CREATE_JOB));
    const char *id = exchange_strdup(ex, PQgetvalue(res, 0, JOB_CREATE_ID));
    if (import_job_submit(ij, &ex->worker->offload_done)) {
        import_job_free(ij);
        const char *p[] = {id, "the server was too busy to queue the import; upload the file "
                               "again"};
        exchange_query(ex, JOB_FAIL_QUEUED_SQL, 2, p, job_rejected);
        return;
    }
    respond_header(ex->req, "location", exchange_url(ex, exchange_printf(ex, "/api/v1/jobs/%s",
                                                                         id)));
    respond_private(ex->req);
    respond_bytes(ex->req, 202, CT_JSON, json, strlen(json));
}

static void format_check_work(struct offload_job *job)
{
    struct format_check *fc = (struct format_check *)job;
    fc->refused = import_job_refused(fc->ij->app, fc->ij->file_name, fc->ij->data, fc->ij->len,
                                     fc->why, sizeof fc->why);
}

/* Back on the loop: 415 for a refused format, else the job is created. */
static void format_check_done(struct offload_job *job)
{
    struct format_check *fc = (struct format_check *)job;
    if (job->cancelled) { /* the client left */
        import_job_free(fc->ij);
        free(fc);
        return;
    }
    struct exchange *ex = fc->ex;
    struct upload *up = ex->handler_data;
    ex->offload = NULL;
    up->ij = fc->ij;
    if (fc->refused) {
        json_t *errors = NULL;
        field_error_append(&errors, "file", "a file in an accepted format: " OGR_READER_ACCEPTED,
                           fc->why);
        respond_problem(ex->req, 415, "/problems/unsupported-format", "Unsupported file format",
                        errors, "%s", fc->why);
    } else {
        exchange_query(ex, JOB_CREATE_SQL, JOB_CREATE_NPARAMS, up->create_args, job_created);
    }
    free(fc);
}

/* The request pool's destructor: a job whose row never came back. */
static void upload_dispose(void *p)
{
    struct upload *up = p;
    import_job_free(up->ij);
}

void api_layers_upload(struct exchange *ex)
{
    h2o_req_t *req = ex->req;
    const struct polis_config *cfg = &ex->app->cfg;
    char boundary[MULTIPART_BOUNDARY_MAX + 1], why[512];
    ssize_t h = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    int b = h < 0 ? 0
                  : multipart_boundary(req->headers.entries[h].value.base,
                                       req->headers.entries[h].value.len, boundary,
                                       sizeof boundary, why, sizeof why);
    if (b == 0) {
        respond_problem(req, 415, "/problems/unsupported-media-type", "Unsupported Media Type",
                        NULL, "the body must be multipart/form-data (an HTML form with "
                        "enctype=\"multipart/form-data\", curl -F) with a \"file\" part");
        return;
    }
    struct multipart *mp = h2o_mem_alloc_pool(&req->pool, sizeof *mp);
    enum multipart_status st =
        b < 0 ? MULTIPART_MALFORMED
              : multipart_parse(req->entity.base ? req->entity.base : "", req->entity.len,
                                boundary, cfg->upload_max_bytes, mp, why, sizeof why);
    if (st == MULTIPART_TOO_LARGE) {
        respond_problem(req, 413, "/problems/too-large", "Content Too Large", NULL,
                        "%s; the limit is %zu MB (POLIS_UPLOAD_MAX_MB)", why,
                        cfg->upload_max_bytes / (1024 * 1024));
        return;
    }
    if (st != MULTIPART_OK) {
        respond_problem(req, 400, "/problems/malformed-multipart", "Malformed multipart body",
                        NULL, "%s", why);
        return;
    }

    static const char *const allowed[] = {"file", "name", "title_el", "title_en", "srs",
                                          "encoding", "mode", "visibility", "x", "y", NULL};
    const char *val[sizeof allowed / sizeof allowed[0]] = {0};
    const struct multipart_part *file = NULL;
    json_t *errors = NULL;
    for (int i = 0; i < mp->n; i++) {
        const struct multipart_part *p = &mp->parts[i];
        int k = 0;
        while (allowed[k] && strcmp(allowed[k], p->name))
            k++;
        if (!allowed[k]) {
            field_error_append(&errors, p->name, "one of: " UPLOAD_FIELDS, "an unknown field");
            continue;
        }
        if (multipart_get(mp, p->name) != p) {
            field_error_append(&errors, p->name, "one part of this name", "several");
            continue;
        }
        if (k == 0)
            file = p;
        else
            val[k] = text_part(ex, p, k == 2 || k == 3 ? 250 : k >= 8 ? CSV_COLUMN_MAX : 64,
                               &errors);
    }
    static const char *file_expected =
        "a file part (Content-Disposition: form-data; name=\"file\"; filename=\"...\"): "
        OGR_READER_ACCEPTED;
    if (!file)
        field_error_append(&errors, "file", file_expected, "no file part");
    else if (!file->filename || !file->filename[0])
        field_error_append(&errors, "file", file_expected, "a text field without a filename");
    else if (file->len == 0)
        field_error_append(&errors, "file", file_expected, "an empty file");

    char file_name[128] = "upload", layer[64] = "";
    if (file && file->filename)
        upload_file_name(file->filename, file_name, sizeof file_name);
    if (val[1]) {
        if (layer_name_valid(val[1]))
            snprintf(layer, sizeof layer, "%s", val[1]);
        else
            field_error_append(&errors, "name", LAYER_NAME_EXPECTED, val[1]);
    } else if (file && file->filename) {
        /* from the file's name without its extension */
        char stem[128];
        snprintf(stem, sizeof stem, "%s", file->filename);
        char *slash = strrchr(stem, '/'), *dot = strrchr(stem, '.');
        if (dot && (!slash || dot > slash))
            *dot = '\0';
        sql_ident_from_text(slash ? slash + 1 : stem, layer, sizeof layer);
        if (!layer_name_valid(layer))
            field_error_append(&errors, "name",
                               LAYER_NAME_EXPECTED " (the name the file gives; send a name field)",
                               layer);
    }
    if (val[4] && !srs_valid(val[4]))
        field_error_append(&errors, "srs", "EPSG:n, e.g. EPSG:2100", val[4]);
    static const char *const encodings[] = {"CP1253", "ISO-8859-7", "UTF-8", NULL};
    if (val[5] && one_of(val[5], encodings) < 0)
        field_error_append(&errors, "encoding", "CP1253, ISO-8859-7 or UTF-8", val[5]);
    static const char *const modes[] = {"create", "replace", "append", NULL};
    int mode = val[6] ? one_of(val[6], modes) : 0;
    if (mode < 0)
        field_error_append(&errors, "mode", "create, replace or append", val[6]);
    static const char *const visibilities[] = {"public", "staff", NULL};
    if (val[7] && one_of(val[7], visibilities) < 0)
        field_error_append(&errors, "visibility", "public or staff", val[7]);
    /* a CSV's coordinate columns: both or neither, one name each */
    for (int k = 8; k <= 9; k++)
        if (val[k] && strchr(val[k], ','))
            field_error_append(&errors, allowed[k], "one column name, without a comma", val[k]);
        else if (!val[k] != !val[k == 8 ? 9 : 8])
            field_error_append(&errors, allowed[k], "a column name, as x and y go together",
                               "no value");
    if (errors) {
        respond_problem(req, 422, "/problems/invalid-field", "Invalid field", errors,
                        "the upload's fields are missing or wrong (expected: %s)",
                        UPLOAD_FIELDS);
        return;
    }

    struct upload *up = h2o_mem_alloc_shared(&req->pool, sizeof *up, upload_dispose);
    memset(up, 0, sizeof *up);
    up->ij = import_job_new(ex->app, 0, file->data, file->len);
    if (!up->ij) {
        respond_problem(req, 503, "/problems/busy", "Service Unavailable", NULL,
                        "the server is out of memory for this upload; try again shortly");
        return;
    }
    struct import_job *ij = up->ij;
    snprintf(ij->file_name, sizeof ij->file_name, "%s", file_name);
    snprintf(ij->layer, sizeof ij->layer, "%s", layer);
    snprintf(ij->title_el, sizeof ij->title_el, "%s", val[2] ? val[2] : "");
    snprintf(ij->title_en, sizeof ij->title_en, "%s", val[3] ? val[3] : "");
    snprintf(ij->srs, sizeof ij->srs, "%s", val[4] ? val[4] : "");
    snprintf(ij->x_column, sizeof ij->x_column, "%s", val[8] ? val[8] : "");
    snprintf(ij->y_column, sizeof ij->y_column, "%s", val[9] ? val[9] : "");
    if (val[5])
        snprintf(ij->encoding, sizeof ij->encoding, "%s", encodings[one_of(val[5], encodings)]);
    if (val[7])
        snprintf(ij->visibility, sizeof ij->visibility, "%s",
                 visibilities[one_of(val[7], visibilities)]);
    ij->mode = mode == 1 ? LAYER_REPLACE : mode == 2 ? LAYER_APPEND : LAYER_CREATE;
    import_job_server_label(up->label, sizeof up->label);
    ex->handler_data = up;

    json_t *options = json_pack("{s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?}", "mode", modes[mode],
                                "visibility", ij->visibility[0] ? ij->visibility : NULL,
                                "srs", val[4], "encoding", ij->encoding[0] ? ij->encoding : NULL,
                                "title_el", val[2], "title_en", val[3], "x", val[8], "y", val[9]);
    char *options_text = json_dumps(options, JSON_COMPACT);
    json_decref(options);
    const char *args[JOB_CREATE_NPARAMS] = {
        [JOB_CREATE_P_LAYER] = ij->layer,
        [JOB_CREATE_P_FILE_NAME] = ij->file_name,
        [JOB_CREATE_P_BYTES] = exchange_printf(ex, "%zu", file->len),
        [JOB_CREATE_P_OPTIONS] = exchange_strdup(ex, options_text ? options_text : "{}"),
        [JOB_CREATE_P_SERVER] = up->label,
    };
    actor_args(ex, &args[JOB_CREATE_P_ACTOR]);
    free(options_text);
    up->create_args = h2o_mem_alloc_pool(&req->pool, sizeof args);
    memcpy(up->create_args, args, sizeof args);

    struct format_check *fc = calloc(1, sizeof *fc);
    if (!fc) {
        respond_problem(req, 503, "/problems/busy", "Service Unavailable", NULL,
                        "the server is out of memory for this upload; try again shortly");
        return;
    }
    fc->job.work = format_check_work;
    fc->job.done = format_check_done;
    fc->ex = ex;
    fc->ij = ij;
    up->ij = NULL;
    if (exchange_offload(ex, &fc->job)) { /* answered 503 */
        up->ij = ij;
        free(fc);
    }
}

/* ---- GET /api/v1/jobs/{id} ---- */

static void job_done(struct exchange *ex, PGresult *res)
{
    respond_private(ex->req);
    respond_column_or_missing(ex->req, res, CT_JSON, JOB_GET_JOB, "there is no job %s of yours",
                              ex->path_params[0]);
}

void api_jobs_get(struct exchange *ex)
{
    char *end;
    const char *s = ex->path_params[0];
    long long id = strtoll(s, &end, 10);
    if (*end || id < 1 || s[0] == '+' || s[0] == ' ') {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "there is no job %.40s", s);
        return;
    }
    const char *args[] = {exchange_printf(ex, "%lld", id),
                          exchange_printf(ex, "%ld", ex->who.user_id),
                          ex->who.rank >= 3 ? "t" : "f"};
    exchange_query(ex, JOB_GET_SQL, 3, args, job_done);
}

/* ---- GET /api/v1/jobs: own jobs (admins: all), newest first ---- */

/* JOB_PAGE_SQL answers the rows the paging helper reads (http/paging.h) */
_Static_assert((int)JOB_PAGE_ID == (int)ID_PAGE_ID && (int)JOB_PAGE_JOB == (int)ID_PAGE_JSON,
               "JOB_PAGE_SQL returns (id, json) like every list paged by id");

void api_jobs_list(struct exchange *ex)
{
    struct id_page *pg = h2o_mem_alloc_pool(&ex->req->pool, sizeof *pg);
    long after;
    pg->path = "/api/v1/jobs";
    pg->member = "jobs";
    if (id_page_parse(ex, pg, &after))
        return;
    ex->handler_data = pg;
    const char *args[JOB_PAGE_NPARAMS] = {
        [JOB_PAGE_P_AFTER] = exchange_printf(ex, "%ld", after),
        [JOB_PAGE_P_LIMIT] = exchange_printf(ex, "%ld", pg->limit + 1),
        [JOB_PAGE_P_USER] = exchange_printf(ex, "%ld", ex->who.user_id),
        [JOB_PAGE_P_ADMIN] = ex->who.rank >= 3 ? "t" : "f",
    };
    exchange_query(ex, JOB_PAGE_SQL, JOB_PAGE_NPARAMS, args, id_page_done);
}
