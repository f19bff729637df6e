/* Writing a whole buffer to a file descriptor (an uploaded import, a photo). */
#ifndef POLIS_WRITE_ALL_H
#define POLIS_WRITE_ALL_H

#include <stddef.h>

/* Writes all len bytes of buf to fd, again after EINTR and short writes.
 * Returns 0, or -1 with errno set (a write that wrote nothing without an
 * error counts as EIO). */
int write_all(int fd, const void *buf, size_t len);

#endif
