/* polis import-job: the child process a server starts to read an uploaded
 * file with GDAL (jobs/import_child.h starts it, with its limits); not a
 * command for people, and not listed by `polis --help`.
 *
 *   polis import-job check FILE_NAME
 *       the upload's bytes on stdin; fd 3 gets "" when its format is
 *       accepted (or not known: the import then says it cannot read it),
 *       else why it is refused ("x.geojson is in the format VRT ...").
 *   polis import-job run job=ID file=PATH name=NAME mode=create|replace|append
 *                        [title_el=T] [title_en=T] [srs=EPSG:n] [encoding=E]
 *                        [visibility=public|staff] [unzipped_mb=N]
 *       imports PATH into layer NAME on POLIS_DATABASE_URL, writing
 *       progress to the job's row; fd 3 gets the result as JSON:
 *       {"ok":true,"layer":...,"read":...} or {"ok":false,"error":...}.
 *       SIGTERM stops it at its next progress point (nothing is changed).
 *
 * For the tests only: with POLIS_TEST_IMPORT_CRASH=TEXT in the server's
 * environment, a `run` whose file name contains TEXT raises SIGSEGV at its
 * first progress point, so that the supervisor's handling of a crashing
 * child can be shown on demand. */
#include "gis/db.h"
#include "gis/jobs_sql.h"
#include "gis/layer_import.h"
#include "gis/ogr_reader.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "http/config.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define RESULT_FD 3

static volatile sig_atomic_t stop_requested;

static void on_sigterm(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static int write_result(const char *text)
{
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t n = write(RESULT_FD, text + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 1;
        off += (size_t)n;
    }
    return 0;
}

/* check: identify the upload read from stdin */
static int check(const char *file_name)
{
    size_t len = 0, cap = 1 << 20;
    char *data = malloc(cap);
    for (;;) {
        if (!data)
            return 1;
        if (len == cap) {
            char *more = realloc(data, cap *= 2);
            if (!more) {
                free(data);
                return 1;
            }
            data = more;
        }
        ssize_t n = read(0, data + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    char why[2048] = "";
    ogr_buffer_refused(file_name, data, len, why, sizeof why);
    free(data);
    return write_result(why);
}

struct progress {
    PGconn *st;
    const char *job;
    const char *crash_marker; /* the test hook: NULL normally */
};

static int on_progress(void *arg, const struct layer_import_summary *s, long long total)
{
    struct progress *p = arg;
    if (p->crash_marker) { /* the tests' crash, not a bug: no core file */
        setrlimit(RLIMIT_CORE, &(struct rlimit){0, 0});
        raise(SIGSEGV);
    }
    char rd[24], wr[24], tt[24];
    snprintf(rd, sizeof rd, "%lld", s->read);
    snprintf(wr, sizeof wr, "%lld", s->read - s->rejected);
    snprintf(tt, sizeof tt, "%lld", total);
    const char *params[JOB_PROGRESS_NPARAMS] = {
        [JOB_PROGRESS_P_ID] = p->job,
        [JOB_PROGRESS_P_READ] = rd,
        [JOB_PROGRESS_P_WRITTEN] = wr,
        [JOB_PROGRESS_P_TOTAL] = total >= 0 ? tt : NULL,
    };
    PQclear(PQexecParams(p->st, JOB_PROGRESS_SQL, JOB_PROGRESS_NPARAMS, NULL, params, NULL, NULL,
                         0));
    return stop_requested;
}

static const char *arg_value(int argc, char **argv, const char *key)
{
    size_t n = strlen(key);
    for (int i = 2; i < argc; i++)
        if (!strncmp(argv[i], key, n) && argv[i][n] == '=')
            return argv[i] + n + 1;
    return NULL;
}

static int run(int argc, char **argv)
{
    const char *job = arg_value(argc, argv, "job"), *mode = arg_value(argc, argv, "mode");
    const char *mb = arg_value(argc, argv, "unzipped_mb");
    struct layer_import_options o = {0};
    o.path = arg_value(argc, argv, "file");
    o.name = arg_value(argc, argv, "name");
    o.title_el = arg_value(argc, argv, "title_el");
    o.title_en = arg_value(argc, argv, "title_en");
    o.visibility = arg_value(argc, argv, "visibility");
    o.reader.srs = arg_value(argc, argv, "srs");
    o.reader.encoding = arg_value(argc, argv, "encoding");
    o.reader.x_column = arg_value(argc, argv, "x");
    o.reader.y_column = arg_value(argc, argv, "y");
    o.reader.max_unzipped_bytes = mb ? atoll(mb) * 1024 * 1024 : 0;
    o.mode = mode && !strcmp(mode, "replace")  ? LAYER_REPLACE
             : mode && !strcmp(mode, "append") ? LAYER_APPEND
                                               : LAYER_CREATE;
    o.progress_every = 1000;
    if (!job || !o.path || !o.name) {
        fprintf(stderr, "polis import-job run: job=, file= and name= are needed\n");
        return 2;
    }
    struct polis_config cfg;
    if (cli_config("polis import-job run", &cfg))
        return 2;
    const char *marker = cfg.test_import_crash;
    const char *base = strrchr(o.path, '/') ? strrchr(o.path, '/') + 1 : o.path;
    struct progress p = {.job = job};
    if (marker && *marker && strstr(base, marker))
        p.crash_marker = marker;
    char err[2048] = "";
    struct layer_import_summary s;
    memset(&s, 0, sizeof s);
    /* the layer's table is made (or replaced) by the owner role: the
     * server's own role may not create tables (README "Database roles") */
    PGconn *db = db_connect(cfg.database_owner_url, err, sizeof err);
    p.st = db ? db_connect(cfg.database_owner_url, err, sizeof err) : NULL;
    int ok = 0;
    if (db && p.st) {
        o.progress = on_progress;
        o.progress_arg = &p;
        ok = layer_import(db, &o, &s, err, sizeof err) == 0;
    } else {
        char why[1024];
        snprintf(why, sizeof why, "%s", err);
        snprintf(err, sizeof err, "the database could not be reached: %s", why);
    }
    PQfinish(db);
    PQfinish(p.st);
    json_t *result =
        ok ? json_pack("{s:b,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:i,s:f}", "ok", 1, "layer", s.name,
                       "source", s.source, "srs", s.srs, "read", (json_int_t)s.read, "written",
                       (json_int_t)s.written, "repaired", (json_int_t)s.repaired, "rejected",
                       (json_int_t)s.rejected, "columns", s.columns, "seconds", s.seconds)
           : json_pack("{s:b,s:s,s:I}", "ok", 0, "error", err, "read", (json_int_t)s.read);
    char *text = result ? json_dumps(result, JSON_COMPACT) : NULL;
    json_decref(result);
    int rc = write_result(text ? text : "{\"ok\":false,\"error\":\"out of memory\"}");
    free(text);
    return rc;
}

int cmd_import_job(int argc, char **argv)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigterm;
    sigaction(SIGTERM, &sa, NULL);
    if (argc >= 3 && !strcmp(argv[1], "check"))
        return check(argv[2]);
    if (argc >= 2 && !strcmp(argv[1], "run"))
        return run(argc, argv);
    fprintf(stderr, "polis import-job: started by the server for an upload (check FILE_NAME, "
            "run KEY=VALUE...); not a command to run by hand\n");
    return 2;
}
