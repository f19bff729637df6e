/* Photos of citizen reports: upload (at most REPORT_PHOTOS_MAX per report,
 * each at most POLIS_PHOTO_MAX_MB) and download.
 *
 * POST /api/v1/reports/{id}/photos takes the image as the raw body (any
 * Content-Type, such as image/jpeg) or as the part called "photo" of a
 * multipart/form-data body. The Content-Type and file name are never
 * trusted: the bytes are sniffed (server/photo_clean.h) and only JPEG, PNG
 * and WebP are kept, stripped of Exif/XMP (the location a phone writes).
 * Off the event loop, the cleaned bytes are written to
 * $POLIS_VAR/photos/<report id>/<random>.<ext> (a temporary name, fsync,
 * rename, fsync of the directory); only then is the row inserted, and a
 * file whose row could not be inserted is removed. Who may add photos: the
 * reporter (signed in, or anonymous with ?secret=), staff of the report's
 * department and admins.
 *
 * GET /api/v1/reports/{id}/photos/{photo} answers the bytes to whoever may
 * see the report (404 to anyone else), with ETag (the SHA-256) and
 * Cache-Control private for private categories. */
#include "auth/token.h"
#include "gis/report_photos_sql.h"
#include "server/api.h"
#include "server/conditional.h"
#include "server/identity.h"
#include "server/multipart.h"
#include "server/offload.h"
#include "server/photo_clean.h"
#include "server/report_access.h"
#include "server/respond.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOT_AN_IMAGE "not a JPEG, PNG or WebP image"

/* Path parameter i as a positive id, or 0 after recording an error. */
static long path_id(struct exchange *ex, int i, const char *what)
{
    long id;
    if (parse_integer(ex->path_params[i], &id) || id < 1) {
        params_error(&ex->query, i ? "photo" : "id", what, ex->path_params[i]);
        return 0;
    }
    return id;
}

static const char *photos_dir(struct exchange *ex, long report_id)
{
    return exchange_printf(ex, "%s/photos/%ld", ex->app->cfg.var_dir, report_id);
}

/* ---- POST /api/v1/reports/{id}/photos ---- */

struct upload {
    struct offload_job job; /* first: the pool hands it back */
    struct exchange *ex;    /* NULL once the request is gone */
    long report_id;
    uint8_t *in, *out;      /* malloc'd: the body as sent, the cleaned image */
    size_t inlen, outlen;
    struct photo_info info;
    char dir[PATH_MAX], path[PATH_MAX + 64], file_name[64], sha256[65];
    int status;             /* 0, or the HTTP status to answer */
    char err[256];
};

struct upload_state {
    long report_id;
    const uint8_t *data; /* into the request body */
    size_t len;
    const char *path;    /* the written file, to remove when the row is not inserted */
};

static int mkdir_p(const char *dir)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0750) && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(tmp, 0750) && errno != EEXIST ? -1 : 0;
}

static int fsync_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* On a pool thread: clean, hash, write, fsync, rename, fsync the directory. */
static void upload_work(struct offload_job *job)
{
    struct upload *u = (struct upload *)job;
    u->out = malloc(u->inlen ? u->inlen : 1);
    if (!u->out) {
        u->status = 503;
        snprintf(u->err, sizeof u->err, "out of memory; try again shortly");
        return;
    }
    char why[200];
    if (photo_clean(u->in, u->inlen, u->out, &u->outlen, &u->info, why, sizeof why)) {
        u->status = u->info.kind == PHOTO_UNKNOWN ? 415 : 422;
        snprintf(u->err, sizeof u->err, "%s", why);
        return;
    }
    unsigned char digest[crypto_hash_sha256_BYTES], rnd[16];
    crypto_hash_sha256(digest, u->out, u->outlen);
    sodium_bin2hex(u->sha256, sizeof u->sha256, digest, sizeof digest);
    randombytes_buf(rnd, sizeof rnd);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
    snprintf(u->file_name, sizeof u->file_name, "%s.%s", hex, photo_extension(u->info.kind));
    char tmp[PATH_MAX + 64];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", u->dir, hex);
    snprintf(u->path, sizeof u->path, "%s/%s", u->dir, u->file_name);
    int fd = -1;
    size_t done = 0;
    if (mkdir_p(u->dir) == 0 &&
        (fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640)) >= 0) {
        while (done < u->outlen) {
            ssize_t n = write(fd, u->out + done, u->outlen - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            done += (size_t)n;
        }
    }
    int ok = fd >= 0 && done == u->outlen && fsync(fd) == 0;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    ok = ok && rename(tmp, u->path) == 0 && fsync_path(u->dir, O_RDONLY | O_DIRECTORY) == 0;
    if (!ok) {
        int e = errno;
        unlink(tmp);
        unlink(u->path);
        u->path[0] = '\0';
        u->status = 503;
        fprintf(stderr, "polis: writing a photo under %s failed: %s\n", u->dir, strerror(e));
        snprintf(u->err, sizeof u->err, "the photo could not be stored; try again shortly");
    }
}

