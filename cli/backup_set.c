/* The backup directory's files: copies, checksums, the manifest (see
 * backup_set.h). */
#include "cli/backup_set.h"

#include "common/make_dirs.h"
#include "common/write_all.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *const backup_stored_dirs[] = {"photos", "poi-photos", "uploads", "documents",
                                           "application-files", NULL};

/* ---- walking a tree ---- */

/* Relative paths of the regular files under a directory, growing. */
struct file_list {
    char **paths;
    size_t n, cap;
};

static void file_list_free(struct file_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->paths[i]);
    free(l->paths);
    memset(l, 0, sizeof *l);
}

static int file_list_add(struct file_list *l, const char *path)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **p = realloc(l->paths, cap * sizeof *p);
        if (!p)
            return -1;
        l->paths = p;
        l->cap = cap;
    }
    if (!(l->paths[l->n] = strdup(path)))
        return -1;
    l->n++;
    return 0;
}

/* Adds the regular files under root/rel (rel "" for root itself); other
 * kinds (sockets, links) are not stored files and are skipped. */
static int walk(const char *root, const char *rel, struct file_list *l, char *err, size_t errlen)
{
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s%s%s", root, rel[0] ? "/" : "", rel) >= (int)sizeof dir) {
        snprintf(err, errlen, "%s/%s: path too long", root, rel);
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT && !rel[0])
            return 0;
        snprintf(err, errlen, "cannot read %s: %s", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char child[PATH_MAX], full[PATH_MAX];
        struct stat st;
        if (snprintf(child, sizeof child, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name) >=
                (int)sizeof child ||
            snprintf(full, sizeof full, "%s/%s", root, child) >= (int)sizeof full) {
            snprintf(err, errlen, "%s/%s: path too long", dir, e->d_name);
            rc = -1;
        } else if (lstat(full, &st) < 0) {
            snprintf(err, errlen, "cannot read %s: %s", full, strerror(errno));
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            rc = walk(root, child, l, err, errlen);
        } else if (S_ISREG(st.st_mode) && file_list_add(l, child) < 0) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
        }
    }
    closedir(d);
    return rc;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int backup_tree_has_files(const char *dir)
{
    struct file_list l = {0};
    char err[256];
    int has = walk(dir, "", &l, err, sizeof err) < 0 || l.n > 0;
    file_list_free(&l);
    return has;
}

/* ---- copying ---- */

static int copy_file(const char *src, const char *dst, mode_t mode, long long *bytes, char *err,
                     size_t errlen)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        snprintf(err, errlen, "cannot read %s: %s", src, strerror(errno));
        return -1;
    }
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0777);
    if (out < 0) {
        snprintf(err, errlen, "cannot create %s: %s", dst, strerror(errno));
        close(in);
        return -1;
    }
    char buf[65536];
    ssize_t n;
    int rc = 0;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        if (write_all(out, buf, (size_t)n) < 0) {
            snprintf(err, errlen, "cannot write %s: %s", dst, strerror(errno));
            rc = -1;
            break;
        }
        *bytes += n;
    }
    if (rc == 0 && n < 0) {
        snprintf(err, errlen, "cannot read %s: %s", src, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && fsync(out) < 0) {
        snprintf(err, errlen, "cannot write %s: %s", dst, strerror(errno));
        rc = -1;
    }
    close(in);
    if (close(out) < 0 && rc == 0) {
        snprintf(err, errlen, "cannot write %s: %s", dst, strerror(errno));
        rc = -1;
    }
    return rc;
}

int backup_copy_stored_dirs(const char *var_dir, const char *dir, int into_backup, FILE *log,
                            const char *cmd, char *err, size_t errlen)
{
    for (int i = 0; backup_stored_dirs[i]; i++) {
        char stored[PATH_MAX], saved[PATH_MAX];
        snprintf(stored, sizeof stored, "%s/%s", var_dir, backup_stored_dirs[i]);
        snprintf(saved, sizeof saved, "%s/%s/%s", dir, BACKUP_FILES, backup_stored_dirs[i]);
        long files = 0;
        long long bytes = 0;
        if (backup_copy_tree(into_backup ? stored : saved, into_backup ? saved : stored, &files,
                             &bytes, err, errlen) < 0)
            return -1;
        fprintf(log, "%s: %s: %ld files, %lld bytes\n", cmd, stored, files, bytes);
    }
    return 0;
}

