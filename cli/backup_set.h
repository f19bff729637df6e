/* A backup directory as `polis backup` writes it and `polis restore` reads
 * it:
 *   database.dump   pg_dump custom format of the database (as the owner role)
 *   files/NAME/...  a copy of each stored-file directory $POLIS_VAR/NAME
 *                   (backup_stored_dirs)
 *   MANIFEST        "polis-backup 1", then "version", "migration" and
 *                   "created" lines, then one "sha256 HEX PATH" line for
 *                   every other file of the directory (PATH relative to it)
 * The manifest is written last: a directory without one is an interrupted
 * backup. */
#ifndef POLIS_BACKUP_SET_H
#define POLIS_BACKUP_SET_H

#include <stddef.h>
#include <stdio.h>

#define BACKUP_DUMP "database.dump"
#define BACKUP_FILES "files"
#define BACKUP_MANIFEST "MANIFEST"

/* The directories under $POLIS_VAR that hold what users stored (report and
 * POI photos, uploaded layers waiting for their import job), NULL-terminated.
 * $POLIS_VAR/pg (the private cluster) is not among them: the dump is. */
extern const char *const backup_stored_dirs[];

/* Copies the tree src into dst (made with mode 0700; regular files keep
 * their mode, fsync'd), adding to *files and *bytes. Returns 0, or -1 with
 * err naming the file. */
int backup_copy_tree(const char *src, const char *dst, long *files, long long *bytes, char *err,
                     size_t errlen);

/* Copies every stored-file directory (backup_stored_dirs) between var_dir
 * ($POLIS_VAR) and DIR/files: into the backup when into_backup is 1 (polis
 * backup), back out of it when 0 (polis restore). After each directory
 * tells on log "cmd: PATH: N files, B bytes", PATH the one under var_dir.
 * Returns 0, or -1 with err naming the file. */
int backup_copy_stored_dirs(const char *var_dir, const char *dir, int into_backup, FILE *log,
                            const char *cmd, char *err, size_t errlen);

/* 1 when dir holds at least one regular file (at any depth), 0 when it
 * holds none or does not exist. */
int backup_tree_has_files(const char *dir);

/* Writes DIR/MANIFEST: the header lines, then the sha256 of every file
 * under dir (sorted by path). Returns 0, or -1 with err. */
int backup_manifest_write(const char *dir, const char *version, int migration, char *err,
                          size_t errlen);

/* Checks every file of dir against DIR/MANIFEST: a file listed and missing,
 * changed (its sha256) or present and not listed is refused, named in err.
 * On success fills version/migration/created from the header. Progress on
 * log. Returns 0, or -1 with err. */
int backup_manifest_verify(const char *dir, FILE *log, char *version, size_t versionlen,
                           int *migration, char *created, size_t createdlen, char *err,
                           size_t errlen);

/* Runs argv (argv[0] found on PATH) with stdout to the file out_path when
 * not NULL, stderr inherited; returns its exit status, or -1 with err when
 * it could not run or was killed. */
int backup_run(const char *const *argv, const char *out_path, char *err, size_t errlen);

#endif
