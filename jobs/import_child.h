/* An uploaded file is read by GDAL in a child process, never in the server:
 * `polis import-job ...` (cli/import_job.c), this very binary
 * (/proc/self/exe) re-executed with resource limits, so that a GDAL crash,
 * a file that needs all the memory or a parser that loops ends that child
 * and the job, never the server.
 *
 * The child gets, before it runs a single instruction of polis:
 *   RLIMIT_AS     memory (address space), POLIS_IMPORT_MAX_MEMORY_MB
 *   RLIMIT_CPU    CPU seconds, POLIS_IMPORT_MAX_CPU_SECONDS (SIGXCPU, then SIGKILL)
 *   RLIMIT_FSIZE  largest file it may write, POLIS_IMPORT_MAX_FILE_MB
 *   RLIMIT_CORE   0 (no core files of uploads)
 * a default signal mask and dispositions, no file descriptor of the server
 * (its sockets, database connections) but stdin (a pipe when the caller
 * feeds it bytes), stderr (the server's log) and fd 3 (its result, a pipe
 * read by the caller), and SIGKILL should the thread that started it die.
 * Its environment is the server's (POLIS_DATABASE_URL, PG*). */
#ifndef POLIS_IMPORT_CHILD_H
#define POLIS_IMPORT_CHILD_H

#include <stddef.h>
#include <sys/types.h>

struct import_limits {
    long memory_mb;
    long cpu_seconds;
    long file_mb;
};

struct import_child {
    pid_t pid;
    int input_fd;  /* write end of its stdin, or -1 */
    int result_fd; /* read end of its fd 3 */
};

/* Starts `polis import-job args...` (args NULL-terminated). With
 * want_input, c->input_fd is a pipe to its stdin (else stdin is /dev/null).
 * Returns 0, or -1 with err. */
int import_child_start(const char *const *args, const struct import_limits *lim, int want_input,
                       struct import_child *c, char *err, size_t errlen);

/* Reads the child's result (fd 3, at most 1 MB, NUL-terminated into
 * *result, malloc'd) until it closes it, then reaps the child. Every 200 ms
 * without output, stop(arg) is asked: when it answers 1 the child gets
 * SIGTERM (it stops at its next progress point), and SIGKILL grace_s
 * seconds later. Returns the wait status. */
int import_child_finish(struct import_child *c, char **result, int (*stop)(void *arg), void *arg,
                        int grace_s);

/* How a child that ended without a result ended, for a job's error:
 * "crashed (SIGSEGV)", "was stopped: it used more than 600 CPU seconds
 * (POLIS_IMPORT_MAX_CPU_SECONDS)", ... */
void import_child_describe(int status, const struct import_limits *lim, char *out, size_t outlen);

#endif
