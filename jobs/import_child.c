/* The import child: started with limits, fed, read and reaped (see import_child.h). */
#include "jobs/import_child.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RESULT_MAX (1024 * 1024)

/* AddressSanitizer reserves terabytes of address space for its shadow
 * memory, so RLIMIT_AS stops an instrumented binary from starting at all.
 * There the memory limit is ASan's own hard_rss_limit_mb instead (it aborts
 * the child past the limit: the job fails the same way), and the child's
 * reports go to its stderr: an abort it was meant to have (a memory limit,
 * the tests' crash hook) is not a finding of the sanitized test run, and
 * any other error still fails its job. */
#if defined(__SANITIZE_ADDRESS__)
#define POLIS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POLIS_ASAN 1
#endif
#endif
#ifndef POLIS_ASAN
#define POLIS_ASAN 0
#endif

extern char **environ;

/* The child's environment: the server's, with the ASan options above when
 * instrumented. Built before fork (after it only async-signal-safe calls
 * may run). Free with free_env when it is not environ. */
static char **child_env(const struct import_limits *lim)
{
    if (!POLIS_ASAN)
        return environ;
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 3, sizeof *env);
    if (!env)
        return NULL;
    const char *asan = getenv("ASAN_OPTIONS"), *ubsan = getenv("UBSAN_OPTIONS");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "ASAN_OPTIONS=", 13) && strncmp(environ[i], "UBSAN_OPTIONS=", 14))
            env[k++] = environ[i];
    /* later options win; both runtimes read log_path and handle_segv (a
     * crash then ends the child with its own signal, as without ASan) */
    char *a = NULL, *u = NULL;
    if (asprintf(&a, "ASAN_OPTIONS=%s%shard_rss_limit_mb=%ld:log_path=stderr:handle_segv=0",
                 asan ? asan : "", asan && *asan ? ":" : "", lim->memory_mb) < 0)
        a = NULL;
    if (asprintf(&u, "UBSAN_OPTIONS=%s%slog_path=stderr:handle_segv=0", ubsan ? ubsan : "",
                 ubsan && *ubsan ? ":" : "") < 0)
        u = NULL;
    if (!a || !u) {
        free(a);
        free(u);
        free(env);
        return NULL;
    }
    env[k] = a;
    env[k + 1] = u;
    return env;
}

static void free_env(char **env)
{
    if (!env || env == environ)
        return;
    size_t k = 0;
    while (env[k + 2])
        k++;
    free(env[k]); /* the two sanitizer entries at the end are ours */
    free(env[k + 1]);
    free(env);
}

static void set_limit(int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit r = {soft, hard};
    setrlimit(resource, &r);
}

/* In the forked child, before exec: only async-signal-safe calls. */
static void exec_child(const char *exe, char *const *argv, char *const *envp,
                       const struct import_limits *lim, int stdin_fd, int result_fd, pid_t parent)
{
    rlim_t mb = 1024 * 1024;
    if (!POLIS_ASAN)
        set_limit(RLIMIT_AS, (rlim_t)lim->memory_mb * mb, (rlim_t)lim->memory_mb * mb);
    /* SIGXCPU at the limit, SIGKILL 5 s later should it be ignored */
    set_limit(RLIMIT_CPU, (rlim_t)lim->cpu_seconds, (rlim_t)lim->cpu_seconds + 5);
    set_limit(RLIMIT_FSIZE, (rlim_t)lim->file_mb * mb, (rlim_t)lim->file_mb * mb);
    set_limit(RLIMIT_CORE, 0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127); /* the server went away already */
    if (dup2(stdin_fd, 0) < 0 || dup2(2, 1) < 0)
        _exit(127);
    if (result_fd == 3 ? fcntl(3, F_SETFD, 0) < 0 : dup2(result_fd, 3) < 0)
        _exit(127);
    close_range(4, ~0U, 0); /* the server's sockets and connections */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; s++)
        sigaction(s, &dfl, NULL); /* SIGPIPE was ignored in the server */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(exe, argv, envp);
    _exit(127);
}

