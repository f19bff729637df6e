#include "api/photo_store.h"
#include "common/make_dirs.h"
#include "common/write_all.h"

#include "api/not_modified.h"
#include "http/multipart.h"
#include "http/offload.h"
#include "common/photo_clean.h"
#include "http/respond.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOT_AN_IMAGE "not a JPEG, PNG or WebP image"

static int unsupported(h2o_req_t *req)
{
    respond_problem(req, 415, "/problems/unsupported-image", "Unsupported Media Type", NULL,
                    "%s (the content is checked, not the Content-Type or name)", NOT_AN_IMAGE);
    return -1;
}

/* ---- reading the upload ---- */

int photo_upload_body(struct exchange *ex, const uint8_t **data, size_t *len)
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
    if (photo_sniff(*data, *len) == PHOTO_UNKNOWN)
        return unsupported(req);
    return 0;
}

/* ---- storing ---- */

struct upload {
    struct offload_job job; /* first: the pool hands it back */
    struct exchange *ex;
    photo_stored_cb stored;
    uint8_t *in, *out;      /* malloc'd: the body as sent, the cleaned image */
    size_t inlen, outlen;
    struct photo_info info;
    char dir[PATH_MAX], path[PATH_MAX + 64], file_name[64], sha256[65];
    int status;             /* 0, or the HTTP status to answer */
    char err[256];
};

void photo_file_args(struct exchange *ex, const struct photo_stored *s, const char *out[6])
{
    out[0] = s->file_name;
    out[1] = s->media_type;
    out[2] = exchange_printf(ex, "%zu", s->bytes);
    out[3] = s->sha256;
    out[4] = s->width ? exchange_printf(ex, "%ld", s->width) : NULL;
    out[5] = s->height ? exchange_printf(ex, "%ld", s->height) : NULL;
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
    int fd = -1, written = -1;
    if (make_dirs(u->dir, 0750) == 0 &&
        (fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640)) >= 0)
        written = write_all(fd, u->out, u->outlen);
    int ok = fd >= 0 && written == 0 && fsync(fd) == 0;
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
    if (u->status == 415) {
        unsupported(ex->req);
    } else if (u->status == 422) {
        json_t *errors = NULL;
        field_error_append(&errors, "photo", "a complete JPEG, PNG or WebP image", u->err);
        respond_problem(ex->req, 422, "/problems/invalid-image", "Invalid image", errors, "%s",
                        u->err);
    } else if (u->status) {
        respond_problem(ex->req, u->status, "/problems/busy", "Service Unavailable", NULL, "%s",
                        u->err);
    } else {
        struct photo_stored s = {
            .path = exchange_strdup(ex, u->path),
            .file_name = exchange_strdup(ex, u->file_name),
            .media_type = photo_media_type(u->info.kind),
            .sha256 = exchange_strdup(ex, u->sha256),
            .bytes = u->outlen,
            .width = u->info.width > 0 && u->info.width < INT_MAX ? u->info.width : 0,
            .height = u->info.height > 0 && u->info.height < INT_MAX ? u->info.height : 0,
        };
        photo_stored_cb stored = u->stored;
        upload_free(u);
        stored(ex, &s);
        return;
    }
    upload_free(u);
}

void photo_store(struct exchange *ex, const char *dir, const uint8_t *data, size_t len,
                 photo_stored_cb stored)
{
    struct upload *u = calloc(1, sizeof *u);
    if (u)
        u->in = malloc(len ? len : 1);
    if (!u || !u->in) {
        free(u);
        respond_problem(ex->req, 503, "/problems/busy", "Service Unavailable", NULL,
                        "out of memory; try again shortly");
        return;
    }
    memcpy(u->in, data, len); /* the request's body may go away with it */
    u->inlen = len;
    u->ex = ex;
    u->stored = stored;
    snprintf(u->dir, sizeof u->dir, "%s", dir);
    u->job.work = upload_work;
    u->job.done = upload_done;
    if (exchange_offload(ex, &u->job))
        upload_free(u);
}

void photo_remove(const char *dir, const char *file_name)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, file_name);
    if (unlink(path) && errno != ENOENT)
        fprintf(stderr, "polis: removing photo %s failed: %s\n", path, strerror(errno));
}

/* ---- serving ---- */

struct download {
    struct offload_job job;
    struct exchange *ex;
    const char *media_type;
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
                            "the file of this photo is missing");
        else
            respond_bytes(ex->req, 200, d->media_type, d->data, d->len);
    }
    free(d->data);
    free(d);
}

void photo_serve(struct exchange *ex, const char *dir, const char *file_name,
                 const char *media_type, const char *sha256, const char *cache_control)
{
    const char *etag = exchange_printf(ex, "\"%.32s\"", sha256);
    respond_header(ex->req, "x-content-type-options", "nosniff");
    if (not_modified(ex, etag, cache_control))
        return;
    struct download *d = calloc(1, sizeof *d);
    if (!d) {
        respond_problem(ex->req, 503, "/problems/busy", "Service Unavailable", NULL,
                        "out of memory; try again shortly");
        return;
    }
    d->ex = ex;
    d->media_type = exchange_strdup(ex, media_type);
    snprintf(d->path, sizeof d->path, "%s/%s", dir, file_name);
    d->job.work = download_work;
    d->job.done = download_done;
    if (exchange_offload(ex, &d->job))
        free(d);
}
