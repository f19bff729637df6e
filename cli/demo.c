/* polis demo load | users: the demo municipality and its accounts. Imports the municipalities of
 * Greece (skipped when the same file was imported already), then runs the
 * embedded demo SQL files (sql/demo) for the served municipality in one transaction. */
#include "common/stopwatch.h"
#include "gis/boundary_import.h"
#include "gis/db.h"
#include "gis/embedded_sql.h"
#include "gis/event_refresh.h"
#include "gis/school_zones.h"
#include "cli/accounts.h"
#include "cli/commands.h"
#include "cli/cli.h"
#include "http/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#define DEMO_BOUNDARIES "kallikratis_dimoi_ellada_egsa87.zip"
#define DEMO_DOMAIN "demo.polis.example"
#define DEMO_ADMIN "admin@" DEMO_DOMAIN

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polis demo load [--data DIR]\n"
            "       polis demo users\n"
            "\n"
            "Loads the demo into the database in POLIS_DATABASE_URL (run polis migrate first):\n"
            "the %s municipalities of Greece from DIR/" DEMO_BOUNDARIES " (skipped when\n"
            "that file was imported already), then the demo data (departments, ...) of\n"
            "the municipality POLIS_MUNICIPALITY (a KWD_YPES code, default 9054 = Serres),\n"
            "and the provisional school zones of its demo schools (polis schools derive-zones).\n"
            "\n"
            "  --data DIR   data directory (default: $POLIS_DEMO_DATA, else ../shared/data)\n"
            "\n"
            "users creates the demo accounts, when they do not exist yet: " DEMO_ADMIN "\n"
            "and one staff user per department, staff.CODE@" DEMO_DOMAIN ", each with a\n"
            "generated password. It prints \"email password\" lines for the accounts it\n"
            "created (only those: a second run prints nothing).\n",
            "326");
}

/* Imports the boundaries unless this very file is already in. */
static int load_boundaries(PGconn *db, const char *path, char *err, size_t errlen)
{
    int current = 0;
    if (boundary_import_is_current(db, path, "municipality", &current, err, errlen) < 0)
        return -1;
    if (current) {
        fprintf(stderr, "polis demo: %s already imported (same size and time); skipping\n", path);
        return 0;
    }
    struct boundary_import_options o = {.path = path, .level = "municipality", .log = stderr};
    struct boundary_import_summary s;
    return boundary_import(db, &o, &s, err, errlen); /* o.log gets the summary */
}

/* Runs every demo SQL file, with polis.municipality set to arg (a
 * db_step_fn: run_demo_sql gives it its transaction). */
static int demo_sql_step(PGconn *db, void *arg, char *err, size_t errlen)
{
    char e2[1024];
    const char *p[] = {arg};
    if (db_exec(db, "SELECT set_config('polis.municipality', $1, true)", 1, p, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "cannot set polis.municipality: %s", e2);
        return -1;
    }
    for (int i = 0; polis_demo_sql[i].name; i++) {
        if (db_exec(db, polis_demo_sql[i].text, 0, NULL, e2, sizeof e2) < 0) {
            snprintf(err, errlen, "sql/demo/%s: %s", polis_demo_sql[i].name, e2);
            return -1;
        }
        fprintf(stderr, "polis demo: sql/demo/%s done\n", polis_demo_sql[i].name);
    }
    /* demo events come in as rows; their occurrences are expanded here, in
     * the same transaction, by the code the API uses (libical) */
    long events, occurrences;
    if (events_refresh(db, time(NULL), &events, &occurrences, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "expanding event occurrences: %s", e2);
        return -1;
    }
    fprintf(stderr, "polis demo: %ld events expanded into %ld occurrences\n", events, occurrences);
    return 0;
}

/* Runs every demo SQL file in one transaction, with polis.municipality set. */
static int run_demo_sql(PGconn *db, const char *muni, char *err, size_t errlen)
{
    return db_transaction(db, demo_sql_step, (void *)muni, err, errlen);
}

/* Derives the provisional school zones of the demo schools (sql/demo),
 * replacing those of an earlier load, so the zone lookup works on day one. */
static int demo_school_zones(PGconn *db, const char *muni, char *err, size_t errlen)
{
    struct school_zones_options o = {.municipality = muni, .log = stderr};
    struct school_zones_summary s;
    return school_zones_derive(db, &o, &s, err, errlen); /* o.log gets the summary */
}

/* Creates one demo account unless its email exists; prints "email password"
 * for a created one. Returns 0, or -1 after printing why. */
