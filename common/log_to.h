/* Progress and summary lines of the long-running commands (imports,
 * zone derivation): written to an optional stream and flushed at once, so
 * that a caller piping them sees each line as it happens. */
#ifndef POLIS_LOG_TO_H
#define POLIS_LOG_TO_H

#include <stdio.h>

/* printf to out, then fflush; does nothing when out is NULL. */
void log_to(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
