#include "services/upload_check.h"

#include "common/photo_clean.h"

#include <poppler.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {[UPLOAD_PDF] = "PDF", [UPLOAD_JPEG] = "JPEG",
                                         [UPLOAD_PNG] = "PNG"};

unsigned upload_kinds_of(const char *types)
{
    static const char *const names[] = {[UPLOAD_PDF] = "pdf", [UPLOAD_JPEG] = "jpeg",
                                        [UPLOAD_PNG] = "png"};
    unsigned set = 0;
    for (const char *p = types ? types : ""; *p;) {
        size_t n = strcspn(p, ",");
        for (int k = UPLOAD_PDF; k <= UPLOAD_PNG; k++)
            if (strlen(names[k]) == n && !strncmp(p, names[k], n))
                set |= UPLOAD_KIND_BIT(k);
        p += n + (p[n] == ',');
    }
    return set;
}

const char *upload_media_type(enum upload_kind kind)
{
    static const char *const types[] = {[UPLOAD_PDF] = "application/pdf",
                                        [UPLOAD_JPEG] = "image/jpeg", [UPLOAD_PNG] = "image/png"};
    return kind > UPLOAD_UNKNOWN && kind <= UPLOAD_PNG ? types[kind] : NULL;
}

const char *upload_extension(enum upload_kind kind)
{
    static const char *const ext[] = {[UPLOAD_PDF] = "pdf", [UPLOAD_JPEG] = "jpg",
                                      [UPLOAD_PNG] = "png"};
    return kind > UPLOAD_UNKNOWN && kind <= UPLOAD_PNG ? ext[kind] : NULL;
}

static int starts(const uint8_t *d, size_t len, const char *magic, size_t n)
{
    return len >= n && !memcmp(d, magic, n);
}

/* What the bytes look like, in words, for a refusal. */
static const char *looks_like(const uint8_t *d, size_t len)
{
    static const struct {
        const char *magic;
        size_t n;
        const char *what;
    } known[] = {
        {"%PDF-", 5, "a PDF"},
        {"GIF8", 4, "a GIF image"},
        {"PK\3\4", 4, "a ZIP archive (such as a .docx or .odt document)"},
        {"\xD0\xCF\x11\xE0", 4, "an old Microsoft Office document"},
        {"II*\0", 4, "a TIFF image"},
        {"MM\0*", 4, "a TIFF image"},
        {"\x89PNG", 4, "a damaged PNG image"},
        {"\xFF\xD8\xFF", 3, "a damaged JPEG image"},
    };
    if (len == 0)
        return "an empty file";
    switch (photo_sniff(d, len)) {
    case PHOTO_JPEG: return "a JPEG image";
    case PHOTO_PNG: return "a PNG image";
    case PHOTO_WEBP: return "a WebP image";
    case PHOTO_UNKNOWN: break;
    }
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (starts(d, len, known[i].magic, known[i].n))
            return known[i].what;
    size_t head = len < 1024 ? len : 1024;
    for (size_t i = 0; i < head; i++)
        if (d[i] < 0x20 && d[i] != '\t' && d[i] != '\n' && d[i] != '\r')
            return "binary data of an unknown kind";
    return "text";
}

/* 'a PDF, JPEG or PNG file' for the kinds in allowed. */
static void expected_kinds(unsigned allowed, char *out, size_t outlen)
{
    int n = 0, total = 0;
    for (int k = UPLOAD_PDF; k <= UPLOAD_PNG; k++)
        total += (allowed & UPLOAD_KIND_BIT(k)) != 0;
    size_t used = (size_t)snprintf(out, outlen, "a ");
    for (int k = UPLOAD_PDF; k <= UPLOAD_PNG && used < outlen; k++) {
        if (!(allowed & UPLOAD_KIND_BIT(k)))
            continue;
        n++;
        const char *sep = n == 1 ? "" : n == total ? " or " : ", ";
        used += (size_t)snprintf(out + used, outlen - used, "%s%s", sep, kind_names[k]);
    }
    if (used < outlen)
        snprintf(out + used, outlen - used, " file");
}

