/* polis restore DIR: a backup of `polis backup` (cli/backup_set.h) into an
 * empty database and empty stored-file directories. Everything is checked
 * first (every checksum of the manifest, the database empty, PostGIS there);
 * the database is restored in one transaction, then the files. */
#include "cli/backup_set.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "gis/db.h"
#include "gis/migrate.h"
#include "http/config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polis restore DIR\n"
            "\n"
            "Restores a backup made by `polis backup DIR` into the database of\n"
            "POLIS_DATABASE_OWNER_URL (else POLIS_DATABASE_URL) and the stored-file\n"
            "directories under $POLIS_VAR (photos, poi-photos, uploads, documents,\n"
            "application-files). First it checks\n"
            "every file of DIR against its MANIFEST: a file changed, missing or added is\n"
            "refused, named, and nothing is restored. The database must be empty (no\n"
            "table, no schema but public; PostGIS created by a superuser, README\n"
            "\"Database roles\") and the directories hold no file: restore never\n"
            "overwrites. The database is restored in one transaction, owned by the\n"
            "connecting role; the application role gets its rights from the default\n"
            "privileges. Exit status 0 when all was restored, 1 otherwise.\n");
}

/* The first table, view, sequence or schema of the database that no
 * extension brought (PostGIS's spatial_ref_sys is one it did); "" when
 * there is none. */
static const char FIRST_OBJECT_SQL[] =
    "SELECT n.nspname || '.' || c.relname FROM pg_class c"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
    "   AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'"
    "   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass"
    "                   AND d.objid = c.oid AND d.deptype = 'e')"
    " UNION ALL SELECT 'schema ' || nspname FROM pg_namespace"
    " WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\\_%'"
    " LIMIT 1";

/* Refuses a database that is not empty or lacks PostGIS. */
static int check_database(const char *conninfo, char *err, size_t errlen)
{
    PGconn *db = db_connect(conninfo, err, errlen);
    if (!db)
        return -1;
    char first[256], postgis[8];
    int rc = db_query_value(db, FIRST_OBJECT_SQL, 0, NULL, first, sizeof first, err, errlen);
    if (rc == 0)
        rc = db_query_value(db, "SELECT count(*) FROM pg_extension WHERE extname = 'postgis'", 0,
                            NULL, postgis, sizeof postgis, err, errlen);
    if (rc == 0 && first[0]) {
        snprintf(err, errlen, "the database %s is not empty (it has %s): restore into a new "
                 "empty database (README \"Backup and restore\")", PQdb(db), first);
        rc = -1;
    } else if (rc == 0 && strcmp(postgis, "1")) {
        snprintf(err, errlen, "the database %s has no PostGIS: a superuser must run "
                 "CREATE EXTENSION postgis in it first", PQdb(db));
        rc = -1;
    }
    PQfinish(db);
    return rc;
}

/* Refuses stored-file directories that already hold files. */
static int check_dirs(const char *var_dir, char *err, size_t errlen)
{
    for (int i = 0; backup_stored_dirs[i]; i++) {
        char d[PATH_MAX];
        snprintf(d, sizeof d, "%s/%s", var_dir, backup_stored_dirs[i]);
        if (backup_tree_has_files(d)) {
            snprintf(err, errlen, "%.1500s holds files already: restore into an empty POLIS_VAR", d);
            return -1;
        }
    }
    return 0;
}

/* pg_restore's table of contents without what belongs to the extensions
 * and only their owner (a superuser, for PostGIS) may write: their comments
 * and the rows of PostGIS's spatial_ref_sys that pg_dump saves (custom
 * systems; polis adds none, and the target's PostGIS has the standard ones).
 * Writes it to list_path. */
static int extension_only(const char *toc_line)
{
    return strstr(toc_line, " COMMENT - EXTENSION ") ||
           strstr(toc_line, " TABLE DATA public spatial_ref_sys ");
}

static int restore_list(const char *dump, const char *list_path, char *err, size_t errlen)
{
    char full[PATH_MAX + 8];
    snprintf(full, sizeof full, "%s.all", list_path);
    const char *toc[] = {"pg_restore", "--list", dump, NULL};
    if (backup_run(toc, full, err, errlen) != 0)
        return -1;
    FILE *in = fopen(full, "r"), *out = fopen(list_path, "w");
    int rc = in && out ? 0 : -1;
    if (rc < 0)
        snprintf(err, errlen, "cannot write %s: %s", list_path, strerror(errno));
    char line[4096];
    while (rc == 0 && fgets(line, sizeof line, in))
        if (!extension_only(line))
            fputs(line, out);
    if (in)
        fclose(in);
    if (out && fclose(out) != 0 && rc == 0) {
        snprintf(err, errlen, "cannot write %s: %s", list_path, strerror(errno));
        rc = -1;
    }
    unlink(full);
    return rc;
}

static int restore_database(const char *dir, const char *conninfo, char *err, size_t errlen)
{
    char dump[PATH_MAX], list[] = "/tmp/polis-restore-XXXXXX";
    snprintf(dump, sizeof dump, "%s/%s", dir, BACKUP_DUMP);
    int fd = mkstemp(list);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a temporary file: %s", strerror(errno));
        return -1;
    }
    close(fd);
    int rc = restore_list(dump, list, err, errlen);
    if (rc == 0) {
        const char *argv[] = {"pg_restore", "--no-owner",  "--no-acl", "--single-transaction",
                              "--use-list", list,          "--dbname", conninfo,
                              dump,         NULL};
        if (!conninfo[0]) { /* libpq's PG* variables name the database */
            argv[6] = dump;
            argv[7] = NULL;
        }
        rc = backup_run(argv, NULL, err, errlen) == 0 ? 0 : -1;
    }
    unlink(list);
    return rc;
}

int cmd_restore(int argc, char **argv)
{
    const char *cmd = "polis restore";
    const char *dir;
    struct polis_config cfg;
    int status = cli_dir_command(cmd, argc, argv, usage, &dir, &cfg);
    if (status >= 0)
        return status;
    char err[2048], version[64] = "", created[64] = "";
    int level = 0;
    fprintf(stderr, "%s: checking %s against its manifest...\n", cmd, dir);
    if (backup_manifest_verify(dir, stderr, version, sizeof version, &level, created,
                               sizeof created, err, sizeof err) < 0)
        return cli_failed(cmd, err);
    fprintf(stderr, "%s: a backup of %s by polis %s at migration level %d\n", cmd, created,
            version, level);
    if (level > migrate_latest_version()) {
        snprintf(err, sizeof err, "the backup is at migration level %d, this polis knows up to "
                 "%d: restore it with a newer polis", level, migrate_latest_version());
        return cli_failed(cmd, err);
    }
    if (check_database(cfg.database_owner_url, err, sizeof err) < 0 ||
        check_dirs(cfg.var_dir, err, sizeof err) < 0)
        return cli_failed(cmd, err);

    fprintf(stderr, "%s: restoring the database (one transaction)...\n", cmd);
    if (restore_database(dir, cfg.database_owner_url, err, sizeof err) < 0)
        return cli_failed(cmd, err);
    if (backup_copy_stored_dirs(cfg.var_dir, dir, 0, stderr, cmd, err, sizeof err) < 0)
        return cli_failed(cmd, err);
    fprintf(stderr, "%s: done; run `polis migrate` if this polis is newer than the backup\n",
            cmd);
    return 0;
}
