#include "jobs/issuing.h"

#include "gis/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IDLE_MAX 8 /* connections kept between uses; more are closed after use */

struct issuing {
    struct pdf_signer signer;
    int has_signer;
    struct answer_issuer issuer;
    char documents_dir[4096];
    const char *conninfo;
    pthread_mutex_t lock;
    PGconn *idle[IDLE_MAX];
    int nidle;
};

struct issuing *issuing_open(const struct polis_config *cfg, char *err, size_t errlen)
{
    struct issuing *is = calloc(1, sizeof *is);
    if (!is)
        return NULL;
    pthread_mutex_init(&is->lock, NULL);
    is->conninfo = cfg->database_url;
    snprintf(is->documents_dir, sizeof is->documents_dir, "%s/documents", cfg->var_dir);
    is->issuer = (struct answer_issuer){.documents_dir = is->documents_dir,
                                        .public_url = cfg->public_url,
                                        .logo_png = cfg->letterhead_logo};
    err[0] = '\0';
    if (*cfg->signing_key &&
        pdf_signer_load(&is->signer, cfg->signing_key, cfg->signing_cert, err, errlen) == 0) {
        is->has_signer = 1;
        is->issuer.signer = &is->signer;
    }
    return is;
}

const struct answer_issuer *issuing_issuer(const struct issuing *is)
{
    return is && is->has_signer ? &is->issuer : NULL;
}

const char *issuing_documents_dir(const struct issuing *is)
{
    return is->documents_dir;
}

PGconn *issuing_acquire(struct issuing *is, char *err, size_t errlen)
{
    PGconn *db = NULL;
    pthread_mutex_lock(&is->lock);
    if (is->nidle)
        db = is->idle[--is->nidle];
    pthread_mutex_unlock(&is->lock);
    if (db && PQstatus(db) != CONNECTION_OK) {
        PQfinish(db);
        db = NULL;
    }
    return db ? db : db_connect(is->conninfo, err, errlen);
}

void issuing_release(struct issuing *is, PGconn *db)
{
    if (!db)
        return;
    if (PQstatus(db) != CONNECTION_OK || PQtransactionStatus(db) != PQTRANS_IDLE) {
        PQfinish(db);
        return;
    }
    pthread_mutex_lock(&is->lock);
    if (is->nidle < IDLE_MAX) {
        is->idle[is->nidle++] = db;
        db = NULL;
    }
    pthread_mutex_unlock(&is->lock);
    if (db)
        PQfinish(db);
}