static void upload_free(struct upload *u)
{
    free(u->in);
    free(u->out);
    free(u);
}

static void inserted(struct exchange *ex, PGresult *res)
{
    struct upload_state *st = ex->handler_data;
    int ok = res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
    if (!ok)
        unlink(st->path); /* no row: no file */
    if (respond_db_failure(ex->req, res))
        return;
    if (!ok) {
        respond_problem(ex->req, 409, "/problems/too-many-photos", "Conflict", NULL,
                        "report %ld already has %d photos, the most a report may have",
                        st->report_id, REPORT_PHOTOS_MAX);
        return;
    }
    const char *id = PQgetvalue(res, 0, 0);
    const char *url = exchange_url(
        ex, exchange_printf(ex, "/api/v1/reports/%ld/photos/%s", st->report_id, id));
    respond_header(ex->req, "location", url);
    respond_json(ex->req, 201, json_pack("{s:I,s:s}", "id", (json_int_t)atoll(id), "url", url));
}

/* Back on the loop. */
static void upload_done(struct offload_job *job)
{
    struct upload *u = (struct upload *)job;
    if (job->cancelled) { /* the request is gone: keep nothing */
        if (u->path[0])
            unlink(u->path);
        upload_free(u);
        return;
    }
    struct exchange *ex = u->ex;
    ex->offload = NULL;
    if (u->status) {
        if (u->status == 415)
            respond_problem(ex->req, 415, "/problems/unsupported-image", "Unsupported Media Type",
                            NULL, "%s (the content is checked, not the Content-Type or name)",
                            NOT_AN_IMAGE);
        else if (u->status == 422) {
            json_t *errors = NULL;
            field_error_append(&errors, "photo", "a complete JPEG, PNG or WebP image", u->err);
            respond_problem(ex->req, 422, "/problems/invalid-image", "Invalid image", errors,
                            "%s", u->err);
        } else
            respond_problem(ex->req, u->status, "/problems/busy", "Service Unavailable", NULL,
                            "%s", u->err);
        upload_free(u);
        return;
    }
    struct upload_state *st = ex->handler_data;
    st->path = exchange_strdup(ex, u->path);
    const char *args[8] = {
        exchange_printf(ex, "%ld", u->report_id),
        exchange_strdup(ex, u->file_name),
        photo_media_type(u->info.kind),
        exchange_printf(ex, "%zu", u->outlen),
        exchange_strdup(ex, u->sha256),
        u->info.width > 0 && u->info.width < INT_MAX ? exchange_printf(ex, "%ld", u->info.width)
                                                     : NULL,
        u->info.height > 0 && u->info.height < INT_MAX ? exchange_printf(ex, "%ld", u->info.height)
                                                       : NULL,
        ex->who.user_id ? exchange_printf(ex, "%ld", ex->who.user_id) : NULL,
    };
    upload_free(u);
    exchange_query(ex, PHOTO_INSERT_SQL, 8, args, inserted);
}

