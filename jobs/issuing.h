/* What issuing documents from the server needs (issue 17): the signer,
 * loaded once at start from POLIS_SIGNING_KEY and POLIS_SIGNING_CERT (or
 * absent: then nothing can be issued and the server still serves), the
 * issuer's settings (services/answer_document.h), and a small set of
 * blocking database connections for the threads that issue.
 *
 * Connections: a set shared by the offload threads, opened lazily and
 * kept, at most as many as offload threads. Not one per thread held for
 * ever: the offload pool also hashes passwords, and an approval is rare,
 * so most threads never need one; and not the worker's asynchronous pool,
 * whose connections belong to an event loop and cannot wait in a
 * transaction while a document is rendered. */
#ifndef POLIS_ISSUING_H
#define POLIS_ISSUING_H

#include "http/config.h"
#include "services/answer_document.h"

#include <libpq-fe.h>

struct issuing;

/* Loads the signer when the configuration names one. Returns the state (never
 * NULL unless out of memory), with err set and no signer when loading
 * failed: the caller says why and serves on. It lives as long as the
 * process (the receipts job's detached thread uses it until exit). */
struct issuing *issuing_open(const struct polis_config *cfg, char *err, size_t errlen);

/* The issuer, or NULL when no signer is loaded ("signing is not configured"). */
const struct answer_issuer *issuing_issuer(const struct issuing *is);

/* POLIS_VAR/documents: where issued documents are kept, signer or not (an
 * answer staff upload is kept as sent). */
const char *issuing_documents_dir(const struct issuing *is);

/* A blocking connection for this thread's use, or NULL with libpq's reason
 * in err; give it back with issuing_release (which closes a broken one or
 * one left inside a transaction). */
PGconn *issuing_acquire(struct issuing *is, char *err, size_t errlen);
void issuing_release(struct issuing *is, PGconn *db);

#endif
