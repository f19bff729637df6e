/* A PDF signature any PDF reader can check (issue 17): a PAdES-style
 * signature (SubFilter ETSI.CAdES.detached) made with OpenSSL CMS over the
 * PDF's byte ranges.
 *
 * The signature goes into an incremental update appended to the PDF (the
 * original bytes stay as they are, ISO 32000-1 7.5.6): a new version of
 * the catalog with an /AcroForm, of the first page with the signature's
 * widget in its /Annots, the signature field (an invisible widget), the
 * /Sig dictionary with its /ByteRange and a /Contents placeholder, an xref
 * section for these objects and a trailer with /Prev. The SHA-256 of both
 * byte ranges (everything but the placeholder) is signed detached with the
 * signer's key; the CMS SignedData carries the signer's certificate, a
 * signing-certificate-v2 attribute (CAdES, OpenSSL's CMS_CADES) and the
 * signing time, and its DER goes hex-encoded into the placeholder.
 *
 * The PDF read is one we made (services/answer_pdf.h: Cairo writes one
 * classic xref table and trailer); anything else that does not have one is
 * refused with a reason, never guessed at. No database, no HTTP. */
#ifndef POLIS_PDF_SIGN_H
#define POLIS_PDF_SIGN_H

#include "common/textbuf.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stddef.h>

/* Room for the CMS SignedData in the placeholder, in bytes (hex: twice). */
#define PDF_SIGN_CMS_MAX 8192

/* The municipality's signing key and certificate (POLIS_SIGNING_KEY,
 * POLIS_SIGNING_CERT), loaded once and then only read: one signer may sign
 * on several threads at once. */
struct pdf_signer {
    EVP_PKEY *key;
    X509 *cert;
    STACK_OF(X509) *chain; /* the certificates after the first in the cert file */
};

/* Loads the PEM private key at key_path and the PEM certificate (and any
 * chain after it) at cert_path, and checks that they belong together.
 * Returns 0, or -1 after writing which file is wrong and why into err. */
int pdf_signer_load(struct pdf_signer *s, const char *key_path, const char *cert_path, char *err,
                    size_t errlen);
void pdf_signer_free(struct pdf_signer *s);

/* Appends to out the len bytes of pdf followed by the signed incremental
 * update. Returns 0, or -1 after writing why into err (a PDF without a
 * classic xref table, a catalog or page we cannot read, OpenSSL's error,
 * out of memory). */
int pdf_sign(const struct pdf_signer *s, const char *pdf, size_t len, struct textbuf *out,
             char *err, size_t errlen);

#endif
