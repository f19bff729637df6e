#include "http/static_snapshot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct static_snapshot_file *)a)->name,
                  ((const struct static_snapshot_file *)b)->name);
}

/* The names of d worth reading (what static_send would serve), into pool. */
static int list_names(const struct static_dir *d, h2o_mem_pool_t *pool,
                      struct static_snapshot_file **out, size_t *count, char *err, size_t errlen)
{
    int fd = dup(d->fd);
    DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
    if (!dir) {
        if (fd >= 0)
            close(fd);
        snprintf(err, errlen, "%s: %s", d->path, strerror(errno));
        return -1;
    }
    rewinddir(dir); /* the dup shares its position with d->fd */
    size_t cap = 0, n = 0;
    struct static_snapshot_file *files = NULL;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (!static_name_ok(e->d_name) || !static_content_type(e->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            void *grown = realloc(files, cap * sizeof *files);
            if (!grown) {
                free(files);
                closedir(dir);
                snprintf(err, errlen, "%s: out of memory", d->path);
                return -1;
            }
            files = grown;
        }
        files[n].name = h2o_strdup(pool, e->d_name, SIZE_MAX).base;
        files[n].body = h2o_iovec_init(NULL, 0);
        n++;
    }
    closedir(dir);
    *out = files;
    *count = n;
    return 0;
}

struct static_snapshot *static_snapshot_take(const struct static_dir *d, char *err, size_t errlen)
{
    struct static_snapshot *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    h2o_mem_init_pool(&s->pool);
    if (list_names(d, &s->pool, &s->files, &s->count, err, errlen)) {
        static_snapshot_free(s);
        return NULL;
    }
    qsort(s->files, s->count, sizeof *s->files, by_name);
    /* name, NUL, length and bytes of each file in name order: the same
     * files give the same hash on every server, whatever their mtimes */
    crypto_generichash_state st;
    unsigned char digest[8];
    crypto_generichash_init(&st, NULL, 0, sizeof digest);
    size_t total = 0, kept = 0;
    for (size_t i = 0; i < s->count; i++) {
        struct static_snapshot_file *f = &s->files[i];
        /* symlinks and directories are not served (static_file.h): skipped */
        struct stat sb;
        if (fstatat(d->fd, f->name, &sb, AT_SYMLINK_NOFOLLOW) || !S_ISREG(sb.st_mode))
            continue;
        if ((size_t)sb.st_size > STATIC_SNAPSHOT_MAX_BYTES - total) {
            snprintf(err, errlen, "%s: more than %u MB of page files (at %s)", d->path,
                     STATIC_SNAPSHOT_MAX_BYTES >> 20, f->name);
            static_snapshot_free(s);
            return NULL;
        }
        if (static_read(&s->pool, d, f->name, STATIC_SNAPSHOT_MAX_BYTES - total, &f->body))
            continue; /* gone or replaced by a non-file since the listing */
        total += f->body.len;
        uint64_t len = f->body.len;
        crypto_generichash_update(&st, (const unsigned char *)f->name, strlen(f->name) + 1);
        crypto_generichash_update(&st, (const unsigned char *)&len, sizeof len);
        crypto_generichash_update(&st, (const unsigned char *)f->body.base, f->body.len);
        s->files[kept++] = *f;
    }
    s->count = kept;
    crypto_generichash_final(&st, digest, sizeof digest);
    sodium_bin2hex(s->hash, sizeof s->hash, digest, sizeof digest);
    return s;
}

void static_snapshot_free(struct static_snapshot *s)
{
    if (!s)
        return;
    free(s->files);
    h2o_mem_clear_pool(&s->pool);
    free(s);
}

const struct static_snapshot_file *static_snapshot_find(const struct static_snapshot *s,
                                                        const char *name)
{
    if (!s)
        return NULL;
    struct static_snapshot_file key = {.name = name};
    return bsearch(&key, s->files, s->count, sizeof *s->files, by_name);
}
