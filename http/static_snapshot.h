/* The servable files of one directory (names and kinds static_file.h
 * serves), read once when polis starts, with one content hash over all of
 * them. The web page's own files are served from here under
 * /assets/v/{hash}/: the bytes behind a hashed URL are exactly the bytes
 * hashed, so a browser may keep them for a year; an edit on disk changes
 * nothing until the next start, which gives a new hash. */
#ifndef POLIS_STATIC_SNAPSHOT_H
#define POLIS_STATIC_SNAPSHOT_H

#include "http/static_file.h"

#include <h2o.h>

#define STATIC_SNAPSHOT_MAX_BYTES (64u << 20) /* all files together */

struct static_snapshot_file {
    const char *name;
    h2o_iovec_t body;
};

struct static_snapshot {
    h2o_mem_pool_t pool; /* names and bodies */
    struct static_snapshot_file *files; /* sorted by name */
    size_t count;
    char hash[17]; /* 16 hex digits of BLAKE2b over every name and body */
};

/* Reads every servable regular file of d (its fd must be open). Returns the
 * snapshot, or NULL with the reason in err (out of memory, too large, a
 * read error). */
struct static_snapshot *static_snapshot_take(const struct static_dir *d, char *err, size_t errlen);
void static_snapshot_free(struct static_snapshot *s);

/* The file called name, or NULL. */
const struct static_snapshot_file *static_snapshot_find(const struct static_snapshot *s,
                                                        const char *name);

#endif