static void upload_checked(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct upload_state *st = ex->handler_data;
    if (PQntuples(res) == 0) {
        report_not_found(ex);
        return;
    }
    if (PQgetvalue(res, 0, 0)[0] != 't') {
        respond_problem(ex->req, 403, "/problems/forbidden", "Forbidden", NULL,
                        "only the reporter (signed in, or with ?secret=), staff of the report's "
                        "department and admins may add photos to report %ld",
                        st->report_id);
        return;
    }
    if (atol(PQgetvalue(res, 0, 1)) >= REPORT_PHOTOS_MAX) {
        respond_problem(ex->req, 409, "/problems/too-many-photos", "Conflict", NULL,
                        "report %ld already has %d photos, the most a report may have",
                        st->report_id, REPORT_PHOTOS_MAX);
        return;
    }
    struct upload *u = calloc(1, sizeof *u);
    if (u)
        u->in = malloc(st->len);
    if (!u || !u->in) {
        if (u)
            free(u);
        respond_problem(ex->req, 503, "/problems/busy", "Service Unavailable", NULL,
                        "out of memory; try again shortly");
        return;
    }
    memcpy(u->in, st->data, st->len); /* the request's body may go away with it */
    u->inlen = st->len;
    u->ex = ex;
    u->report_id = st->report_id;
    snprintf(u->dir, sizeof u->dir, "%s", photos_dir(ex, st->report_id));
    u->job.work = upload_work;
    u->job.done = upload_done;
    if (exchange_offload(ex, &u->job))
        upload_free(u);
}

/* The image bytes: the "photo" part of a multipart/form-data body, or the
 * whole body. Returns 0, or -1 after answering. */
static int upload_body(struct exchange *ex, const uint8_t **data, size_t *len)
{
    h2o_req_t *req = ex->req;
    const struct polis_config *cfg = &ex->app->cfg;
    *data = (const uint8_t *)req->entity.base;
    *len = req->entity.base ? req->entity.len : 0;
    ssize_t ct = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    if (ct >= 0) {
        char boundary[MULTIPART_BOUNDARY_MAX + 1], err[256];
        const h2o_iovec_t *v = &req->headers.entries[ct].value;
        int is_form = multipart_boundary(v->base, v->len, boundary, sizeof boundary, err,
                                         sizeof err);
        if (is_form < 0) {
            respond_problem(req, 400, "/problems/invalid-body", "Invalid request body", NULL,
                            "%s", err);
            return -1;
        }
        if (is_form == 1) {
            struct multipart *mp = h2o_mem_alloc_pool(&req->pool, sizeof *mp);
            enum multipart_status s = multipart_parse(req->entity.base, *len, boundary,
                                                      cfg->photo_max_bytes, mp, err, sizeof err);
            if (s == MULTIPART_TOO_LARGE) {
                respond_problem(req, 413, "/problems/too-large", "Content Too Large", NULL,
                                "the photo is larger than %zu MB (POLIS_PHOTO_MAX_MB)",
                                cfg->photo_max_bytes / (1024 * 1024));
                return -1;
            }
            if (s != MULTIPART_OK) {
                respond_problem(req, 400, "/problems/invalid-body", "Invalid request body", NULL,
                                "%s", err);
                return -1;
            }
            const struct multipart_part *p = multipart_get(mp, "photo");
            if (!p) {
                json_t *errors = NULL;
                field_error_append(&errors, "photo", "a form part called photo holding the image",
                                   "no such part");
                respond_problem(req, 422, "/problems/invalid-body", "Invalid request body",
                                errors, "the form has no part called photo");
                return -1;
            }
            *data = (const uint8_t *)p->data;
            *len = p->len;
        }
    }
    if (*len > cfg->photo_max_bytes) {
        respond_problem(req, 413, "/problems/too-large", "Content Too Large", NULL,
                        "the photo has %zu bytes; at most %zu MB (POLIS_PHOTO_MAX_MB) are accepted",
                        *len, cfg->photo_max_bytes / (1024 * 1024));
        return -1;
    }
    if (photo_sniff(*data, *len) == PHOTO_UNKNOWN) {
        respond_problem(req, 415, "/problems/unsupported-image", "Unsupported Media Type", NULL,
                        "%s (the content is checked, not the Content-Type or name)",
                        NOT_AN_IMAGE);
        return -1;
    }
    return 0;
}

