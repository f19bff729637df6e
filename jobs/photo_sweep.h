/* The sweep of orphaned stored files. A photo, a file attached to an
 * application or an issued document is written and fsynced before its row
 * is inserted (api/photo_store.h, api/application_files.c,
 * services/answer_document.h); a crash between the two, or a temporary
 * file left by a crash during the write, leaves a file no row points to.
 * The sweep removes, under $POLIS_VAR/photos/<report id>/,
 * $POLIS_VAR/poi-photos/<poi id>/, $POLIS_VAR/application-files/ and
 * $POLIS_VAR/documents/, every file without a row that is older than a
 * grace period (POLIS_PHOTO_SWEEP_GRACE_MINUTES): a younger one may be an
 * upload whose row is being inserted (or an approval whose transaction is
 * being committed) right now. A file with a row is never removed. Each
 * removal is logged. It runs when the server starts and as
 * `polis photos sweep`. */
#ifndef POLIS_PHOTO_SWEEP_H
#define POLIS_PHOTO_SWEEP_H

#include "http/config.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <time.h>

struct photo_sweep_counts {
    long kept;    /* files with a row, or younger than the grace period */
    long removed; /* orphans removed */
    long failed;  /* orphans that could not be removed (logged) */
};

/* Sweeps var_dir's folders of stored files with the blocking connection db: files
 * without a row whose last change is at least grace_s seconds before now
 * are removed, and each removal is written to log. Returns 0, or -1 with
 * the reason in err when the database could not be read (nothing is
 * removed from a folder whose rows were not read). */
int photo_sweep(PGconn *db, const char *var_dir, long grace_s, time_t now, FILE *log,
                struct photo_sweep_counts *counts, char *err, size_t errlen);

/* Runs photo_sweep once on a thread of its own with a connection of its
 * own, logging to stderr, so that the server starts without waiting. */
void photo_sweep_in_background(const struct polis_config *cfg);

#endif
