/* polis backup DIR: the database (pg_dump, custom format, as the owner role)
 * and every stored-file directory, with a manifest of checksums (the layout:
 * cli/backup_set.h). `polis restore DIR` reads it back. */
#include "cli/backup_set.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "common/make_dirs.h"
#include "gis/db.h"
#include "http/config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polis backup DIR\n"
            "\n"
            "Writes a backup into DIR (made with mode 0700; it must not exist or be empty):\n"
            "  database.dump  pg_dump (custom format) of POLIS_DATABASE_OWNER_URL (else\n"
            "                 POLIS_DATABASE_URL)\n"
            "  files/         a copy of the stored files under $POLIS_VAR: photos,\n"
            "                 poi-photos, uploads, documents (signed answers),\n"
            "                 application-files (what applicants attached)\n"
            "  MANIFEST       the sha256 of every file, the polis version, the migration\n"
            "                 level and the time, written last\n"
            "The dump is one consistent snapshot; the files are copied after it, so every\n"
            "photo a dumped row names is there (a photo's file is written before its row).\n"
            "Progress goes to stderr. `polis restore DIR` puts it back.\n");
}

/* DIR must be new or empty: a backup never mixes with anything. */
static int make_backup_dir(const char *dir, char *err, size_t errlen)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "%s exists and is not a directory", dir);
            return -1;
        }
        if (backup_tree_has_files(dir)) {
            snprintf(err, errlen, "%s is not empty: give a new directory for each backup", dir);
            return -1;
        }
    }
    if (make_dirs(dir, 0700) < 0 || chmod(dir, 0700) < 0) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

/* The highest migration applied, from the database being dumped. */
static int migration_level(const char *conninfo, int *level, char *err, size_t errlen)
{
    PGconn *db = db_connect(conninfo, err, errlen);
    if (!db)
        return -1;
    char v[32];
    int rc = db_query_value(db, "SELECT coalesce(max(version), 0) FROM schema_migrations", 0,
                            NULL, v, sizeof v, err, errlen);
    PQfinish(db);
    if (rc == 0)
        *level = atoi(v);
    return rc;
}

int cmd_backup(int argc, char **argv)
{
    const char *cmd = "polis backup";
    const char *dir;
    struct polis_config cfg;
    int status = cli_dir_command(cmd, argc, argv, usage, &dir, &cfg);
    if (status >= 0)
        return status;
    char err[2048], path[PATH_MAX];
    int level = 0;
    if (migration_level(cfg.database_owner_url, &level, err, sizeof err) < 0 ||
        make_backup_dir(dir, err, sizeof err) < 0)
        return cli_failed(cmd, err);

    fprintf(stderr, "%s: dumping the database (migration level %d)...\n", cmd, level);
    snprintf(path, sizeof path, "%s/%s", dir, BACKUP_DUMP);
    const char *dump[] = {"pg_dump",   "--format=custom", "--file",
                          path,        "--dbname",        cfg.database_owner_url,
                          NULL};
    if (!cfg.database_owner_url[0])
        dump[4] = NULL; /* libpq's PG* variables name the database */
    if (backup_run(dump, NULL, err, sizeof err) != 0)
        return cli_failed(cmd, err);
    struct stat st;
    if (stat(path, &st) == 0)
        fprintf(stderr, "%s: %s: %lld bytes\n", cmd, BACKUP_DUMP, (long long)st.st_size);

    if (backup_copy_stored_dirs(cfg.var_dir, dir, 1, stderr, cmd, err, sizeof err) < 0)
        return cli_failed(cmd, err);

    fprintf(stderr, "%s: writing the manifest (sha256 of every file)...\n", cmd);
    if (backup_manifest_write(dir, POLIS_VERSION, level, err, sizeof err) < 0)
        return cli_failed(cmd, err);
    fprintf(stderr, "%s: done: %s\n", cmd, dir);
    return 0;
}
