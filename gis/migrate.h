/* Schema migrations: the numbered sql/NNN_name.sql files compiled into the
 * binary, each applied once, in order, in its own transaction, and recorded
 * in schema_migrations. */
#ifndef POLIS_MIGRATE_H
#define POLIS_MIGRATE_H

#include <libpq-fe.h>
#include <stdio.h>

/* The version the code expects: the number of the last embedded migration. */
int migrate_latest_version(void);

/* Applies every pending migration. Concurrent callers (two `polis migrate`
 * at once, several servers starting) serialise on an advisory lock, so each
 * file runs exactly once. Writes one line per applied file to log.
 * Returns the number applied, or -1 with the file and error in err. */
int migrate_run(PGconn *db, FILE *log, char *err, size_t errlen);

/* SQL for /readyz: $1 is migrate_versions_array(); one row, or fails when the
 * table does not exist yet. Counting, not comparing the highest version,
 * catches a migration added below one already applied. */
extern const char MIGRATE_APPLIED_VERSION_SQL[];
enum migrate_applied_version_col {
    MIGRATE_APPLIED_COUNT,   /* how many of these versions are applied */
    MIGRATE_APPLIED_HIGHEST, /* the highest applied version (0: none) */
};

/* The versions compiled into this binary as a PostgreSQL array literal. */
void migrate_versions_array(char *out, size_t outlen);

#endif
