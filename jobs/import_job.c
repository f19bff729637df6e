/* Uploaded layers imported on the import threads (see import_job.h). */
#include "jobs/import_job.h"

#include "common/make_dirs.h"
#include "common/write_all.h"
#include "gis/db.h"
#include "gis/jobs_sql.h"
#include "gis/translit.h"
#include "jobs/import_child.h"
#include "http/polis.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

void upload_file_name(const char *in, char *out, size_t outlen)
{
    const char *base = in;
    for (const char *p = in; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t need = strlen(base) + 1, n = 0;
    char *lat = malloc(need), *safe = malloc(need);
    if (lat && safe) {
        translit_elot743(base, lat, need);
        for (const char *p = lat; *p; p++) {
            unsigned char c = (unsigned char)*p;
            char d = (c < 128 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                  (c >= '0' && c <= '9') || c == '.' || c == '-'))
                         ? (char)c : '_';
            if ((d == '_' || d == '.') && n == 0)
                continue; /* no leading '_' or '.' (hidden files, "..") */
            if (d == '_' && safe[n - 1] == '_')
                continue;
            safe[n++] = d;
        }
    }
    size_t max = outlen - 1 < 100 ? outlen - 1 : 100;
    if (n > max) {
        /* too long: cut the stem, keep the extension (GDAL picks its driver by it) */
        safe[n] = '\0';
        const char *dot = strrchr(safe, '.');
        size_t ext = dot && strlen(dot) < max / 2 ? strlen(dot) : 0;
        memmove(safe + max - ext, safe + n - ext, ext);
        n = max;
    }
    if (n == 0 || (n == 1 && safe[0] == '-'))
        snprintf(out, outlen, "upload");
    else
        snprintf(out, outlen, "%.*s", (int)n, safe);
    free(lat);
    free(safe);
}

void import_job_server_label(char *out, size_t outlen)
{
    char host[128] = "";
    if (gethostname(host, sizeof host - 1))
        snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = '\0';
    snprintf(out, outlen, "%s:%ld", host, (long)getpid());
}

/* Removes every occurrence of prefix from s (so an error names the file,
 * not the server's directories). */
static void strip_all(char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    char *at;
    while (n && (at = strstr(s, prefix)))
        memmove(at, at + n, strlen(at + n) + 1);
}

/* The importer's messages name the CLI's options; an upload's client sets
 * form fields instead. */