int backup_copy_tree(const char *src, const char *dst, long *files, long long *bytes, char *err,
                     size_t errlen)
{
    struct file_list l = {0};
    if (walk(src, "", &l, err, errlen) < 0) {
        file_list_free(&l);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        char from[PATH_MAX], to[PATH_MAX];
        struct stat st;
        snprintf(from, sizeof from, "%s/%s", src, l.paths[i]);
        if (snprintf(to, sizeof to, "%s/%s", dst, l.paths[i]) >= (int)sizeof to) {
            snprintf(err, errlen, "%s/%s: path too long", dst, l.paths[i]);
            rc = -1;
            break;
        }
        char parent[PATH_MAX];
        snprintf(parent, sizeof parent, "%s", to);
        *strrchr(parent, '/') = '\0';
        if (make_dirs(parent, 0700) < 0) {
            snprintf(err, errlen, "cannot create %s: %s", parent, strerror(errno));
            rc = -1;
        } else if (stat(from, &st) < 0) {
            snprintf(err, errlen, "cannot read %s: %s", from, strerror(errno));
            rc = -1;
        } else if ((rc = copy_file(from, to, st.st_mode, bytes, err, errlen)) == 0) {
            (*files)++;
        }
    }
    file_list_free(&l);
    return rc;
}

/* ---- checksums and the manifest ---- */

/* sha256 of a file as 64 hex digits. */
static int sha256_file(const char *path, char hex[65], char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char buf[65536], digest[crypto_hash_sha256_BYTES];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
    int failed = n < 0;
    if (failed)
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
    close(fd);
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(hex, 65, digest, sizeof digest);
    return failed ? -1 : 0;
}

/* The files of dir but its MANIFEST, sorted. */
static int backup_files(const char *dir, struct file_list *l, char *err, size_t errlen)
{
    if (walk(dir, "", l, err, errlen) < 0)
        return -1;
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->paths[i], BACKUP_MANIFEST)) {
            free(l->paths[i]);
            l->paths[i] = l->paths[--l->n];
            break;
        }
    qsort(l->paths, l->n, sizeof *l->paths, by_path);
    return 0;
}

int backup_manifest_write(const char *dir, const char *version, int migration, char *err,
                          size_t errlen)
{
    struct file_list l = {0};
    char tmp[PATH_MAX], final[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, BACKUP_MANIFEST);
    snprintf(final, sizeof final, "%s/%s", dir, BACKUP_MANIFEST);
    if (backup_files(dir, &l, err, errlen) < 0) {
        file_list_free(&l);
        return -1;
    }
    FILE *f = fopen(tmp, "wx");
    if (!f) {
        snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        file_list_free(&l);
        return -1;
    }
    char created[40];
    time_t now = time(NULL);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    fprintf(f, "polis-backup 1\nversion %s\nmigration %d\ncreated %s\n", version, migration,
            created);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        char path[PATH_MAX], hex[65];
        snprintf(path, sizeof path, "%s/%s", dir, l.paths[i]);
        if ((rc = sha256_file(path, hex, err, errlen)) == 0)
            fprintf(f, "sha256 %s %s\n", hex, l.paths[i]);
    }
    file_list_free(&l);
    if (fflush(f) != 0 || fsync(fileno(f)) < 0) {
        if (rc == 0)
            snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        rc = -1;
    }
    if (fclose(f) != 0 && rc == 0) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && rename(tmp, final) < 0) {
        snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, final, strerror(errno));
        rc = -1;
    }
    if (rc < 0)
        unlink(tmp);
    return rc;
}

/* A line "KEY VALUE" of the header: copies VALUE into out. */
static int header_value(const char *line, const char *key, char *out, size_t outlen)
{
    size_t k = strlen(key);
    if (strncmp(line, key, k) || line[k] != ' ')
        return 0;
    snprintf(out, outlen, "%.*s", (int)strcspn(line + k + 1, "\n"), line + k + 1);
    return 1;
}

