/* mkdir -p: a directory and the parents it lacks (the upload folder of an
 * import job, the photo folders). */
#ifndef POLIS_MAKE_DIRS_H
#define POLIS_MAKE_DIRS_H

#include <sys/types.h>

/* Creates dir and every missing parent with mode; ones that exist are kept
 * as they are. Returns 0, or -1 with errno set (ENAMETOOLONG for a path
 * longer than PATH_MAX). */
int make_dirs(const char *dir, mode_t mode);

#endif
