#include "http/static_file.h"
#include "http/conditional.h"
#include "http/respond.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define STATIC_MAX_FILE (16u << 20) /* MapLibre's largest file is ~1 MB */
#define STATIC_MIN_GZIP 1024        /* below this gzip saves less than a packet */

/* ---- the directory ---- */

int static_dir_open(struct static_dir *d, const char *path, char *err, size_t errlen)
{
    d->fd = -1;
    if (!realpath(path, d->path)) {
        snprintf(d->path, sizeof d->path, "%s", path);
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    d->fd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d->fd < 0) {
        snprintf(err, errlen, "%s: not a readable directory: %s", d->path, strerror(errno));
        return -1;
    }
    return 0;
}

void static_dir_close(struct static_dir *d)
{
    if (d->fd >= 0)
        close(d->fd);
    d->fd = -1;
}

/* ---- names and types ---- */

int static_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 128 || name[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* The kinds of file the pages are made of; anything else (a .d.ts, a
 * backup~, a .sh) is not served even when it sits in the directory. */
const char *static_content_type(const char *name)
{
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".webmanifest", "application/manifest+json"},
        {".woff2", "font/woff2"},
        {".pbf", "application/x-protobuf"}, /* MapLibre glyphs (/fonts/) */
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(name, '.');
    if (!dot)
        return NULL;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i][0]))
            return types[i][1];
    return NULL;
}

static int compressible(const char *type)
{
    return !strncmp(type, "text/", 5) || strstr(type, "json") || strstr(type, "svg");
}

/* ---- responses ---- */

static void set_caching(h2o_req_t *req, enum static_caching caching)
{
    respond_header(req, "cache-control", caching == STATIC_IMMUTABLE
                                              ? "public, max-age=31536000, immutable"
                                              : "no-cache");
    respond_header(req, "x-content-type-options", "nosniff");
}

/* Sends body, which lives in req's pool, without copying it again. */
static void send_pooled(h2o_req_t *req, const char *content_type, h2o_iovec_t body)
{
    static h2o_generator_t generator = {NULL, NULL};
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = body.len;
    respond_header(req, "content-type", content_type);
    h2o_start_response(req, &generator);
    h2o_send(req, &body, 1, H2O_SEND_STATE_FINAL);
}

static void send_not_modified(h2o_req_t *req)
{
    req->res.status = 304;
    req->res.reason = "Not Modified";
    h2o_send_inline(req, "", 0); /* h2o sends no length or body for 304 */
}

static void not_found(h2o_req_t *req)
{
    respond_problem(req, 404, "about:blank", "Not Found", NULL, "there is no file at this path");
}