int import_child_start(const char *const *args, const struct import_limits *lim, int want_input,
                       struct import_child *c, char *err, size_t errlen)
{
    c->pid = -1;
    c->input_fd = c->result_fd = -1;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        snprintf(err, errlen, "cannot find the polis binary (/proc/self/exe): %s", strerror(errno));
        return -1;
    }
    exe[n] = '\0';
    size_t nargs = 0;
    while (args[nargs])
        nargs++;
    char **argv = calloc(nargs + 3, sizeof *argv);
    if (!argv) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    argv[0] = exe;
    argv[1] = (char *)"import-job";
    for (size_t i = 0; i < nargs; i++)
        argv[i + 2] = (char *)args[i];
    char **envp = child_env(lim);
    if (!envp) {
        snprintf(err, errlen, "out of memory");
        free(argv);
        return -1;
    }
    int res[2] = {-1, -1}, in[2] = {-1, -1};
    int devnull = -1;
    if (want_input)
        pipe2(in, O_CLOEXEC);
    else
        devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (pipe2(res, O_CLOEXEC) || (want_input ? in[0] < 0 : devnull < 0)) {
        snprintf(err, errlen, "cannot create the import process's pipes: %s", strerror(errno));
        for (int i = 0; i < 2; i++) {
            if (res[i] >= 0)
                close(res[i]);
            if (in[i] >= 0)
                close(in[i]);
        }
        if (devnull >= 0)
            close(devnull);
        free(argv);
        free_env(envp);
        return -1;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0)
        exec_child(exe, argv, envp, lim, want_input ? in[0] : devnull, res[1], parent);
    int saved = errno;
    free(argv);
    free_env(envp);
    close(res[1]);
    if (want_input)
        close(in[0]);
    else
        close(devnull);
    if (pid < 0) {
        close(res[0]);
        if (want_input)
            close(in[1]);
        snprintf(err, errlen, "cannot start the import process: %s", strerror(saved));
        return -1;
    }
    c->pid = pid;
    c->result_fd = res[0];
    c->input_fd = want_input ? in[1] : -1;
    return 0;
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int import_child_finish(struct import_child *c, char **result, int (*stop)(void *arg), void *arg,
                        int grace_s)
{
    if (c->input_fd >= 0) {
        close(c->input_fd);
        c->input_fd = -1;
    }
    size_t len = 0;
    char *buf = malloc(RESULT_MAX + 1), scratch[4096];
    int stopping = 0;
    long long kill_at = 0;
    for (;;) {
        struct pollfd p = {.fd = c->result_fd, .events = POLLIN};
        int r = poll(&p, 1, 200);
        if (r < 0 && errno != EINTR)
            break;
        if (r > 0) {
            /* beyond RESULT_MAX (a child gone wrong) the rest is read and dropped */
            int room = buf && len < RESULT_MAX;
            ssize_t n = read(c->result_fd, room ? buf + len : scratch,
                             room ? RESULT_MAX - len : sizeof scratch);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break; /* closed: the child has ended */
            if (room)
                len += (size_t)n;
            continue;
        }
        if (r == 0 && !stopping && stop && stop(arg)) {
            kill(c->pid, SIGTERM);
            stopping = 1;
            kill_at = now_ms() + (long long)grace_s * 1000;
        } else if (r == 0 && stopping == 1 && now_ms() > kill_at) {
            kill(c->pid, SIGKILL);
            stopping = 2;
        }
    }
    close(c->result_fd);
    c->result_fd = -1;
    int status = 0;
    while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (buf)
        buf[len] = '\0';
    *result = buf;
    return status;
}

void import_child_describe(int status, const struct import_limits *lim, char *out, size_t outlen)
{
    if (WIFEXITED(status)) {
        snprintf(out, outlen, "the import process ended (exit status %d) without a result%s",
                 WEXITSTATUS(status), WEXITSTATUS(status) == 127
                                          ? " (it could not start: is POLIS_IMPORT_MAX_MEMORY_MB "
                                            "too low to load polis?)"
                                          : "");
        return;
    }
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    switch (sig) {
    case SIGXCPU:
        snprintf(out, outlen, "the import was stopped: it used more than %ld s of CPU time (the "
                 "limit, POLIS_IMPORT_MAX_CPU_SECONDS)", lim->cpu_seconds);
        break;
    case SIGXFSZ:
        snprintf(out, outlen, "the import was stopped: it tried to write a file larger than %ld MB "
                 "(the limit, POLIS_IMPORT_MAX_FILE_MB)", lim->file_mb);
        break;
    case SIGABRT:
        snprintf(out, outlen, "the import process aborted (SIGABRT), most often for want of "
                 "memory: it may use %ld MB (the limit, POLIS_IMPORT_MAX_MEMORY_MB)",
                 lim->memory_mb);
        break;
    case SIGKILL:
        snprintf(out, outlen, "the import process was killed (SIGKILL): its CPU time limit of "
                 "%ld s (POLIS_IMPORT_MAX_CPU_SECONDS), the server stopping, or the machine out "
                 "of memory", lim->cpu_seconds);
        break;
    case SIGSEGV:
    case SIGBUS:
    case SIGILL:
    case SIGFPE:
        snprintf(out, outlen, "the import process crashed (SIG%s, signal %d) reading the file: a bug "
                 "in GDAL or the importer that this file sets off", sigabbrev_np(sig), sig);
        break;
    default:
        snprintf(out, outlen, "the import process ended by signal %d (%s)", sig,
                 sig ? strsignal(sig) : "?");
    }
}