static void cli_to_form(char *s, size_t cap)
{
    static const char *const map[][2] = {
        {"--replace", "mode=replace"}, {"--append", "mode=append"}, {"--as NAME", "name=NAME"},
        {"--encoding applies", "encoding applies"}, {"--srs ", "srs="}, {"--encoding ", "encoding="},
        {"(choose with --layer)", "(upload a file with one layer)"},
        {"--x \"", "x \""}, {"--y \"", "y \""}, {"with --x and --y", "with the fields x and y"},
        {"--x and --y", "x and y"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        size_t from = strlen(map[i][0]), to = strlen(map[i][1]);
        char *at = s;
        while ((at = strstr(at, map[i][0]))) {
            size_t rest = strlen(at + from);
            if ((size_t)(at - s) + to + rest + 1 > cap)
                break;
            memmove(at + to, at + from, rest + 1);
            memcpy(at, map[i][1], to);
            at += to;
        }
    }
}

/* Writes the upload; returns 0, or -1 with err. */
static int save_upload(struct import_job *ij, const char *dir, const char *path, char *err,
                       size_t errlen)
{
    if (make_dirs(dir, 0700)) {
        snprintf(err, errlen, "%s: the upload could not be stored on the server (%s)",
                 ij->file_name, strerror(errno));
        return -1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int written = fd >= 0 ? write_all(fd, ij->data, ij->len) : -1;
    int saved = errno;
    if (fd < 0 || written || close(fd)) {
        if (fd >= 0 && written)
            close(fd);
        snprintf(err, errlen, "%s: the upload could not be stored on the server (%s)",
                 ij->file_name, strerror(saved));
        return -1;
    }
    free(ij->data);
    ij->data = NULL;
    return 0;
}

static void limits_of(const struct polis_config *cfg, struct import_limits *lim)
{
    lim->memory_mb = cfg->import_max_memory_mb;
    lim->cpu_seconds = cfg->import_max_cpu_seconds;
    lim->file_mb = cfg->import_max_file_mb;
}

static int server_stopping(void *arg)
{
    struct polis_ctx *app = arg;
    return atomic_load(&app->shutting_down) ? 1 : 0;
}

int import_job_refused(struct polis_ctx *app, const char *file_name, const char *data, size_t len,
                       char *why, size_t whylen)
{
    struct import_limits lim;
    limits_of(&app->cfg, &lim);
    struct import_child c;
    char err[512];
    const char *args[] = {"check", file_name, NULL};
    if (import_child_start(args, &lim, 1, &c, err, sizeof err) < 0) {
        fprintf(stderr, "polis: %s: not checked before its import: %s\n", file_name, err);
        return 0; /* the import, in its own child, checks it again */
    }
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(c.input_fd, data + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* the child ended early: its status says why */
        off += (size_t)n;
    }
    char *result = NULL;
    int status = import_child_finish(&c, &result, NULL, NULL, 0);
    int refused = WIFEXITED(status) && WEXITSTATUS(status) == 0 && result && result[0];
    if (refused)
        snprintf(why, whylen, "%s", result);
    else if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        char how[512];
        import_child_describe(status, &lim, how, sizeof how);
        fprintf(stderr, "polis: %s: checking its format: %s\n", file_name, how);
    }
    free(result);
    return refused;
}

/* The child's arguments, KEY=VALUE (cli/import_job.c). */
struct child_args {
    const char *argv[14];
    char buf[14][1300];
    int n;
};

static void arg_add(struct child_args *a, const char *key, const char *value)
{
    if (!value || !value[0] || a->n >= 13)
        return;
    snprintf(a->buf[a->n], sizeof a->buf[0], "%s=%s", key, value);
    a->argv[a->n] = a->buf[a->n];
    a->argv[++a->n] = NULL;
}

/* Runs the import in a child process (jobs/import_child.h) and fills s
 * (ok) or err from what it reports, or from how it ended. Returns 1 when
 * it succeeded. */
static int import_in_child(struct import_job *ij, const char *path, struct layer_import_summary *s,
                           char *err, size_t errlen)
{
    const struct polis_config *cfg = &ij->app->cfg;
    struct import_limits lim;
    limits_of(cfg, &lim);
    char id[24], mb[24];
    snprintf(id, sizeof id, "%ld", ij->id);
    snprintf(mb, sizeof mb, "%ld", cfg->import_max_unzipped_mb);
    struct child_args a = {.argv = {"run"}, .n = 1};
    arg_add(&a, "job", id);
    arg_add(&a, "file", path);
    arg_add(&a, "name", ij->layer);
    arg_add(&a, "mode", ij->mode == LAYER_REPLACE  ? "replace"
                        : ij->mode == LAYER_APPEND ? "append"
                                                   : "create");
    arg_add(&a, "title_el", ij->title_el);
    arg_add(&a, "title_en", ij->title_en);
    arg_add(&a, "srs", ij->srs);
    arg_add(&a, "encoding", ij->encoding);
    arg_add(&a, "x", ij->x_column);
    arg_add(&a, "y", ij->y_column);
    arg_add(&a, "visibility", ij->visibility);
    arg_add(&a, "unzipped_mb", mb);
    struct import_child c;
    if (import_child_start(a.argv, &lim, 0, &c, err, errlen) < 0)
        return 0;
    char *result = NULL;
    int status = import_child_finish(&c, &result, server_stopping, ij->app,
                                     cfg->drain_seconds > 0 ? cfg->drain_seconds : 1);
    json_t *j = result && result[0] ? json_loads(result, 0, NULL) : NULL;
    free(result);
    int ok = 0;
    if (j && json_is_true(json_object_get(j, "ok"))) {
        ok = 1;
        const char *layer = json_string_value(json_object_get(j, "layer")),
                   *source = json_string_value(json_object_get(j, "source")),
                   *srs = json_string_value(json_object_get(j, "srs"));
        snprintf(s->name, sizeof s->name, "%s", layer ? layer : "");
        snprintf(s->source, sizeof s->source, "%s", source ? source : "");
        snprintf(s->srs, sizeof s->srs, "%s", srs ? srs : "");
        s->read = json_integer_value(json_object_get(j, "read"));
        s->written = json_integer_value(json_object_get(j, "written"));
        s->repaired = json_integer_value(json_object_get(j, "repaired"));
        s->rejected = json_integer_value(json_object_get(j, "rejected"));
        s->columns = (int)json_integer_value(json_object_get(j, "columns"));
        s->seconds = json_real_value(json_object_get(j, "seconds"));
    } else if (j && json_is_string(json_object_get(j, "error"))) {
        snprintf(err, errlen, "%s", json_string_value(json_object_get(j, "error")));
        s->read = json_integer_value(json_object_get(j, "read"));
    } else {
        char how[512];
        import_child_describe(status, &lim, how, sizeof how);
        snprintf(err, errlen, "%s: %s", ij->file_name, how);
    }
    json_decref(j);
    return ok;
}

/* Records the end of the job: succeeded with the summary, or failed with err. */
static void finish(PGconn *st, struct import_job *ij, int ok,
                   const struct layer_import_summary *s, long long total, const char *err)
{
    json_t *result =
        ok ? json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:i,s:f}", "layer", s->name, "source",
                       s->source, "srs", s->srs, "read", (json_int_t)s->read, "written",
                       (json_int_t)s->written, "repaired", (json_int_t)s->repaired, "rejected",
                       (json_int_t)s->rejected, "columns", s->columns, "seconds", s->seconds)
           : json_pack("{s:s}", "error", err);
    char *text = result ? json_dumps(result, JSON_COMPACT) : NULL;
    json_decref(result);
    char id[24], rd[24], wr[24], tt[24];
    snprintf(id, sizeof id, "%ld", ij->id);
    snprintf(rd, sizeof rd, "%lld", s->read);
    snprintf(wr, sizeof wr, "%lld", ok ? s->written : 0);
    snprintf(tt, sizeof tt, "%lld", total);
    const char *p[JOB_FINISH_NPARAMS] = {
        [JOB_FINISH_P_ID] = id,
        [JOB_FINISH_P_STATUS] = ok ? "succeeded" : "failed",
        [JOB_FINISH_P_RESULT] = text ? text : "{\"error\":\"?\"}",
        [JOB_FINISH_P_READ] = rd,
        [JOB_FINISH_P_WRITTEN] = wr,
        [JOB_FINISH_P_TOTAL] = total >= 0 ? tt : NULL,
    };
    PGresult *res = PQexecParams(st, JOB_FINISH_SQL, JOB_FINISH_NPARAMS, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        fprintf(stderr, "polis: job %ld: could not record its end: %s", ij->id,
                PQerrorMessage(st));
    PQclear(res);
    if (ok)
        fprintf(stderr, "polis: job %ld: layer %s imported: %lld written, %lld rejected\n", ij->id,
                s->name, s->written, s->rejected);
    else
        fprintf(stderr, "polis: job %ld: failed: %s\n", ij->id, err);
    free(text);
}