static int open_regular(const struct static_dir *d, const char *name, struct stat *st)
{
    if (d->fd < 0 || !static_name_ok(name))
        return -1;
    int fd = openat(d->fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return -1;
    if (fstat(fd, st) || !S_ISREG(st->st_mode) || (size_t)st->st_size > STATIC_MAX_FILE) {
        close(fd);
        return -1;
    }
    return fd;
}

static int read_all(int fd, char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = pread(fd, buf + got, len - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1; /* shrank under us: treat as missing */
        got += (size_t)n;
    }
    return 0;
}

int static_read(h2o_mem_pool_t *pool, const struct static_dir *d, const char *name, size_t max,
                h2o_iovec_t *out)
{
    struct stat st;
    int fd = open_regular(d, name, &st);
    if (fd < 0)
        return -1;
    int rc = -1;
    if ((size_t)st.st_size <= max) {
        out->len = (size_t)st.st_size;
        out->base = h2o_mem_alloc_pool(pool, out->len + 1);
        rc = read_all(fd, out->base, out->len);
        out->base[out->len] = '\0';
    }
    close(fd);
    return rc;
}

static uint64_t fnv1a(const char *p, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

void static_send_bytes(h2o_req_t *req, const char *content_type, h2o_iovec_t body,
                       enum static_caching caching)
{
    char etag[24];
    snprintf(etag, sizeof etag, "\"%016llx\"", (unsigned long long)fnv1a(body.base, body.len));
    set_caching(req, caching);
    respond_header(req, "etag", etag);
    if (request_etag_listed(req, etag)) {
        send_not_modified(req);
        return;
    }
    send_pooled(req, content_type, body);
}

/* ---- the gzip cache ---- */

struct gz_entry {
    struct gz_entry *next;
    char key[192]; /* directory fd, name and the file's identity (its ETag) */
    size_t len;
    unsigned char data[];
};

struct static_gzip_cache {
    pthread_mutex_t lock;
    struct gz_entry *head; /* newest first */
    size_t bytes, max_bytes;
};

struct static_gzip_cache *static_gzip_cache_create(size_t max_bytes)
{
    struct static_gzip_cache *c = calloc(1, sizeof *c);
    if (c) {
        pthread_mutex_init(&c->lock, NULL);
        c->max_bytes = max_bytes;
    }
    return c;
}

void static_gzip_cache_destroy(struct static_gzip_cache *c)
{
    if (!c)
        return;
    for (struct gz_entry *e = c->head, *next; e; e = next) {
        next = e->next;
        free(e);
    }
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* Copies the cached bytes for key into pool; 0 on a hit. */
static int gz_lookup(struct static_gzip_cache *c, const char *key, h2o_mem_pool_t *pool,
                     h2o_iovec_t *out)
{
    int rc = -1;
    pthread_mutex_lock(&c->lock);
    for (struct gz_entry *e = c->head; e; e = e->next) {
        if (!strcmp(e->key, key)) {
            out->len = e->len;
            out->base = h2o_mem_alloc_pool(pool, e->len);
            memcpy(out->base, e->data, e->len);
            rc = 0;
            break;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

/* Keeps a copy; drops the oldest entries beyond max_bytes. Another thread
 * may have stored the same key meanwhile: then two copies live until one
 * ages out, which is harmless. */
static void gz_store(struct static_gzip_cache *c, const char *key, const char *data, size_t len)
{
    if (len > c->max_bytes)
        return;
    struct gz_entry *e = malloc(sizeof *e + len);
    if (!e)
        return;
    snprintf(e->key, sizeof e->key, "%s", key);
    e->len = len;
    memcpy(e->data, data, len);
    pthread_mutex_lock(&c->lock);
    e->next = c->head;
    c->head = e;
    c->bytes += len;
    struct gz_entry **pp = &c->head;
    size_t kept = 0;
    while (*pp) {
        if (kept + (*pp)->len > c->max_bytes) {
            struct gz_entry *old = *pp;
            *pp = old->next;
            c->bytes -= old->len;
            free(old);
            continue;
        }
        kept += (*pp)->len;
        pp = &(*pp)->next;
    }
    pthread_mutex_unlock(&c->lock);
}

/* gzip (not zlib: windowBits 15 + 16) of in, into pool. -1 when it failed or
 * did not shrink. */
static int gzip_into(h2o_mem_pool_t *pool, h2o_iovec_t in, h2o_iovec_t *out)
{
    z_stream zs = {0};
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    size_t bound = deflateBound(&zs, (uLong)in.len);
    out->base = h2o_mem_alloc_pool(pool, bound);
    zs.next_in = (Bytef *)in.base;
    zs.avail_in = (uInt)in.len;
    zs.next_out = (Bytef *)out->base;
    zs.avail_out = (uInt)bound;
    int rc = deflate(&zs, Z_FINISH);
    out->len = zs.total_out;
    deflateEnd(&zs);
    return rc == Z_STREAM_END && out->len < in.len ? 0 : -1;
}

/* The headers every file answer carries, and 304 when the client has this
 * version. Returns 1 (gzip wanted), 0 (send as is), or -1 (304 sent). The
 * tag names the version; each coding gets its own. */
static int begin_file(h2o_req_t *req, const char *type, size_t size, const char *tag,
                      enum static_caching caching, struct static_gzip_cache *gz, char *etag,
                      size_t etaglen)
{
    int gzip = gz && compressible(type) && size >= STATIC_MIN_GZIP && request_accepts_gzip(req);
    snprintf(etag, etaglen, "\"%s%s\"", tag, gzip ? "-gzip" : "");
    set_caching(req, caching);
    respond_header(req, "etag", etag);
    respond_header(req, "vary", "accept-encoding");
    if (request_etag_listed(req, etag)) {
        send_not_modified(req);
        return -1;
    }
    return gzip;
}

/* Sends body (in req's pool, or memory that outlives req), compressed
 * through the cache under key when gzip is set and it shrinks. */
static void finish_file(h2o_req_t *req, const char *type, h2o_iovec_t body, int gzip,
                        struct static_gzip_cache *gz, const char *key)
{
    h2o_iovec_t packed;
    if (gzip && gzip_into(&req->pool, body, &packed) == 0) {
        gz_store(gz, key, packed.base, packed.len);
        respond_header(req, "content-encoding", "gzip");
        send_pooled(req, type, packed);
        return;
    }
    send_pooled(req, type, body);
}

/* A compressed copy from the cache, sent; 0 on a hit. */
static int send_cached_gzip(h2o_req_t *req, const char *type, struct static_gzip_cache *gz,
                            const char *key)
{
    h2o_iovec_t packed;
    if (gz_lookup(gz, key, &req->pool, &packed))
        return -1;
    respond_header(req, "content-encoding", "gzip");
    send_pooled(req, type, packed);
    return 0;
}

void static_send(h2o_req_t *req, const struct static_dir *d, const char *name,
                 enum static_caching caching, struct static_gzip_cache *gz)
{
    const char *type = static_content_type(name);
    struct stat st;
    int fd = type ? open_regular(d, name, &st) : -1;
    if (fd < 0) {
        not_found(req);
        return;
    }
    /* the file's identity: a new version (npm ci, an edit) has a new tag */
    char tag[80], etag[96], key[192];
    snprintf(tag, sizeof tag, "%llx-%llx-%llx", (unsigned long long)st.st_ino,
             (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtim.tv_sec * 1000000000ull +
                 (unsigned long long)st.st_mtim.tv_nsec);
    int gzip = begin_file(req, type, (size_t)st.st_size, tag, caching, gz, etag, sizeof etag);
    snprintf(key, sizeof key, "%d/%s/%s", d->fd, name, etag);
    if (gzip < 0 || (gzip && send_cached_gzip(req, type, gz, key) == 0)) {
        close(fd);
        return;
    }
    h2o_iovec_t body;
    body.len = (size_t)st.st_size;
    body.base = h2o_mem_alloc_pool(&req->pool, body.len + 1);
    int rc = read_all(fd, body.base, body.len);
    close(fd);
    if (rc) {
        not_found(req);
        return;
    }
    finish_file(req, type, body, gzip, gz, key);
}

void static_send_memory(h2o_req_t *req, const char *name, h2o_iovec_t body,
                        enum static_caching caching, struct static_gzip_cache *gz)
{
    const char *type = static_content_type(name);
    if (!type) {
        not_found(req);
        return;
    }
    char tag[24], etag[40], key[192];
    snprintf(tag, sizeof tag, "%016llx", (unsigned long long)fnv1a(body.base, body.len));
    int gzip = begin_file(req, type, body.len, tag, caching, gz, etag, sizeof etag);
    snprintf(key, sizeof key, "memory/%s/%s", name, etag);
    if (gzip < 0 || (gzip && send_cached_gzip(req, type, gz, key) == 0))
        return;
    finish_file(req, type, body, gzip, gz, key);
}
