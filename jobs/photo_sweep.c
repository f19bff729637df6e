#include "jobs/photo_sweep.h"

#include "gis/db.h"
#include "jobs/job_thread.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where each kind of photo lives and which table holds its rows. */
static const struct {
    const char *folder; /* under $POLIS_VAR */
    const char *rows;   /* $1 owner id: the file names that have a row (PHOTO_ROWS_FILE_NAME) */
} photo_kinds[] = {
    {"photos", "SELECT file_name FROM report_photos WHERE report_id = $1::bigint"},
    {"poi-photos", "SELECT file_name FROM poi_photos WHERE poi_id = $1::bigint"},
};

enum photo_rows_col {
    PHOTO_ROWS_FILE_NAME,
};

static int all_digits(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s) && strlen(s) <= 18;
}

static int has_row(const PGresult *rows, const char *name)
{
    for (int i = 0; i < PQntuples(rows); i++)
        if (!strcmp(PQgetvalue(rows, i, PHOTO_ROWS_FILE_NAME), name))
            return 1;
    return 0;
}

/* One owner's folder: dir (open), its path for the log, the rows of owner. */
static void sweep_owner(int dirfd, const char *path, const PGresult *rows, long grace_s,
                        time_t now, FILE *log, struct photo_sweep_counts *counts)
{
    DIR *d = fdopendir(dirfd);
    if (!d) {
        close(dirfd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        struct stat st;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
            fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
            continue;
        long age = (long)(now - st.st_mtime);
        if (has_row(rows, e->d_name) || age < grace_s) {
            counts->kept++;
            continue;
        }
        if (unlinkat(dirfd, e->d_name, 0) && errno != ENOENT) {
            counts->failed++;
            fprintf(log, "polis: photo sweep: cannot remove orphan %s/%s: %s\n", path,
                    e->d_name, strerror(errno));
            continue;
        }
        counts->removed++;
        fprintf(log, "polis: photo sweep: removed orphan %s/%s (no row, %ld minutes old)\n",
                path, e->d_name, age / 60);
    }
    closedir(d);
}

int photo_sweep(PGconn *db, const char *var_dir, long grace_s, time_t now, FILE *log,
                struct photo_sweep_counts *counts, char *err, size_t errlen)
{
    memset(counts, 0, sizeof *counts);
    for (size_t k = 0; k < sizeof photo_kinds / sizeof photo_kinds[0]; k++) {
        char folder[4096];
        snprintf(folder, sizeof folder, "%s/%s", var_dir, photo_kinds[k].folder);
        DIR *top = opendir(folder);
        if (!top)
            continue; /* no photos of this kind yet */
        struct dirent *e;
        int failed = 0;
        while (!failed && (e = readdir(top))) {
            if (!all_digits(e->d_name))
                continue;
            const char *params[] = {e->d_name};
            PGresult *rows = PQexecParams(db, photo_kinds[k].rows, 1, NULL, params, NULL, NULL, 0);
            if (PQresultStatus(rows) != PGRES_TUPLES_OK) {
                db_result_error(rows, err, errlen);
                failed = 1;
            } else {
                int fd = openat(dirfd(top), e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                char path[sizeof folder + sizeof e->d_name + 2];
                snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
                if (fd >= 0)
                    sweep_owner(fd, path, rows, grace_s, now, log, counts);
            }
            PQclear(rows);
        }
        closedir(top);
        if (failed)
            return -1;
    }
    return 0;
}

struct background_sweep {
    char *conninfo, *var_dir;
    long grace_s;
};

static void background_sweep_free(void *arg)
{
    struct background_sweep *b = arg;
    free(b->conninfo);
    free(b->var_dir);
    free(b);
}

static void *sweep_thread(void *arg)
{
    struct background_sweep *b = arg;
    char err[1024];
    struct photo_sweep_counts counts;
    PGconn *db = db_connect(b->conninfo, err, sizeof err);
    if (!db)
        fprintf(stderr, "polis: photo sweep: cannot connect: %s\n", err);
    else if (photo_sweep(db, b->var_dir, b->grace_s, time(NULL), stderr, &counts, err,
                         sizeof err))
        fprintf(stderr, "polis: photo sweep stopped: %s\n", err);
    else
        fprintf(stderr, "polis: photo sweep: %ld orphaned files removed, %ld kept, %ld could "
                "not be removed\n", counts.removed, counts.kept, counts.failed);
    PQfinish(db);
    background_sweep_free(b);
    return NULL;
}

void photo_sweep_in_background(const struct polis_config *cfg)
{
    struct background_sweep *b = calloc(1, sizeof *b);
    if (b) {
        b->conninfo = strdup(cfg->database_url);
        b->var_dir = strdup(cfg->var_dir);
        b->grace_s = cfg->photo_sweep_grace_s;
        if (!b->conninfo || !b->var_dir) {
            background_sweep_free(b);
            b = NULL;
        }
    }
    job_thread_start("photo sweep", sweep_thread, b, background_sweep_free);
}
