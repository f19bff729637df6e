/* An uploaded layer's import, as a background job (POST /api/v1/layers,
 * api/jobs.c): the request creates the jobs row and answers 202; the
 * import runs here, on the server's import threads (app->imports), never on
 * an event loop. Each job
 *
 *   writes the upload to $POLIS_VAR/uploads/<id>/<file name>, mode 0600 (on
 *      the general offload pool: a queued import holds a path, not the bytes)
 *   -> marks the job running (runner_pid: its connection's backend)
 *   -> runs layer_import in a child process (`polis import-job run`, with
 *      memory, CPU and file-size limits: jobs/import_child.h), which
 *      writes progress to the job row every 1000 features and reports its
 *      result on a pipe; this thread supervises it (waitpid): a child that
 *      crashes or passes a limit fails the job with how it ended
 *   -> records succeeded + the summary, or failed + the error (naming the
 *      file, the layer and the feature; never the server's directories)
 *   -> deletes the upload.
 * On shutdown a running import stops at its next progress point and queued
 * ones fail at once: each ends `failed`, saying so. */
#ifndef POLIS_IMPORT_JOB_H
#define POLIS_IMPORT_JOB_H

#include "gis/layer_import.h"
#include "http/offload.h"

#include <stddef.h>

#define IMPORT_QUEUE_MAX 64 /* imports waiting for a thread; beyond, a job fails at once */

struct polis_ctx;

struct import_job {
    struct offload_job job; /* first */
    struct polis_ctx *app;
    long id;                /* jobs.id */
    char *data;             /* the uploaded file (owned; freed once written) */
    size_t len;
    char file_name[128];    /* sanitised (upload_file_name) */
    char layer[64];
    char title_el[256], title_en[256]; /* "" when not given */
    char srs[64], encoding[32], visibility[16];
    char x_column[256], y_column[256]; /* a CSV's coordinate columns; "" when not given */
    enum layer_import_mode mode;
    /* set by import_job_submit and its steps */
    h2o_multithread_receiver_t *reply_to;
    char save_err[512];     /* the upload could not be written: the job fails with this */
    int queue_full;         /* the import queue refused it: the job fails saying so */
};

/* 1 when the upload is of a format an import refuses (a VRT, a WFS
 * description, ...), with why naming it and what is accepted: checked by
 * GDAL in a child process (`polis import-job check`, with the same limits),
 * never by the server. Blocks: call it on an offload thread. 0 when it is
 * accepted, of no known format, or the check could not run (the import
 * checks it again). */
int import_job_refused(struct polis_ctx *app, const char *file_name, const char *data, size_t len,
                       char *why, size_t whylen);

/* A job with a copy of the file's bytes; the rest the caller fills. */
struct import_job *import_job_new(struct polis_ctx *app, long id, const char *data, size_t len);
void import_job_free(struct import_job *ij);

/* Writes the upload to disk on the general offload pool (app->offload), then
 * queues the import on app->imports (when that queue is full the job fails,
 * saying so); the steps' done callbacks (the last frees the job) come back
 * to reply_to's loop. Returns 0, or -1 when the offload pool refuses it (the
 * caller still owns the job). */
int import_job_submit(struct import_job *ij, h2o_multithread_receiver_t *reply_to);

/* At start-up (blocking; before the workers run): fails the jobs a crashed
 * server left running (their connection is gone) or queued (their server,
 * on this host, is gone), and removes what is left in $POLIS_VAR/uploads of
 * jobs that are not queued or running. Logs and goes on when the database is
 * away. */
void import_jobs_reap_at_start(struct polis_ctx *app);
/* (also called at shutdown, after the pools: it then fails this process's
 * jobs that will not run now, since "our pid" counts as gone) */

/* A safe file name from the name a client sent: its last path component,
 * transliterated (ELOT 743), only [A-Za-z0-9._-], no leading '.', the
 * extension kept, at most outlen - 1 (and 100) bytes; "upload" when
 * nothing is left. */
void upload_file_name(const char *in, char *out, size_t outlen);

/* "host:pid" of this server process (for jobs.server). */
void import_job_server_label(char *out, size_t outlen);

#endif
