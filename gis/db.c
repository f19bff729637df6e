#include "gis/db.h"

#include "notify/change_wake.h"

#include <stdio.h>
#include <string.h>

static void ignore_notice(void *arg, const char *message);

PGconn *db_connect(const char *conninfo, char *err, size_t errlen)
{
    PGconn *db = PQconnectdb(conninfo ? conninfo : "");
    if (PQstatus(db) != CONNECTION_OK) {
        snprintf(err, errlen, "cannot connect to the database: %s", PQerrorMessage(db));
        /* libpq messages end with a newline; the caller prints its own */
        size_t n = strlen(err);
        while (n > 0 && (err[n - 1] == '\n' || err[n - 1] == ' '))
            err[--n] = '\0';
        PQfinish(db);
        return NULL;
    }
    /* notices (e.g. "extension already exists") are noise for a CLI */
    PQsetNoticeProcessor(db, ignore_notice, NULL);
    return db;
}

void db_result_error(const PGresult *res, char *err, size_t errlen)
{
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    if (!msg)
        msg = res ? PQresultErrorMessage(res) : "no result";
    if (detail)
        snprintf(err, errlen, "%s (%s)", msg, detail);
    else
        snprintf(err, errlen, "%s", msg);
}

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static PGresult *run(PGconn *db, const char *sql, int nparams, const char *const *params)
{
    if (nparams == 0 && !params)
        return PQexec(db, sql);
    return PQexecParams(db, sql, nparams, NULL, params, NULL, NULL, 0);
}

int db_result_check(PGresult *res, ExecStatusType want, char *err, size_t errlen)
{
    int ok = PQresultStatus(res) == want;
    if (!ok)
        db_result_error(res, err, errlen);
    PQclear(res);
    return ok ? 0 : -1;
}

PGresult *db_query(PGconn *db, const char *sql, int nparams, const char *const *params,
                   char *err, size_t errlen)
{
    PGresult *res = run(db, sql, nparams, params);
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
        return res;
    db_result_error(res, err, errlen);
    PQclear(res);
    return NULL;
}

int db_exec(PGconn *db, const char *sql, int nparams, const char *const *params, char *err,
            size_t errlen)
{
    PGresult *res = db_query(db, sql, nparams, params, err, errlen);
    PQclear(res);
    return res ? 0 : -1;
}

int db_query_value(PGconn *db, const char *sql, int nparams, const char *const *params, char *out,
                   size_t outlen, char *err, size_t errlen)
{
    PGresult *res = db_query(db, sql, nparams, params, err, errlen);
    if (!res)
        return -1;
    const char *v = PQntuples(res) > 0 && !PQgetisnull(res, 0, DB_VALUE)
                        ? PQgetvalue(res, 0, DB_VALUE)
                        : "";
    snprintf(out, outlen, "%s", v);
    PQclear(res);
    return 0;
}

int db_transaction(PGconn *db, db_step_fn step, void *arg, char *err, size_t errlen)
{
    char e2[1024];
    if (db_exec(db, "BEGIN", 0, NULL, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "cannot begin a transaction: %s", e2);
        return -1;
    }
    if (step(db, arg, err, errlen) < 0) {
        db_exec(db, "ROLLBACK", 0, NULL, e2, sizeof e2);
        return -1;
    }
    if (db_exec(db, "COMMIT", 0, NULL, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "commit failed: %s", e2);
        return -1;
    }
    /* committed: wake the listening servers (a failed wake only delays them) */
    change_wake_blocking(db, e2, sizeof e2);
    return 0;
}

int db_stage_copy_begin(PGconn *db, const char *create_sql, const char *copy_sql, char *err,
                        size_t errlen)
{
    char e2[512];
    if (db_exec(db, create_sql, 0, NULL, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "cannot create the staging table: %s", e2);
        return -1;
    }
    if (db_result_check(PQexec(db, copy_sql), PGRES_COPY_IN, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "cannot start COPY: %s", e2);
        return -1;
    }
    return 0;
}

int db_copy_end(PGconn *db, int failed, char *err, size_t errlen)
{
    if (PQputCopyEnd(db, failed ? "import aborted" : NULL) != 1) {
        if (!failed)
            snprintf(err, errlen, "COPY could not be ended: %s", PQerrorMessage(db));
        return -1;
    }
    int rc = failed ? -1 : 0;
    PGresult *res;
    while ((res = PQgetResult(db)) != NULL) {
        if (!failed && PQresultStatus(res) != PGRES_COMMAND_OK) {
            db_result_error(res, err, errlen);
            rc = -1;
        }
        PQclear(res);
    }
    return rc;
}
