/* Blocking libpq helpers for the command-line tools (migrate, import, demo).
 * The HTTP server never uses these on an event loop: see http/db_pool.h. */
#ifndef POLIS_DB_H
#define POLIS_DB_H

#include <libpq-fe.h>
#include <stddef.h>

/* Connects with a conninfo string or URI ("" means libpq's PG* environment).
 * On failure returns NULL and writes libpq's reason into err. */
PGconn *db_connect(const char *conninfo, char *err, size_t errlen);

/* Runs one statement (or a script of several when nparams is 0) and checks
 * it succeeded. Returns 0, or -1 with the server's message in err. */
int db_exec(PGconn *db, const char *sql, int nparams, const char *const *params,
            char *err, size_t errlen);

/* Runs a statement as db_exec does and returns its result, rows or a
 * command's status (the caller PQclears it), or NULL with the server's
 * message in err. */
PGresult *db_query(PGconn *db, const char *sql, int nparams, const char *const *params,
                   char *err, size_t errlen);

/* Checks that res has the status want (e.g. PGRES_COPY_IN after a COPY,
 * PGRES_COMMAND_OK after a PQprepare) and clears it. Returns 0, or -1 with
 * its error in err. */
int db_result_check(PGresult *res, ExecStatusType want, char *err, size_t errlen);

/* Runs a query that returns one value (column DB_VALUE); copies it (or ""
 * for NULL / no row) into out. Returns 0, or -1 with the error in err. */
enum db_value_col {
    DB_VALUE,
};
int db_query_value(PGconn *db, const char *sql, int nparams, const char *const *params,
                   char *out, size_t outlen, char *err, size_t errlen);

/* One step of work run inside a transaction: returns 0, or -1 with err set. */
typedef int (*db_step_fn)(PGconn *db, void *arg, char *err, size_t errlen);

/* BEGIN, step, then COMMIT, or ROLLBACK when the step fails. Returns 0, or
 * -1 with err set: the step's error, "cannot begin a transaction: ..." or
 * "commit failed: ..." (deferred constraints are checked at COMMIT). The
 * importers run through this, so a failure anywhere changes nothing. */
int db_transaction(PGconn *db, db_step_fn step, void *arg, char *err, size_t errlen);

/* Creates an importer's staging table (create_sql) and starts COPY FROM
 * STDIN into it (copy_sql); the caller then sends the rows and ends with
 * db_copy_end. Returns 0, or -1 with err "cannot create the staging table:
 * ..." or "cannot start COPY: ...". */
int db_stage_copy_begin(PGconn *db, const char *create_sql, const char *copy_sql, char *err,
                        size_t errlen);

/* Ends a COPY FROM STDIN: cleanly when failed is 0 (then any error of the
 * COPY is written to err and -1 returned), or aborting it after the caller
 * failed (err is left as the caller wrote it). Returns 0 or -1. */
int db_copy_end(PGconn *db, int failed, char *err, size_t errlen);

/* Copies a PGresult's error (primary message and detail) into err. */
void db_result_error(const PGresult *res, char *err, size_t errlen);

#endif
