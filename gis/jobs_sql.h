/* SQL on background jobs (sql/010_jobs.sql): creating an import job with
 * its audit_log row in one statement, the import thread's updates, and the
 * reads (which fail a running job whose connection is gone, see
 * jobs_reap()). A job's JSON is built here, by PostgreSQL. */
#ifndef POLIS_JOBS_SQL_H
#define POLIS_JOBS_SQL_H

#include "common/audit_actor.h"

/* $1 layer name, $2 file name, $3 file bytes, $4 options jsonb, $5 server
 * (host:pid), $6..$9 the actor (api/actor.h: user id, key id, label,
 * client ip). One row. */
extern const char JOB_CREATE_SQL[];
enum job_create_param {
    JOB_CREATE_P_LAYER,
    JOB_CREATE_P_FILE_NAME,
    JOB_CREATE_P_BYTES,
    JOB_CREATE_P_OPTIONS,
    JOB_CREATE_P_SERVER,
    JOB_CREATE_P_ACTOR, /* 4 slots, as actor_args fills them */
    JOB_CREATE_NPARAMS = JOB_CREATE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum job_create_col {
    JOB_CREATE_ID,
    JOB_CREATE_JOB, /* job json */
};

/* $1 id, $2 why (the error becomes "<file name>: why"): a queued job that
 * will not run (the import queue was full, the server stopped). */
extern const char JOB_FAIL_QUEUED_SQL[];

/* $1 id. Marks the job running on this connection (runner_pid). One row
 * (the id) when it was queued, none otherwise. */
extern const char JOB_START_SQL[];

/* $1 id, $2 read, $3 written, $4 total|NULL. */
extern const char JOB_PROGRESS_SQL[];
enum job_progress_param {
    JOB_PROGRESS_P_ID,
    JOB_PROGRESS_P_READ,
    JOB_PROGRESS_P_WRITTEN,
    JOB_PROGRESS_P_TOTAL,
    JOB_PROGRESS_NPARAMS
};

/* $1 id, $2 'succeeded'|'failed', $3 result jsonb, $4 read, $5 written,
 * $6 total|NULL. */
extern const char JOB_FINISH_SQL[];
enum job_finish_param {
    JOB_FINISH_P_ID,
    JOB_FINISH_P_STATUS,
    JOB_FINISH_P_RESULT,
    JOB_FINISH_P_READ,
    JOB_FINISH_P_WRITTEN,
    JOB_FINISH_P_TOTAL,
    JOB_FINISH_NPARAMS
};

/* $1 id, $2 user id, $3 admin (boolean). One row when the job exists and
 * is the user's (or the caller is an admin), none otherwise. */
extern const char JOB_GET_SQL[];
enum job_get_col {
    JOB_GET_JOB, /* job json */
};

/* $1 after id (0: from the newest), $2 limit, $3 user id, $4 admin: rows,
 * newest first; an admin sees every job, others their own. */
extern const char JOB_PAGE_SQL[];
enum job_page_param {
    JOB_PAGE_P_AFTER,
    JOB_PAGE_P_LIMIT,
    JOB_PAGE_P_USER,
    JOB_PAGE_P_ADMIN,
    JOB_PAGE_NPARAMS
};
enum job_page_col {
    JOB_PAGE_ID,
    JOB_PAGE_JOB, /* job json */
};

/* Fails every running job whose connection is gone. One row: how many. */
extern const char JOB_REAP_SQL[];
enum job_reap_col {
    JOB_REAP_COUNT,
};

/* Rows of (id, server) of the queued jobs. */
extern const char JOB_QUEUED_SQL[];
enum job_queued_col {
    JOB_QUEUED_ID,
    JOB_QUEUED_SERVER, /* host:pid */
};

/* $1 id: one row when the job is queued or running. */
extern const char JOB_LIVE_SQL[];

#endif
