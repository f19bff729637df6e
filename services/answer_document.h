/* Issuing an answer document (issue 17): a new verification code, the PDF
 * rendered (services/answer_pdf.h) and signed (services/pdf_sign.h), the
 * signed file stored under the documents directory (a temporary name,
 * fsync, rename, fsync of the directory) and its row in issued_documents
 * (services/issued_documents_sql.h), which makes it verifiable at
 * POLIS_PUBLIC_URL/verify/{code}.
 *
 * Rendering and signing take tens of milliseconds: call this off the event
 * loop (an offload thread, a job, the CLI). A caller that writes the row on
 * its own connection (in the transaction that approves an application, say)
 * uses answer_document_make and runs ISSUED_DOCUMENT_INSERT_SQL with
 * answer_document_insert_args; when that transaction fails it removes the
 * file with answer_document_discard. */
#ifndef POLIS_ANSWER_DOCUMENT_H
#define POLIS_ANSWER_DOCUMENT_H

#include "services/answer_pdf.h"
#include "services/issued_documents_sql.h"
#include "services/pdf_sign.h"
#include "services/verification_code.h"

#include <libpq-fe.h>
#include <limits.h>
#include <stddef.h>

/* What every document of a server shares. */
struct answer_issuer {
    const struct pdf_signer *signer; /* POLIS_SIGNING_KEY and POLIS_SIGNING_CERT, loaded */
    const char *documents_dir;       /* POLIS_VAR/documents */
    const char *public_url;          /* POLIS_PUBLIC_URL (the QR code's address) */
    const char *logo_png;            /* POLIS_LETTERHEAD_LOGO, "" for none */
};

/* One document to issue. pdf holds what it says (the municipality's names
 * from its boundaries row, the title, the protocol number and date of its
 * outgoing protocol entry, the addressee, the paragraphs); its code,
 * verify_url and logo_png are filled in here. */
struct answer_document {
    const char *kind;       /* "answer" or "receipt" */
    long protocol_entry_id; /* the entry whose number pdf.protocol_number is */
    long application_id;    /* the application it answers, 0 for none */
    struct answer_pdf pdf;
};

/* What was issued. */
struct answer_issued {
    long id;                                /* issued_documents.id (answer_document_issue) */
    char code[VERIFICATION_CODE_LEN + 1];
    char sha256[65];                        /* hex, of the signed file */
    size_t bytes;
    char file_name[VERIFICATION_CODE_LEN + 8]; /* {code}.pdf */
    char path[PATH_MAX];                    /* documents_dir/file_name */
};

/* Renders, signs and stores doc. Returns 0, or -1 after writing why into
 * err (no public URL or signer configured, a rendering or signing failure,
 * the file could not be written); nothing is left behind then. */
int answer_document_make(const struct answer_issuer *is, struct answer_document *doc,
                         struct answer_issued *out, char *err, size_t errlen);

/* The parameters of ISSUED_DOCUMENT_INSERT_SQL for a made document; the
 * strings point into doc and out, the numbers are written into nums (the
 * protocol entry, the application, the bytes). */
void answer_document_insert_args(const struct answer_document *doc,
                                 const struct answer_issued *out, char nums[3][24],
                                 const char *args[ISSUED_DOCUMENT_INSERT_NPARAMS]);

/* Keeps len bytes that are already a finished PDF (an answer staff
 * uploaded: never rewritten, it may carry its own signature) the way a made
 * document is kept: out->code (a new one when empty), sha256, bytes,
 * file_name {code}.pdf and the file under dir (temporary name, fsync,
 * rename, fsync of the directory). Returns 0, or -1 with err (nothing left). */
int answer_document_keep(const char *dir, const void *data, size_t len,
                         struct answer_issued *out, char *err, size_t errlen);

/* The row of a kept document (ISSUED_DOCUMENT_INSERT_SQL) on db, inside the
 * caller's transaction if one is open; out->id set. On failure the file is
 * removed and -1 returned with the reason in err. */
int answer_document_record(PGconn *db, const struct answer_document *doc,
                           struct answer_issued *out, char *err, size_t errlen);

/* Removes the stored file of a made document whose row was not written. */
void answer_document_discard(const struct answer_issued *out);

/* answer_document_make, then its row on db (blocking libpq; inside the
 * caller's transaction if one is open); returns the code in out->code.
 * When the row cannot be written (the protocol entry does not exist or has
 * another number, a database error) the file is removed and -1 returned
 * with the reason in err. */
int answer_document_issue(PGconn *db, const struct answer_issuer *is,
                          struct answer_document *doc, struct answer_issued *out, char *err,
                          size_t errlen);

#endif
