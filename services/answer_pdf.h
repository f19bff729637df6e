/* An answer document as PDF (issue 17): an A4 letter on the municipality's
 * letterhead, drawn with Cairo and laid out with Pango in DejaVu Sans
 * (fonts-dejavu-core), which covers Greek; the text is real text, so
 * pdftotext and screen readers find it. On it: the letterhead (an optional
 * logo PNG, the municipality's name in Greek and English), the protocol
 * number N/YYYY and date, the addressee, the title, the body paragraphs, and
 * at the foot of every page the verification code, printed and as a QR code
 * (libqrencode) of the verification address.
 *
 * Signing is a separate step (services/pdf_sign.h); issuing, storing and
 * recording a document is services/answer_document.h. No database, no HTTP;
 * safe to call from several threads at once. */
#ifndef POLIS_ANSWER_PDF_H
#define POLIS_ANSWER_PDF_H

#include "common/textbuf.h"

#include <stddef.h>

/* What the document says; every string is UTF-8 and printed as given. */
struct answer_pdf {
    const char *municipality_el;  /* "Δήμος Σερρών" (the boundaries row) */
    const char *municipality_en;  /* "Municipality of Serres"; NULL or "": not printed */
    const char *logo_png;         /* path of a PNG for the letterhead; NULL or "": none */
    const char *title;            /* the document's (its service's) title */
    const char *protocol_number;  /* "1234/2026" */
    const char *date;             /* as printed, e.g. "02/12/2026" */
    const char *addressee;        /* the full name */
    const char *const *paragraphs; /* the body, one string per paragraph */
    int nparagraphs;
    const char *code;             /* the verification code (services/verification_code.h) */
    const char *verify_url;       /* POLIS_PUBLIC_URL/verify/{code}: printed and in the QR */
};

/* Renders doc as PDF, appended to out (textbuf_append: out->failed when
 * memory ran out). Returns 0, or -1 after writing what went wrong (a
 * missing field, an unreadable logo, the QR code, Cairo's status) into err;
 * out is then as it was. */
int answer_pdf_render(const struct answer_pdf *doc, struct textbuf *out, char *err,
                      size_t errlen);

#endif