int backup_manifest_verify(const char *dir, FILE *log, char *version, size_t versionlen,
                           int *migration, char *created, size_t createdlen, char *err,
                           size_t errlen)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, BACKUP_MANIFEST);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: no %s (%s): not a polis backup, or an interrupted one", dir,
                 BACKUP_MANIFEST, strerror(errno));
        return -1;
    }
    struct file_list present = {0};
    if (backup_files(dir, &present, err, errlen) < 0) {
        fclose(f);
        file_list_free(&present);
        return -1;
    }
    /* marks which present files the manifest lists */
    char *listed = calloc(present.n + 1, 1);
    char line[PATH_MAX + 128], mig[32] = "";
    int rc = 0, lineno = 0;
    if (!listed) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        char hex[65], want[65], *name;
        if (lineno == 1) {
            if (strcmp(line, "polis-backup 1")) {
                snprintf(err, errlen, "%s: expected \"polis-backup 1\" on line 1, found \"%.80s\"",
                         path, line);
                rc = -1;
            }
        } else if (header_value(line, "version", version, versionlen) ||
                   header_value(line, "migration", mig, sizeof mig) ||
                   header_value(line, "created", created, createdlen)) {
            continue;
        } else if (strncmp(line, "sha256 ", 7) || strlen(line) < 7 + 64 + 2 ||
                   line[7 + 64] != ' ') {
            snprintf(err, errlen, "%s line %d: expected \"sha256 HEX PATH\", found \"%.80s\"",
                     path, lineno, line);
            rc = -1;
        } else {
            snprintf(want, sizeof want, "%.64s", line + 7);
            name = line + 7 + 64 + 1;
            void *hit = bsearch(&name, present.paths, present.n, sizeof *present.paths, by_path);
            char file[2 * PATH_MAX + 256]; /* dir + a line of the manifest */
            snprintf(file, sizeof file, "%s/%s", dir, name);
            if (!hit) {
                snprintf(err, errlen, "%s: listed in the manifest, missing from the backup", file);
                rc = -1;
            } else if (sha256_file(file, hex, err, errlen) < 0) {
                rc = -1;
            } else if (strcmp(hex, want)) {
                snprintf(err, errlen, "%s: its sha256 is %s, the manifest says %s: the file was "
                         "changed or damaged", file, hex, want);
                rc = -1;
            } else {
                listed[(char **)hit - present.paths] = 1;
                if (log)
                    fprintf(log, "polis restore: checked %s\n", name);
            }
        }
    }
    for (size_t i = 0; rc == 0 && i < present.n; i++)
        if (!listed[i]) {
            snprintf(err, errlen, "%s/%s: in the backup but not in its manifest", dir,
                     present.paths[i]);
            rc = -1;
        }
    if (rc == 0 && (!mig[0] || !version[0])) {
        snprintf(err, errlen, "%s: no version or migration line", path);
        rc = -1;
    }
    *migration = atoi(mig);
    free(listed);
    file_list_free(&present);
    fclose(f);
    return rc;
}

/* ---- running pg_dump / pg_restore ---- */

int backup_run(const char *const *argv, const char *out_path, char *err, size_t errlen)
{
    int out = -1;
    if (out_path && (out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
        snprintf(err, errlen, "cannot create %s: %s", out_path, strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        if (out >= 0)
            close(out);
        return -1;
    }
    if (pid == 0) {
        if (out >= 0)
            dup2(out, 1);
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    if (out >= 0)
        close(out);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            snprintf(err, errlen, "waitpid: %s", strerror(errno));
            return -1;
        }
    if (!WIFEXITED(st)) {
        snprintf(err, errlen, "%s was killed by signal %d", argv[0], WTERMSIG(st));
        return -1;
    }
    if (WEXITSTATUS(st) == 127)
        snprintf(err, errlen, "cannot run %s (is it installed? postgresql-client-15)", argv[0]);
    else if (WEXITSTATUS(st))
        snprintf(err, errlen, "%s failed with exit status %d (its messages are above)", argv[0],
                 WEXITSTATUS(st));
    return WEXITSTATUS(st);
}
