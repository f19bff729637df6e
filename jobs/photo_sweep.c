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

/* Where each kind of stored file lives and which table holds its rows.
 * Photos are in a folder per owner (report, POI) and the rows of an owner
 * are read once; application files and issued documents lie in one flat
 * folder, and the row of each old file is looked up by its name. */
static const struct {
    const char *folder; /* under $POLIS_VAR */
    int per_owner;      /* folder/<owner id>/<file>, else folder/<file> */
    const char *rows;   /* $1 the owner id (per_owner) or the file name: the file names that
                         * have a row (SWEEP_ROWS_FILE_NAME) */
} sweep_kinds[] = {
    {"photos", 1, "SELECT file_name FROM report_photos WHERE report_id = $1::bigint"},
    {"poi-photos", 1, "SELECT file_name FROM poi_photos WHERE poi_id = $1::bigint"},
    {"application-files", 0, "SELECT file_name FROM application_files WHERE file_name = $1"},
    {"documents", 0, "SELECT file_name FROM issued_documents WHERE file_name = $1"},
};

enum sweep_rows_col {
    SWEEP_ROWS_FILE_NAME,
};

static int all_digits(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s) && strlen(s) <= 18;
}

/* The rows of one folder: read already (an owner's), or the statement that
 * finds the row of one file name (a flat folder). */
struct folder_rows {
    PGconn *db;
    const PGresult *rows;
    const char *by_name;
    int failed; /* a lookup failed: err says why; nothing more is removed */
    char *err;
    size_t errlen;
};

/* 1 when name has a row, 0 when not; on a failed lookup 1 (kept) and
 * fr->failed set. */
static int has_row(struct folder_rows *fr, const char *name)
{
    if (fr->rows) {
        for (int i = 0; i < PQntuples(fr->rows); i++)
            if (!strcmp(PQgetvalue(fr->rows, i, SWEEP_ROWS_FILE_NAME), name))
                return 1;
        return 0;
    }
    PGresult *res = PQexecParams(fr->db, fr->by_name, 1, NULL, (const char *[]){name}, NULL,
                                 NULL, 0);
    int found = 1;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_result_error(res, fr->err, fr->errlen);
        fr->failed = 1;
    } else {
        found = PQntuples(res) > 0;
    }
    PQclear(res);
    return found;
}

/* One folder of files: dir (open), its path for the log, its rows. */
static void sweep_folder(int dirfd, const char *path, struct folder_rows *fr, long grace_s,
                         time_t now, FILE *log, struct photo_sweep_counts *counts)
{
    DIR *d = fdopendir(dirfd);
    if (!d) {
        close(dirfd);
        return;
    }
    struct dirent *e;
    while (!fr->failed && (e = readdir(d))) {
        struct stat st;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
            fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
            continue;
        long age = (long)(now - st.st_mtime);
        if (age < grace_s || has_row(fr, e->d_name)) {
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

/* The owner folders of one kind (folder open as top): each owner's rows
 * read once, then its folder swept. */
static void sweep_owners(DIR *top, const char *folder, const char *rows_sql,
                         struct folder_rows *fr, long grace_s, time_t now, FILE *log,
                         struct photo_sweep_counts *counts)
{
    struct dirent *e;
    while (!fr->failed && (e = readdir(top))) {
        if (!all_digits(e->d_name))
            continue;
        const char *params[] = {e->d_name};
        PGresult *rows = PQexecParams(fr->db, rows_sql, 1, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(rows) != PGRES_TUPLES_OK) {
            db_result_error(rows, fr->err, fr->errlen);
            fr->failed = 1;
        } else {
            int fd = openat(dirfd(top), e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            char path[4096 + sizeof e->d_name + 2];
            snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
            fr->rows = rows;
            if (fd >= 0)
                sweep_folder(fd, path, fr, grace_s, now, log, counts);
            fr->rows = NULL;
        }
        PQclear(rows);
    }
}

int photo_sweep(PGconn *db, const char *var_dir, long grace_s, time_t now, FILE *log,
                struct photo_sweep_counts *counts, char *err, size_t errlen)
{
    memset(counts, 0, sizeof *counts);
    for (size_t k = 0; k < sizeof sweep_kinds / sizeof sweep_kinds[0]; k++) {
        char folder[4096];
        snprintf(folder, sizeof folder, "%s/%s", var_dir, sweep_kinds[k].folder);
        DIR *top = opendir(folder);
        if (!top)
            continue; /* no files of this kind yet */
        struct folder_rows fr = {.db = db, .err = err, .errlen = errlen};
        if (sweep_kinds[k].per_owner) {
            sweep_owners(top, folder, sweep_kinds[k].rows, &fr, grace_s, now, log, counts);
            closedir(top);
        } else {
            fr.by_name = sweep_kinds[k].rows;
            int fd = dup(dirfd(top));
            closedir(top);
            if (fd >= 0)
                sweep_folder(fd, folder, &fr, grace_s, now, log, counts);
        }
        if (fr.failed)
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
