#include "services/answer_document.h"
#include "common/make_dirs.h"
#include "common/write_all.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes len bytes to path durably: a temporary file beside it, fsync,
 * rename, fsync of the directory; a reader never sees half a document. */
static int store_file(const char *dir, const char *path, const char *data, size_t len,
                      char *err, size_t errlen)
{
    char tmp[PATH_MAX + 16];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = -1, dirfd = -1, ok = make_dirs(dir, 0750) == 0 &&
                                  (fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                                             0640)) >= 0 &&
                                  write_all(fd, data, len) == 0 && fsync(fd) == 0;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    ok = ok && rename(tmp, path) == 0 &&
         (dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0 && fsync(dirfd) == 0;
    int e = errno;
    if (dirfd >= 0)
        close(dirfd);
    if (!ok) {
        unlink(tmp);
        unlink(path);
        snprintf(err, errlen, "storing the document as %s failed: %s", path, strerror(e));
    }
    return ok ? 0 : -1;
}

/* Hashes and stores len bytes as {out->code}.pdf under dir (a code made
 * here when out->code is empty). */
int answer_document_keep(const char *dir, const void *data, size_t len,
                         struct answer_issued *out, char *err, size_t errlen)
{
    if (!out->code[0])
        verification_code_new(out->code);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)data, len);
    sodium_bin2hex(out->sha256, sizeof out->sha256, digest, sizeof digest);
    out->bytes = len;
    snprintf(out->file_name, sizeof out->file_name, "%s.pdf", out->code);
    out->path[0] = '\0';
    if (snprintf(out->path, sizeof out->path, "%s/%s", dir, out->file_name) >=
        (int)sizeof out->path) {
        snprintf(err, errlen, "the documents directory's name is too long");
        out->path[0] = '\0';
        return -1;
    }
    if (store_file(dir, out->path, data, len, err, errlen)) {
        out->path[0] = '\0';
        return -1;
    }
    return 0;
}

int answer_document_make(const struct answer_issuer *is, struct answer_document *doc,
                         struct answer_issued *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (!is->public_url || !*is->public_url || !is->signer || !is->signer->key) {
        snprintf(err, errlen, "issuing documents needs %s",
                 !is->public_url || !*is->public_url
                     ? "POLIS_PUBLIC_URL (the address in the QR code)"
                     : "POLIS_SIGNING_KEY and POLIS_SIGNING_CERT (the signing key)");
        return -1;
    }
    verification_code_new(out->code);
    char url[1024];
    snprintf(url, sizeof url, "%s/verify/%s", is->public_url, out->code);
    doc->pdf.code = out->code;
    doc->pdf.verify_url = url;
    doc->pdf.logo_png = is->logo_png;
    struct textbuf pdf = {0}, signed_pdf = {0};
    int rc = answer_pdf_render(&doc->pdf, &pdf, err, errlen);
    if (rc == 0)
        rc = pdf_sign(is->signer, pdf.buf, pdf.len, &signed_pdf, err, errlen);
    if (rc == 0 && signed_pdf.failed) {
        snprintf(err, errlen, "out of memory while signing the document");
        rc = -1;
    }
    if (rc == 0 && answer_document_keep(is->documents_dir, signed_pdf.buf, signed_pdf.len, out,
                                        err, errlen))
        rc = -1;
    doc->pdf.verify_url = NULL; /* url is gone after this */
    free(pdf.buf);
    free(signed_pdf.buf);
    if (rc)
        out->path[0] = '\0';
    return rc;
}

void answer_document_insert_args(const struct answer_document *doc,
                                 const struct answer_issued *out, char nums[3][24],
                                 const char *args[ISSUED_DOCUMENT_INSERT_NPARAMS])
{
    snprintf(nums[0], 24, "%ld", doc->protocol_entry_id);
    snprintf(nums[1], 24, "%ld", doc->application_id);
    snprintf(nums[2], 24, "%zu", out->bytes);
    args[ISSUED_DOCUMENT_INSERT_P_CODE] = out->code;
    args[ISSUED_DOCUMENT_INSERT_P_KIND] = doc->kind;
    args[ISSUED_DOCUMENT_INSERT_P_PROTOCOL_ENTRY] = nums[0];
    args[ISSUED_DOCUMENT_INSERT_P_PROTOCOL_NUMBER] = doc->pdf.protocol_number;
    args[ISSUED_DOCUMENT_INSERT_P_APPLICATION] = doc->application_id ? nums[1] : NULL;
    args[ISSUED_DOCUMENT_INSERT_P_TITLE] = doc->pdf.title;
    args[ISSUED_DOCUMENT_INSERT_P_ADDRESSEE] = doc->pdf.addressee;
    args[ISSUED_DOCUMENT_INSERT_P_SHA256] = out->sha256;
    args[ISSUED_DOCUMENT_INSERT_P_BYTES] = nums[2];
    args[ISSUED_DOCUMENT_INSERT_P_FILE_NAME] = out->file_name;
}

void answer_document_discard(const struct answer_issued *out)
{
    if (out->path[0] && unlink(out->path) != 0 && errno != ENOENT)
        fprintf(stderr, "polis: removing %s failed: %s\n", out->path, strerror(errno));
}

int answer_document_record(PGconn *db, const struct answer_document *doc,
                           struct answer_issued *out, char *err, size_t errlen)
{
    char nums[3][24];
    const char *args[ISSUED_DOCUMENT_INSERT_NPARAMS];
    answer_document_insert_args(doc, out, nums, args);
    PGresult *res = PQexecParams(db, ISSUED_DOCUMENT_INSERT_SQL, ISSUED_DOCUMENT_INSERT_NPARAMS,
                                 NULL, args, NULL, NULL, 0);
    int rc = -1;
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        snprintf(err, errlen, "recording the document failed: %s", PQresultErrorMessage(res));
    else if (PQntuples(res) != 1)
        snprintf(err, errlen, "expected protocol entry %ld to be %s, found no such entry",
                 doc->protocol_entry_id, doc->pdf.protocol_number);
    else {
        out->id = strtol(PQgetvalue(res, 0, ISSUED_DOCUMENT_INSERT_ID), NULL, 10);
        rc = 0;
    }
    PQclear(res);
    if (rc)
        answer_document_discard(out);
    return rc;
}

int answer_document_issue(PGconn *db, const struct answer_issuer *is,
                          struct answer_document *doc, struct answer_issued *out, char *err,
                          size_t errlen)
{
    if (answer_document_make(is, doc, out, err, errlen))
        return -1;
    return answer_document_record(db, doc, out, err, errlen);
}
