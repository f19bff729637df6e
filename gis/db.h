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

/* Runs a query that returns one value; copies it (or "" for NULL / no row)
 * into out. Returns 0, or -1 with the error in err. */
int db_query_value(PGconn *db, const char *sql, int nparams, const char *const *params,
                   char *out, size_t outlen, char *err, size_t errlen);

/* Ends a COPY FROM STDIN: cleanly when failed is 0 (then any error of the
 * COPY is written to err and -1 returned), or aborting it after the caller
 * failed (err is left as the caller wrote it). Returns 0 or -1. */
int db_copy_end(PGconn *db, int failed, char *err, size_t errlen);

/* Copies a PGresult's error (primary message and detail) into err. */
void db_result_error(const PGresult *res, char *err, size_t errlen);

#endif