static int demo_user(PGconn *db, const char *email, const char *role, const char *code,
                     const char *muni)
{
    char err[1024], exists[8], password[64];
    const char *p[] = {email};
    if (db_query_value(db, "SELECT 1 FROM users WHERE email = $1", 1, p, exists, sizeof exists,
                       err, sizeof err) < 0) {
        fprintf(stderr, "polis demo users: %s\n", err);
        return -1;
    }
    if (exists[0])
        return 0;
    cli_password_generate(password, sizeof password);
    long id = 0;
    const char *codes[] = {code};
    int rc = cli_user_create(db, email, role, NULL, codes, code ? 1 : 0, muni, password, &id,
                             err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "polis demo users: %s: %s\n", email, err);
    else if (rc == 1)
        printf("%s %s\n", email, password);
    sodium_memzero(password, sizeof password);
    return rc < 0 ? -1 : 0;
}

/* $1 municipality code. Rows by code. */
static const char DEPARTMENT_CODES_SQL[] =
    "SELECT d.code FROM departments d JOIN boundaries b ON b.id = d.municipality_id"
    " WHERE b.level = 'municipality' AND b.code = $1 ORDER BY d.code";
enum department_codes_col {
    DEPARTMENT_CODES_CODE,
};

/* polis demo users: an admin and one staff user per department of the
 * served municipality, with generated passwords (never in the repository). */
static int demo_users(const char *muni)
{
    char err[1024];
    PGconn *db = cli_connect("polis demo users");
    if (!db)
        return 1;
    const char *p[] = {muni};
    PGresult *res = PQexecParams(db, DEPARTMENT_CODES_SQL, 1, NULL, p, NULL, NULL, 0);
    int rc = 1;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_result_error(res, err, sizeof err);
        fprintf(stderr, "polis demo users: %s\n", err);
    } else if (PQntuples(res) == 0) {
        fprintf(stderr, "polis demo users: municipality %s has no departments; run polis demo "
                        "load first\n", muni);
    } else {
        rc = demo_user(db, DEMO_ADMIN, "admin", NULL, muni) ? 1 : 0;
        for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
            char email[160];
            const char *code = PQgetvalue(res, i, DEPARTMENT_CODES_CODE);
            snprintf(email, sizeof email, "staff.%s@" DEMO_DOMAIN, code);
            rc = demo_user(db, email, "staff", code, muni) ? 1 : 0;
        }
    }
    PQclear(res);
    PQfinish(db);
    return rc;
}

int cmd_demo(int argc, char **argv)
{
    const char *dir = NULL;
    int load = 0;
    int users = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "load") && !load && !users) {
            load = 1;
        } else if (!strcmp(argv[i], "users") && !load && !users) {
            users = 1;
        } else if (!strcmp(argv[i], "--data") && i + 1 < argc && argv[i + 1][0]) {
            dir = argv[++i];
        } else if (!strncmp(argv[i], "--data=", 7) && argv[i][7]) {
            dir = argv[i] + 7;
        } else {
            fprintf(stderr, "polis demo: unexpected \"%s\"\n\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    struct polis_config cfg;
    if (cli_config("polis demo", &cfg))
        return 2;
    const char *muni = cfg.municipality;
    if (users && !dir)
        return demo_users(muni);
    if (!load) {
        usage(stderr);
        return 2;
    }
    if (!dir)
        dir = cfg.demo_data_dir;

    struct timespec t0 = stopwatch_start();
    char err[2048], path[4096], v[256];
    snprintf(path, sizeof path, "%s/%s", dir, DEMO_BOUNDARIES);
    PGconn *db = cli_connect("polis demo");
    if (!db)
        return 1;
    int rc = 1;
    if (db_query_value(db, "SELECT to_regclass('imports') IS NOT NULL"
                           " AND to_regclass('municipality_names_en') IS NOT NULL",
                       0, NULL, v, sizeof v, err, sizeof err) < 0) {
        fprintf(stderr, "polis demo: %s\n", err);
    } else if (strcmp(v, "t")) {
        fprintf(stderr, "polis demo: the database has no polis schema (tables imports, "
                "municipality_names_en missing); run polis migrate first\n");
    } else if (load_boundaries(db, path, err, sizeof err) < 0) {
        fprintf(stderr, "polis demo: %s\n", err);
    } else {
        const char *p[] = {muni};
        if (db_query_value(db, "SELECT name_el FROM boundaries WHERE level = 'municipality'"
                               " AND code = $1", 1, p, v, sizeof v, err, sizeof err) < 0) {
            fprintf(stderr, "polis demo: %s\n", err);
        } else if (!v[0]) {
            fprintf(stderr, "polis demo: POLIS_MUNICIPALITY=%s is not the code of any loaded "
                    "municipality (expected a KWD_YPES code such as 9054 for Serres)\n", muni);
        } else if (run_demo_sql(db, muni, err, sizeof err) < 0) {
            fprintf(stderr, "polis demo: %s\n", err);
        } else if (demo_school_zones(db, muni, err, sizeof err) < 0) {
            fprintf(stderr, "polis demo: school zones: %s\n", err);
        } else {
            fprintf(stderr, "polis demo: loaded for %s (%s) in %.1f s\n", v, muni,
                    stopwatch_seconds(&t0));
            rc = 0;
        }
    }
    PQfinish(db);
    return rc;
}