/* The kind the bytes claim to be by their start. */
static enum upload_kind claimed_kind(const uint8_t *d, size_t len)
{
    if (starts(d, len, "%PDF-", 5))
        return UPLOAD_PDF;
    switch (photo_sniff(d, len)) {
    case PHOTO_JPEG: return UPLOAD_JPEG;
    case PHOTO_PNG: return UPLOAD_PNG;
    default: return UPLOAD_UNKNOWN;
    }
}

/* Sets member name of obj to a string poppler returned (freed here), when
 * it is valid UTF-8 and not empty. */
static void keep_text(json_t *obj, const char *name, gchar *value)
{
    if (value && *value && g_utf8_validate(value, -1, NULL))
        json_object_set_new(obj, name, json_string(value));
    g_free(value);
}

static void keep_time(json_t *obj, const char *name, GDateTime *t)
{
    if (!t)
        return;
    gchar *text = g_date_time_format_iso8601(t);
    keep_text(obj, name, text);
    g_date_time_unref(t);
}

/* poppler's handling of several documents on several threads at once is
 * not documented to be safe: PDFs are opened one at a time. */
static pthread_mutex_t poppler_lock = PTHREAD_MUTEX_INITIALIZER;

/* Opens the PDF from memory; fills out (pages, the Info metadata) or
 * returns a verdict with err set. */
static enum upload_verdict check_pdf(const uint8_t *data, size_t len, long max_pages,
                                     const char *code, struct upload_facts *out, char *err,
                                     size_t errlen)
{
    if (memmem(data, len, "/Encrypt", 8)) {
        snprintf(err, errlen, "document \"%s\" is an encrypted PDF; send it without a "
                 "password or other protection", code);
        return UPLOAD_UNREADABLE;
    }
    pthread_mutex_lock(&poppler_lock);
    GBytes *bytes = g_bytes_new_static(data, len);
    GError *error = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &error);
    enum upload_verdict v = UPLOAD_OK;
    long pages = doc ? poppler_document_get_n_pages(doc) : 0;
    if (!doc) {
        int encrypted = error && error->domain == POPPLER_ERROR &&
                        error->code == POPPLER_ERROR_ENCRYPTED;
        snprintf(err, errlen, encrypted
                 ? "document \"%s\" is an encrypted PDF; send it without a password"
                 : "document \"%s\" starts like a PDF but cannot be read as one (damaged "
                   "or incomplete)", code);
        v = UPLOAD_UNREADABLE;
    } else if (pages < 1) {
        snprintf(err, errlen, "document \"%s\" is a PDF without pages", code);
        v = UPLOAD_UNREADABLE;
    } else if (pages > max_pages) {
        snprintf(err, errlen, "document \"%s\" has %ld pages; at most %ld are accepted "
                 "(POLIS_UPLOAD_MAX_PAGES)", code, pages, max_pages);
        v = UPLOAD_TOO_MANY_PAGES;
    } else {
        out->pages = pages;
        out->metadata = json_object();
        keep_text(out->metadata, "Title", poppler_document_get_title(doc));
        keep_text(out->metadata, "Author", poppler_document_get_author(doc));
        keep_text(out->metadata, "Subject", poppler_document_get_subject(doc));
        keep_text(out->metadata, "Creator", poppler_document_get_creator(doc));
        keep_text(out->metadata, "Producer", poppler_document_get_producer(doc));
        keep_time(out->metadata, "CreationDate", poppler_document_get_creation_date_time(doc));
        keep_time(out->metadata, "ModDate", poppler_document_get_modification_date_time(doc));
    }
    if (doc)
        g_object_unref(doc);
    g_clear_error(&error);
    g_bytes_unref(bytes);
    pthread_mutex_unlock(&poppler_lock);
    return v;
}