static void upload_paths(const struct import_job *ij, char *dir, size_t dirlen, char *path,
                         size_t pathlen)
{
    snprintf(dir, dirlen, "%s/uploads/%ld", ij->app->cfg.var_dir, ij->id);
    snprintf(path, pathlen, "%s/%s", dir, ij->file_name);
}

static void remove_upload(const struct import_job *ij)
{
    char dir[1024], path[1200];
    upload_paths(ij, dir, sizeof dir, path, sizeof path);
    unlink(path);
    rmdir(dir);
}

/* A queued job that will not run: failed with why, its upload removed. */
static void fail_queued(struct import_job *ij, PGconn *st, const char *why)
{
    char id[24];
    snprintf(id, sizeof id, "%ld", ij->id);
    const char *p[] = {id, why};
    PQclear(PQexecParams(st, JOB_FAIL_QUEUED_SQL, 2, NULL, p, NULL, NULL, 0));
    fprintf(stderr, "polis: job %ld: failed: %s: %s\n", ij->id, ij->file_name, why);
    remove_upload(ij);
}

/* On an import thread: the import (see import_job.h). */
static void import_work(struct offload_job *job)
{
    struct import_job *ij = (struct import_job *)job;
    const struct polis_config *cfg = &ij->app->cfg;
    char err[2048] = "", dir[1024], path[1200], id[24];
    struct layer_import_summary s;
    memset(&s, 0, sizeof s);
    snprintf(id, sizeof id, "%ld", ij->id);
    upload_paths(ij, dir, sizeof dir, path, sizeof path);

    PGconn *st = db_connect(cfg->database_url, err, sizeof err);
    if (!st) {
        /* nothing can record it; the next start fails it (queued by a gone server) */
        fprintf(stderr, "polis: job %ld: cannot reach the database, left queued: %s\n", ij->id,
                err);
        remove_upload(ij);
        return;
    }
    if (ij->queue_full || atomic_load(&ij->app->shutting_down)) {
        fail_queued(ij, st, ij->queue_full
                                ? "the server had too many uploads waiting; upload the file again "
                                  "later"
                                : "the server stopped before the import started; upload the "
                                  "file again");
        PQfinish(st);
        return;
    }
    const char *p[] = {id};
    PGresult *res = PQexecParams(st, JOB_START_SQL, 1, NULL, p, NULL, NULL, 0);
    int started = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
    PQclear(res);
    if (!started) {
        fprintf(stderr, "polis: job %ld: not queued any more, skipped\n", ij->id);
        remove_upload(ij);
        PQfinish(st);
        return;
    }

    int ok = 0;
    long long total = -1;
    if (ij->save_err[0]) {
        snprintf(err, sizeof err, "%s", ij->save_err);
    } else {
        ok = import_in_child(ij, path, &s, err, sizeof err);
        total = s.read;
        if (!ok && atomic_load(&ij->app->shutting_down))
            strncat(err, " (the server is shutting down; upload the file again)",
                    sizeof err - strlen(err) - 1);
    }
    char prefix[1100];
    snprintf(prefix, sizeof prefix, "%s/", dir);
    strip_all(err, prefix);
    cli_to_form(err, sizeof err);
    finish(st, ij, ok, &s, total, err);
    PQfinish(st);
    remove_upload(ij);
}

