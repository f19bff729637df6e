/* What a file attached to an application is, decided from its bytes only
 * (a client's Content-Type and file name are never trusted), and whether
 * the document it is attached as accepts it (issue 17, sql/044):
 *   PDF   "%PDF-" at the start AND opened by poppler (from memory): its page
 *         count and the Info dictionary's Title, Author, Subject, Creator,
 *         Producer, CreationDate and ModDate, as found. An encrypted PDF, or
 *         one poppler cannot open, is refused.
 *   JPEG, PNG  recognised and walked by common/photo_clean.h (so a truncated or
 *         forged image is refused); width and height kept. The bytes are
 *         kept as sent: these are documents, not photos.
 * No HTTP: the caller maps the verdict to a status. Pure apart from
 * poppler; fuzzed by tests/fuzz/fuzz_upload_check.c. */
#ifndef POLIS_UPLOAD_CHECK_H
#define POLIS_UPLOAD_CHECK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum upload_kind { UPLOAD_UNKNOWN = 0, UPLOAD_PDF, UPLOAD_JPEG, UPLOAD_PNG };

/* A set of kinds: bit (1u << kind). */
#define UPLOAD_KIND_BIT(k) (1u << (unsigned)(k))

enum upload_verdict {
    UPLOAD_OK = 0,
    UPLOAD_WRONG_TYPE,     /* not a PDF, JPEG or PNG, or not one the document accepts: 415 */
    UPLOAD_UNREADABLE,     /* the right kind, but damaged or encrypted: 422 */
    UPLOAD_TOO_MANY_PAGES, /* a PDF over the page limit: 422 */
};

struct upload_facts {
    enum upload_kind kind;
    long pages;         /* a PDF's; 0 for images */
    json_t *metadata;   /* an object, the caller's to json_decref (NULL unless UPLOAD_OK) */
};

/* The set of kinds in a document's types, a text of type names separated
 * by commas ("pdf,jpeg"); unknown names are ignored. */
unsigned upload_kinds_of(const char *types);

/* "application/pdf", "image/jpeg", "image/png"; NULL for UPLOAD_UNKNOWN. */
const char *upload_media_type(enum upload_kind kind);
/* "pdf", "jpg", "png"; NULL for UPLOAD_UNKNOWN. */
const char *upload_extension(enum upload_kind kind);

/* Checks the bytes of a file attached as document code, which accepts the
 * kinds in allowed, with at most max_pages pages for a PDF. On UPLOAD_OK
 * fills out; otherwise writes the refusal into err, e.g. 'expected a PDF,
 * JPEG or PNG file for document "id_card"; found text'. */
enum upload_verdict upload_check(const uint8_t *data, size_t len, unsigned allowed,
                                 long max_pages, const char *code, struct upload_facts *out,
                                 char *err, size_t errlen);

/* The name a file was sent with, as kept: its base name (after the last
 * "/" or "\\"), valid UTF-8 only, without control characters, with '"' and
 * "\\" replaced by "_", leading dots and spaces and trailing spaces removed,
 * cut (at a character) to fit outlen. Writes "" when nothing is left.
 * Returns the length written. */
size_t upload_original_name(const char *in, char *out, size_t outlen);

/* The Content-Disposition of a download of a file called name (as
 * upload_original_name keeps it), RFC 6266: attachment; filename="<ASCII,
 * other characters as _>"; filename*=UTF-8''<percent-encoded>. out should
 * hold UPLOAD_DISPOSITION_MAX bytes (names of up to 255 bytes). */
#define UPLOAD_DISPOSITION_MAX 1100
void upload_content_disposition(const char *name, char *out, size_t outlen);

#endif
