/* Static files from one directory, answered the way browsers and caches
 * expect: a Content-Type from an allowlist of extensions, Content-Length,
 * an ETag with If-None-Match -> 304, Cache-Control (immutable for
 * versioned URLs, revalidate for the rest), gzip when the client takes it.
 *
 * Only plain file names are served: one path segment of [A-Za-z0-9._-]
 * not starting with a dot, opened relative to a directory descriptor taken
 * at start with O_NOFOLLOW, and only when it is a regular file. So neither
 * "..", an encoded slash nor a symlink can reach a file outside the
 * directory. Reading is blocking, from the page cache in practice; the
 * files are few and small next to a tile build. */
#ifndef POLIS_STATIC_FILE_H
#define POLIS_STATIC_FILE_H

#include <h2o.h>
#include <limits.h>

struct static_dir {
    int fd;              /* -1 when the directory was not found */
    char path[PATH_MAX]; /* as resolved at start, for messages */
};

enum static_caching {
    STATIC_REVALIDATE, /* no-cache: the browser keeps it but asks (ETag) every time */
    STATIC_IMMUTABLE,  /* the URL names a version: cache for a year, never ask */
};

struct static_gzip_cache;

/* Opens path as a directory. Returns 0, or -1 (d->fd = -1) with the reason
 * in err. */
int static_dir_open(struct static_dir *d, const char *path, char *err, size_t errlen);
void static_dir_close(struct static_dir *d);

/* Compressed copies of the files served, shared by all threads, at most
 * max_bytes in all (oldest dropped first). Compressing happens once per
 * file version (the ETag), on the loop of the first request that asks. */
struct static_gzip_cache *static_gzip_cache_create(size_t max_bytes);
void static_gzip_cache_destroy(struct static_gzip_cache *c);

/* The Content-Type for name's extension, or NULL when polis does not serve
 * that kind of file. */
const char *static_content_type(const char *name);

/* 1 when name is one plain path segment polis would serve (see above). */
int static_name_ok(const char *name);

/* Answers req with the file name of d: 200 (gzip when accepted), 304, or a
 * 404 problem when there is no such regular file or name is not allowed. */
void static_send(h2o_req_t *req, const struct static_dir *d, const char *name,
                 enum static_caching caching, struct static_gzip_cache *gz);

/* Answers req with body, the bytes of the file name held in memory that
 * outlives req (http/static_snapshot.h): like static_send, with an ETag
 * from the content. */
void static_send_memory(h2o_req_t *req, const char *name, h2o_iovec_t body,
                        enum static_caching caching, struct static_gzip_cache *gz);

/* Reads the whole regular file name of d (at most max bytes) into pool.
 * Returns 0, or -1 when it cannot (missing, not regular, too large). */
int static_read(h2o_mem_pool_t *pool, const struct static_dir *d, const char *name, size_t max,
                h2o_iovec_t *out);

/* Answers req with body (already in memory): ETag from its content, 304
 * when the client has it, Cache-Control by caching. */
void static_send_bytes(h2o_req_t *req, const char *content_type, h2o_iovec_t body,
                       enum static_caching caching);

#endif