/* Back on the submitting worker's loop: nothing waits for it there. */
static void import_done(struct offload_job *job)
{
    import_job_free((struct import_job *)job);
}

/* On a thread of the general offload pool: the upload to disk, so that a
 * queued import holds a path, not the file's bytes. */
static void save_work(struct offload_job *job)
{
    struct import_job *ij = (struct import_job *)job;
    char dir[1024], path[1200];
    upload_paths(ij, dir, sizeof dir, path, sizeof path);
    save_upload(ij, dir, path, ij->save_err, sizeof ij->save_err);
    free(ij->data); /* written or not, the bytes are not needed any more */
    ij->data = NULL;
}

/* Back on the loop: queue the import (a full queue makes the job fail,
 * recorded from a pool thread: the loop never waits on the database). */
static void save_done(struct offload_job *job)
{
    struct import_job *ij = (struct import_job *)job;
    ij->job.work = import_work;
    ij->job.done = import_done;
    if (offload_submit(ij->app->imports, ij->reply_to, &ij->job) == 0)
        return;
    ij->queue_full = 1;
    if (offload_submit(ij->app->offload, ij->reply_to, &ij->job) == 0)
        return;
    fprintf(stderr, "polis: job %ld: every queue is full; left queued (the next start fails it)\n",
            ij->id);
    remove_upload(ij);
    import_job_free(ij);
}