/* Walks the image (photo_clean, into a scratch copy that is thrown away)
 * for its soundness and size. */
static enum upload_verdict check_image(const uint8_t *data, size_t len, const char *code,
                                       struct upload_facts *out, char *err, size_t errlen)
{
    uint8_t *scratch = malloc(len);
    struct photo_info info = {0};
    char why[200] = "out of memory";
    size_t n;
    int bad = !scratch || photo_clean(data, len, scratch, &n, &info, why, sizeof why);
    free(scratch);
    if (bad) {
        snprintf(err, errlen, "document \"%s\" cannot be read as an image: %s", code, why);
        return UPLOAD_UNREADABLE;
    }
    out->metadata = json_object();
    if (info.width > 0 && info.height > 0) {
        json_object_set_new(out->metadata, "width", json_integer(info.width));
        json_object_set_new(out->metadata, "height", json_integer(info.height));
    }
    return UPLOAD_OK;
}

enum upload_verdict upload_check(const uint8_t *data, size_t len, unsigned allowed,
                                 long max_pages, const char *code, struct upload_facts *out,
                                 char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    enum upload_kind kind = claimed_kind(data, len);
    if (kind == UPLOAD_UNKNOWN || !(allowed & UPLOAD_KIND_BIT(kind))) {
        char expected[64];
        expected_kinds(allowed ? allowed : ~0u, expected, sizeof expected);
        snprintf(err, errlen, "expected %s for document \"%s\"; found %s", expected, code,
                 looks_like(data, len));
        return UPLOAD_WRONG_TYPE;
    }
    enum upload_verdict v = kind == UPLOAD_PDF
                                ? check_pdf(data, len, max_pages, code, out, err, errlen)
                                : check_image(data, len, code, out, err, errlen);
    if (v == UPLOAD_OK)
        out->kind = kind;
    return v;
}

/* ---- the file's name ---- */

size_t upload_original_name(const char *in, char *out, size_t outlen)
{
    const char *base = in;
    for (const char *p = in; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t n = 0, kept_end = 0; /* kept_end: the length without trailing spaces */
    const char *p = base, *end = base + strlen(base);
    while (p < end) {
        gunichar c = g_utf8_get_char_validated(p, end - p);
        if (c == (gunichar)-1 || c == (gunichar)-2) { /* not UTF-8: drop the byte */
            p++;
            continue;
        }
        const char *next = g_utf8_next_char(p);
        size_t clen = (size_t)(next - p);
        const char *bytes = p;
        p = next;
        if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0x2028 || c == 0x2029)
            continue;
        if (n == 0 && (c == '.' || c == ' '))
            continue; /* no hidden files, no ".." */
        if (c == '"')
            bytes = "_";
        if (n + clen + 1 > outlen)
            break;
        memcpy(out + n, bytes, clen);
        n += clen;
        if (c != ' ')
            kept_end = n;
    }
    if (outlen)
        out[kept_end] = '\0';
    return kept_end;
}

void upload_content_disposition(const char *name, char *out, size_t outlen)
{
    static const char attr_chars[] = "!#$&+-.^_`|~"; /* RFC 5987 attr-char besides ALPHA DIGIT */
    char ascii[256], encoded[3 * 255 + 1];
    size_t a = 0, e = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        int alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                    (*p >= '0' && *p <= '9');
        if (e + 4 > sizeof encoded || a + 2 > sizeof ascii)
            break;
        if (alnum || (*p < 0x80 && strchr(attr_chars, *p)))
            encoded[e++] = (char)*p;
        else
            e += (size_t)snprintf(encoded + e, sizeof encoded - e, "%%%02X", *p);
        if (*p >= 0x80 && (*p & 0xC0) == 0x80)
            continue; /* a continuation byte: its character already has its '_' */
        ascii[a++] = *p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\' && *p != '%'
                         ? (char)*p : '_';
    }
    ascii[a] = encoded[e] = '\0';
    snprintf(out, outlen, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, encoded);
}
