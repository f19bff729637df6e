#include "gis/migrate.h"

#include "gis/db.h"
#include "gis/embedded_sql.h"

#include <stdlib.h>
#include <string.h>

/* Any constant works, as long as every polis process uses the same one. */
#define MIGRATE_LOCK_KEY "7061796c6973"

const char MIGRATE_APPLIED_VERSION_SQL[] =
    "SELECT count(*) FILTER (WHERE version = ANY($1::int[])), coalesce(max(version), 0)"
    " FROM schema_migrations";


static int version_of(const char *name)
{
    return atoi(name); /* "001_core.sql" -> 1 */
}

int migrate_latest_version(void)
{
    int latest = 0;
    for (int i = 0; polis_migrations[i].name; i++)
        if (version_of(polis_migrations[i].name) > latest)
            latest = version_of(polis_migrations[i].name);
    return latest;
}

/* The file and its schema_migrations row (a db_step_fn on the migration). */
static int apply_step(PGconn *db, void *arg, char *err, size_t errlen)
{
    const struct embedded_sql *m = arg;
    char version[16];
    snprintf(version, sizeof version, "%d", version_of(m->name));
    const char *params[] = {version, m->name};
    return db_exec(db, m->text, 0, NULL, err, errlen) ||
                   db_exec(db, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", 2,
                           params, err, errlen)
               ? -1
               : 0;
}

static int apply_one(PGconn *db, const struct embedded_sql *m, char *err, size_t errlen)
{
    char msg[1024];
    if (db_transaction(db, apply_step, (void *)m, msg, sizeof msg) < 0) {
        snprintf(err, errlen, "sql/%s: %s", m->name, msg);
        return -1;
    }
    return 0;
}

int migrate_run(PGconn *db, FILE *log, char *err, size_t errlen)
{
    char msg[1024];
    if (db_exec(db, "SELECT pg_advisory_lock(x'" MIGRATE_LOCK_KEY "'::bigint)", 0, NULL, msg,
                sizeof msg)) {
        snprintf(err, errlen, "cannot take the migration lock: %s", msg);
        return -1;
    }
    int applied = 0;
    if (db_exec(db,
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version integer PRIMARY KEY,"
                " name text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())",
                0, NULL, msg, sizeof msg)) {
        snprintf(err, errlen, "cannot create schema_migrations: %s", msg);
        applied = -1;
    }
    for (int i = 0; applied >= 0 && polis_migrations[i].name; i++) {
        const struct embedded_sql *m = &polis_migrations[i];
        char version[16], found[16];
        snprintf(version, sizeof version, "%d", version_of(m->name));
        const char *params[] = {version};
        if (db_query_value(db, "SELECT 1 FROM schema_migrations WHERE version = $1", 1, params,
                           found, sizeof found, msg, sizeof msg)) {
            snprintf(err, errlen, "cannot read schema_migrations: %s", msg);
            applied = -1;
        } else if (found[0] == '\0') {
            if (apply_one(db, m, err, errlen))
                applied = -1;
            else {
                applied++;
                if (log)
                    fprintf(log, "migrate: applied sql/%s\n", m->name);
            }
        }
    }
    db_exec(db, "SELECT pg_advisory_unlock(x'" MIGRATE_LOCK_KEY "'::bigint)", 0, NULL, msg,
            sizeof msg);
    return applied;
}

void migrate_versions_array(char *out, size_t outlen)
{
    size_t n = (size_t)snprintf(out, outlen, "{");
    for (int i = 0; polis_migrations[i].name && n < outlen; i++)
        n += (size_t)snprintf(out + n, outlen - n, "%s%d", i ? "," : "",
                              version_of(polis_migrations[i].name));
    if (n < outlen)
        snprintf(out + n, outlen - n, "}");
}