struct import_job *import_job_new(struct polis_ctx *app, long id, const char *data, size_t len)
{
    struct import_job *ij = calloc(1, sizeof *ij);
    if (!ij || !(ij->data = malloc(len ? len : 1))) {
        free(ij);
        return NULL;
    }
    memcpy(ij->data, data, len);
    ij->len = len;
    ij->app = app;
    ij->id = id;
    return ij;
}

void import_job_free(struct import_job *ij)
{
    if (!ij)
        return;
    free(ij->data);
    free(ij);
}

int import_job_submit(struct import_job *ij, h2o_multithread_receiver_t *reply_to)
{
    ij->reply_to = reply_to;
    ij->job.work = save_work;
    ij->job.done = save_done;
    return offload_submit(ij->app->offload, reply_to, &ij->job);
}

void import_jobs_reap_at_start(struct polis_ctx *app)
{
    char err[1024];
    PGconn *db = db_connect(app->cfg.database_url, err, sizeof err);
    if (!db) {
        fprintf(stderr, "polis: jobs: not checked for ones a crash left behind: %s\n", err);
        return;
    }
    PGresult *res = PQexec(db, JOB_REAP_SQL);
    if (PQresultStatus(res) == PGRES_TUPLES_OK && atoi(PQgetvalue(res, 0, JOB_REAP_COUNT)) > 0)
        fprintf(stderr, "polis: jobs: %s left running by a stopped server marked failed\n",
                PQgetvalue(res, 0, JOB_REAP_COUNT));
    PQclear(res);
    /* queued by a server on this host that is gone (or had our pid) */
    char me[200], host[200];
    import_job_server_label(me, sizeof me);
    snprintf(host, sizeof host, "%.*s", (int)(strrchr(me, ':') - me), me);
    res = PQexec(db, JOB_QUEUED_SQL);
    for (int i = 0; PQresultStatus(res) == PGRES_TUPLES_OK && i < PQntuples(res); i++) {
        const char *srv = PQgetvalue(res, i, JOB_QUEUED_SERVER), *colon = strrchr(srv, ':');
        if (!colon || (size_t)(colon - srv) != strlen(host) || strncmp(srv, host, strlen(host)))
            continue;
        long pid = atol(colon + 1);
        if (pid > 0 && pid != (long)getpid() && (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
            continue; /* still there */
        const char *p[] = {PQgetvalue(res, i, JOB_QUEUED_ID),
                           "the server stopped before the import started; upload the file again"};
        PQclear(PQexecParams(db, JOB_FAIL_QUEUED_SQL, 2, NULL, p, NULL, NULL, 0));
    }
    PQclear(res);
    /* what uploads of ended jobs left behind (a crash, a stop mid-way) */
    char updir[1024], sub[1400], file[1700];
    snprintf(updir, sizeof updir, "%s/uploads", app->cfg.var_dir);
    DIR *d = opendir(updir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char *end;
        if (strtol(e->d_name, &end, 10) <= 0 || *end)
            continue;
        const char *p[] = {e->d_name};
        res = PQexecParams(db, JOB_LIVE_SQL, 1, NULL, p, NULL, NULL, 0);
        int keep = PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) > 0;
        PQclear(res);
        if (keep)
            continue;
        snprintf(sub, sizeof sub, "%s/%s", updir, e->d_name);
        DIR *sd = opendir(sub);
        struct dirent *f;
        while (sd && (f = readdir(sd)))
            if (strcmp(f->d_name, ".") && strcmp(f->d_name, "..")) {
                snprintf(file, sizeof file, "%s/%s", sub, f->d_name);
                unlink(file);
            }
        if (sd)
            closedir(sd);
        rmdir(sub);
    }
    if (d)
        closedir(d);
    PQfinish(db);
}