void api_reports_photo_upload(struct exchange *ex)
{
    static const char *const allowed[] = {"secret", NULL};
    params_allow_only(&ex->query, allowed);
    long id = path_id(ex, 0, "a positive integer report id");
    const char *digest = report_secret_digest(ex);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    struct upload_state *st = h2o_mem_alloc_pool(&ex->req->pool, sizeof *st);
    memset(st, 0, sizeof *st);
    st->report_id = id;
    if (upload_body(ex, &st->data, &st->len))
        return;
    ex->handler_data = st;
    const char *v[3];
    identity_viewer_args(ex, v);
    const char *args[] = {exchange_printf(ex, "%ld", id), v[0], v[1], v[2], digest};
    exchange_query(ex, PHOTO_UPLOAD_CHECK_SQL, 5, args, upload_checked);
}

/* ---- GET /api/v1/reports/{id}/photos/{photo} ---- */

struct download {
    struct offload_job job;
    struct exchange *ex;
    char path[PATH_MAX + 64];
    char *data;
    size_t len;
    int missing;
};

static void download_work(struct offload_job *job)
{
    struct download *d = (struct download *)job;
    int fd = open(d->path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
        d->missing = 1;
        if (fd >= 0)
            close(fd);
        return;
    }
    d->data = malloc((size_t)sb.st_size + 1);
    while (d->data && d->len < (size_t)sb.st_size) {
        ssize_t n = read(fd, d->data + d->len, (size_t)sb.st_size - d->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        d->len += (size_t)n;
    }
    if (!d->data || d->len != (size_t)sb.st_size)
        d->missing = 1;
    close(fd);
}

static void download_done(struct offload_job *job)
{
    struct download *d = (struct download *)job;
    if (!job->cancelled) {
        struct exchange *ex = d->ex;
        ex->offload = NULL;
        if (d->missing)
            respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                            "the file of photo %s is missing", ex->path_params[1]);
        else
            respond_bytes(ex->req, 200, ex->handler_data, d->data, d->len);
    }
    free(d->data);
    free(d);
}

/* If-None-Match holds tag (quoted, maybe weak) or "*". */
static void photo_found(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "report %s has no photo %s (or it is not visible to you)",
                        ex->path_params[0], ex->path_params[1]);
        return;
    }
    int private = PQgetvalue(res, 0, 3)[0] == 't';
    const char *etag = exchange_printf(ex, "\"%.32s\"", PQgetvalue(res, 0, 2));
    respond_header(ex->req, "etag", etag);
    /* private: no shared cache keeps it, and every use revalidates (the
     * caller's right to see it is checked on each request) */
    respond_header(ex->req, "cache-control",
                   private ? "private, no-cache" : "public, max-age=86400");
    respond_header(ex->req, "x-content-type-options", "nosniff");
    if (request_etag_listed(ex->req, etag)) {
        ex->req->res.status = 304;
        ex->req->res.reason = "Not Modified";
        h2o_send_inline(ex->req, "", 0);
        return;
    }
    ex->handler_data = (void *)exchange_strdup(ex, PQgetvalue(res, 0, 1));
    struct download *d = calloc(1, sizeof *d);
    if (!d) {
        respond_problem(ex->req, 503, "/problems/busy", "Service Unavailable", NULL,
                        "out of memory; try again shortly");
        return;
    }
    d->ex = ex;
    snprintf(d->path, sizeof d->path, "%s/%s", photos_dir(ex, atol(ex->path_params[0])),
             PQgetvalue(res, 0, 0));
    d->job.work = download_work;
    d->job.done = download_done;
    if (exchange_offload(ex, &d->job))
        free(d);
}

void api_reports_photo_get(struct exchange *ex)
{
    static const char *const allowed[] = {"secret", NULL};
    params_allow_only(&ex->query, allowed);
    long id = path_id(ex, 0, "a positive integer report id");
    long photo = path_id(ex, 1, "a positive integer photo id");
    const char *digest = report_secret_digest(ex);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *v[3];
    identity_viewer_args(ex, v);
    const char *args[] = {exchange_printf(ex, "%ld", id), exchange_printf(ex, "%ld", photo),
                          v[0], v[1], v[2], digest};
    exchange_query(ex, PHOTO_GET_SQL, 6, args, photo_found);
}
