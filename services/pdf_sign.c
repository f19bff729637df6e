#include "services/pdf_sign.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- reading the PDF: tokens, dictionaries, the xref table ---- */

enum tok { T_END, T_NAME, T_WORD, T_DICT, T_DICT_END, T_ARRAY, T_ARRAY_END, T_STRING };

struct scan {
    const char *p, *end;
    const char *tok; /* the last token read and its length */
    size_t len;
};

static int is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

static int is_delim(char c)
{
    return strchr("()<>[]{}/%", c) != NULL;
}

/* The next token (PDF 7.2): comments skipped; a string, literal or hex, is
 * one token. */
static enum tok next(struct scan *s)
{
    for (;;) {
        while (s->p < s->end && is_space(*s->p))
            s->p++;
        if (s->p < s->end && *s->p == '%')
            while (s->p < s->end && *s->p != '\n' && *s->p != '\r')
                s->p++;
        else
            break;
    }
    s->tok = s->p;
    if (s->p >= s->end)
        return T_END;
    char c = *s->p++;
    enum tok t = T_WORD;
    if (c == '<' && s->p < s->end && *s->p == '<') {
        s->p++;
        t = T_DICT;
    } else if (c == '>' && s->p < s->end && *s->p == '>') {
        s->p++;
        t = T_DICT_END;
    } else if (c == '<') {
        while (s->p < s->end && *s->p++ != '>')
            ;
        t = T_STRING;
    } else if (c == '(') {
        for (int depth = 1; s->p < s->end && depth > 0; s->p++)
            if (*s->p == '\\')
                s->p++;
            else
                depth += *s->p == '(' ? 1 : *s->p == ')' ? -1 : 0;
        t = T_STRING;
    } else if (c == '[' || c == ']') {
        t = c == '[' ? T_ARRAY : T_ARRAY_END;
    } else {
        t = c == '/' ? T_NAME : T_WORD;
        while (s->p < s->end && !is_space(*s->p) && !is_delim(*s->p))
            s->p++;
    }
    if (s->p > s->end)
        s->p = s->end;
    s->len = (size_t)(s->p - s->tok);
    return t;
}

static int tok_is(const struct scan *s, const char *word)
{
    return s->len == strlen(word) && !memcmp(s->tok, word, s->len);
}

/* Moves s past one value: a dictionary or array with all it holds, or one
 * token. Returns -1 at the end of the text. */
static int skip_value(struct scan *s)
{
    enum tok t = next(s);
    for (int depth = t == T_DICT || t == T_ARRAY; depth > 0;) {
        t = next(s);
        if (t == T_END)
            return -1;
        depth += t == T_DICT || t == T_ARRAY ? 1 : t == T_DICT_END || t == T_ARRAY_END ? -1 : 0;
    }
    return t == T_END ? -1 : 0;
}

/* A dictionary in [begin, end): begin at "<<", end after its ">>". */
struct span {
    const char *begin, *end;
};

/* Reads the dictionary starting at the next token of s into d. */
static int read_dict(struct scan *s, struct span *d)
{
    if (next(s) != T_DICT)
        return -1;
    d->begin = s->tok;
    for (int depth = 1; depth > 0;) {
        enum tok t = next(s);
        if (t == T_END)
            return -1;
        depth += t == T_DICT || t == T_ARRAY ? 1 : t == T_DICT_END || t == T_ARRAY_END ? -1 : 0;
    }
    d->end = s->p;
    return 0;
}

/* Positions v just before the value of key (e.g. "/Root") in the top level
 * of dictionary d. Returns 0, or -1 when d has no such key. */
static int dict_value(const struct span *d, const char *key, struct scan *v)
{
    struct scan s = {.p = d->begin + 2, .end = d->end - 2};
    for (int depth = 0;;) {
        enum tok t = next(&s);
        if (t == T_END)
            return -1;
        if (depth == 0 && t == T_NAME && tok_is(&s, key)) {
            *v = s;
            return 0;
        }
        depth += t == T_DICT || t == T_ARRAY ? 1 : t == T_DICT_END || t == T_ARRAY_END ? -1 : 0;
    }
}

/* The next tokens of v are "N G R": stores N. */
static int read_ref(struct scan *v, long *num)
{
    char *e;
    if (next(v) != T_WORD || (*num = strtol(v->tok, &e, 10)) <= 0 || e != v->p ||
        next(v) != T_WORD || next(v) != T_WORD || !tok_is(v, "R"))
        return -1;
    return 0;
}

static int dict_ref(const struct span *d, const char *key, long *num)
{
    struct scan v;
    return dict_value(d, key, &v) == 0 ? read_ref(&v, num) : -1;
}

/* What the PDF's last (and only) xref section and trailer say. */
struct pdf_doc {
    const char *pdf;
    size_t len;
    long xref_at, size, root, info;
    struct span trailer;
};

/* The offset of object num in the xref table, or -1. */
static long xref_offset(const struct pdf_doc *d, long num)
{
    struct scan s = {.p = d->pdf + d->xref_at + 4, .end = d->pdf + d->len};
    for (;;) {
        if (next(&s) != T_WORD || tok_is(&s, "trailer"))
            return -1;
        long first = strtol(s.tok, NULL, 10);
        if (next(&s) != T_WORD)
            return -1;
        long count = strtol(s.tok, NULL, 10);
        for (long i = 0; i < count; i++) {
            long off, gen;
            if (next(&s) != T_WORD || (off = strtol(s.tok, NULL, 10), next(&s)) != T_WORD ||
                (gen = strtol(s.tok, NULL, 10), next(&s)) != T_WORD)
                return -1;
            if (first + i == num)
                return tok_is(&s, "n") && gen == 0 && off > 0 && (size_t)off < d->len ? off : -1;
        }
    }
}

/* The dictionary of object num ("num 0 obj << ... >>"). */
static int object_dict(const struct pdf_doc *d, long num, struct span *dict)
{
    long off = xref_offset(d, num);
    if (off < 0)
        return -1;
    struct scan s = {.p = d->pdf + off, .end = d->pdf + d->len};
    if (next(&s) != T_WORD || strtol(s.tok, NULL, 10) != num || next(&s) != T_WORD ||
        !tok_is(&s, "0") || next(&s) != T_WORD || !tok_is(&s, "obj"))
        return -1;
    return read_dict(&s, dict);
}

/* Finds startxref, the xref table and the trailer. */
static int read_trailer(struct pdf_doc *d, char *err, size_t errlen)
{
    const char *key = "startxref", *at = NULL;
    size_t tail = d->len < 1024 ? d->len : 1024;
    for (const char *p = d->pdf + d->len - tail; p + 9 <= d->pdf + d->len; p++)
        if (!memcmp(p, key, 9))
            at = p;
    struct scan s = {.p = at ? at + 9 : NULL, .end = d->pdf + d->len};
    char *e;
    if (!at || next(&s) != T_WORD || (d->xref_at = strtol(s.tok, &e, 10)) <= 0 || e != s.p ||
        (size_t)d->xref_at + 4 > d->len || memcmp(d->pdf + d->xref_at, "xref", 4)) {
        snprintf(err, errlen, "expected a PDF ending in startxref and a classic xref table, "
                 "found %s", at ? "an xref stream or a bad offset" : "no startxref");
        return -1;
    }
    s.p = d->pdf + d->xref_at + 4;
    while (next(&s) != T_END && !tok_is(&s, "trailer"))
        ;
    struct scan v;
    if (s.tok >= s.end || read_dict(&s, &d->trailer) || dict_value(&d->trailer, "/Size", &v) ||
        next(&v) != T_WORD || (d->size = strtol(v.tok, NULL, 10)) <= 0 ||
        dict_ref(&d->trailer, "/Root", &d->root)) {
        snprintf(err, errlen, "expected a trailer with /Size and /Root after the xref table");
        return -1;
    }
    if (dict_value(&d->trailer, "/Prev", &v) == 0 || dict_value(&d->trailer, "/Encrypt", &v) == 0) {
        snprintf(err, errlen, "expected a PDF as Cairo writes it, found one with %s",
                 dict_value(&d->trailer, "/Prev", &v) == 0 ? "updates (/Prev)" : "encryption");
        return -1;
    }
    if (dict_ref(&d->trailer, "/Info", &d->info))
        d->info = 0;
    return 0;
}

/* ---- writing the incremental update ---- */

/* The objects the update writes, by number. */
struct update {
    long catalog, page, field, sig;
    long at[4];            /* their offsets in the signed file, in the order above */
    size_t contents_at;    /* offset of the '<' of /Contents in the signed file */
    size_t byterange_at;   /* offset of the four numbers of /ByteRange */
};

#define BYTERANGE_FMT "%10zu %10zu %10zu %10zu"
#define BYTERANGE_LEN 43

/* A dictionary written again with extra entries before its closing ">>". */
static void dict_plus(struct textbuf *t, const struct span *d, const char *extra)
{
    textbuf_append(t, d->begin, (size_t)(d->end - 2 - d->begin));
    textbuf_append(t, extra, strlen(extra));
    textbuf_append(t, "\n>>", 3);
}

/* The page with the signature field in its /Annots (an array written in
 * the page, or none). */
static int page_with_annot(struct textbuf *t, const struct span *page, long field)
{
    char ref[64];
    struct scan v;
    if (dict_value(page, "/Annots", &v) != 0) {
        snprintf(ref, sizeof ref, "\n   /Annots [%ld 0 R]", field);
        dict_plus(t, page, ref);
        return 0;
    }
    if (next(&v) != T_ARRAY)
        return -1; /* an indirect array: not what Cairo writes */
    for (int depth = 1; depth > 0;) {
        enum tok k = next(&v);
        if (k == T_END)
            return -1;
        depth += k == T_DICT || k == T_ARRAY ? 1 : k == T_DICT_END || k == T_ARRAY_END ? -1 : 0;
    }
    textbuf_append(t, page->begin, (size_t)(v.tok - page->begin)); /* up to its ']' */
    snprintf(ref, sizeof ref, " %ld 0 R", field);
    textbuf_append(t, ref, strlen(ref));
    textbuf_append(t, v.tok, (size_t)(page->end - v.tok));
    return 0;
}

/* The first page: /Pages of the catalog, its first /Kids entry. */
static int first_page(const struct pdf_doc *d, const struct span *catalog, long *page)
{
    struct span pages;
    long pages_num;
    struct scan v;
    if (dict_ref(catalog, "/Pages", &pages_num) || object_dict(d, pages_num, &pages) ||
        dict_value(&pages, "/Kids", &v) || next(&v) != T_ARRAY || read_ref(&v, page))
        return -1;
    return 0;
}

static void object_start(struct textbuf *t, long num, long *at)
{
    *at = (long)t->len;
    textbuf_printf(t, "%ld 0 obj\n", num);
}

/* Writes the update after the original's len bytes into t (which holds
 * them already): the four objects, the xref section and the trailer. */
static int write_update(const struct pdf_doc *d, struct textbuf *t, struct update *u, char *err,
                        size_t errlen)
{
    struct span catalog, page;
    struct scan v;
    if (object_dict(d, d->root, &catalog) || dict_value(&catalog, "/AcroForm", &v) == 0 ||
        first_page(d, &catalog, &u->page) || object_dict(d, u->page, &page)) {
        snprintf(err, errlen, "expected a catalog without /AcroForm and a first page, found "
                 "neither in object %ld", d->root);
        return -1;
    }
    u->catalog = d->root;
    u->field = d->size;
    u->sig = d->size + 1;
    char extra[128];
    if (d->pdf[d->len - 1] != '\n' && d->pdf[d->len - 1] != '\r')
        textbuf_append(t, "\n", 1);
    object_start(t, u->catalog, &u->at[0]);
    snprintf(extra, sizeof extra, "\n   /AcroForm << /Fields [%ld 0 R] /SigFlags 3 >>", u->field);
    dict_plus(t, &catalog, extra);
    textbuf_printf(t, "\nendobj\n");
    object_start(t, u->page, &u->at[1]);
    if (page_with_annot(t, &page, u->field)) {
        snprintf(err, errlen, "expected the first page's /Annots as an array, found a reference");
        return -1;
    }
    textbuf_printf(t, "\nendobj\n");
    object_start(t, u->field, &u->at[2]);
    textbuf_printf(t, "<< /Type /Annot /Subtype /Widget /FT /Sig /F 132 /T (Signature1)\n"
                      "   /Rect [0 0 0 0] /P %ld 0 R /V %ld 0 R >>\nendobj\n", u->page, u->sig);
    object_start(t, u->sig, &u->at[3]);
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(when, sizeof when, "%Y%m%d%H%M%SZ", gmtime_r(&now, &tm));
    textbuf_printf(t, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n"
                      "   /M (D:%s)\n   /ByteRange [", when);
    u->byterange_at = t->len;
    textbuf_printf(t, BYTERANGE_FMT "]\n   /Contents ", (size_t)0, (size_t)0, (size_t)0,
                   (size_t)0);
    u->contents_at = t->len;
    textbuf_append(t, "<", 1);
    for (int i = 0; i < PDF_SIGN_CMS_MAX; i++)
        textbuf_append(t, "00", 2);
    textbuf_printf(t, "> >>\nendobj\n");
    size_t xref = t->len;
    /* one subsection per object, by number: the catalog and the page where they
     * were, the field and the signature after the last object */
    textbuf_printf(t, "xref\n");
    long nums[4] = {u->catalog, u->page, u->field, u->sig};
    int first = u->page < u->catalog; /* the page first when its number is lower */
    int order[4] = {first, !first, 2, 3};
    for (int i = 0; i < 4; i++)
        textbuf_printf(t, "%ld 1\n%010ld 00000 n \n", nums[order[i]], u->at[order[i]]);
    textbuf_printf(t, "trailer\n<< /Size %ld /Root %ld 0 R", d->size + 2, d->root);
    if (d->info)
        textbuf_printf(t, " /Info %ld 0 R", d->info);
    if (dict_value(&d->trailer, "/ID", &v) == 0) {
        const char *id = v.p;
        if (skip_value(&v) == 0)
            textbuf_printf(t, " /ID%.*s", (int)(v.p - id), id);
    }
    textbuf_printf(t, " /Prev %ld >>\nstartxref\n%zu\n%%%%EOF\n", d->xref_at, xref);
    return 0;
}

/* ---- the CMS signature ---- */

static void openssl_reason(const char *what, char *err, size_t errlen)
{
    char why[256] = "unknown reason";
    unsigned long e = ERR_get_error();
    if (e)
        ERR_error_string_n(e, why, sizeof why);
    ERR_clear_error();
    snprintf(err, errlen, "%s: %s", what, why);
}

/* The DER of a detached CMS SignedData over data (CAdES: with the
 * signing-certificate-v2 attribute), or -1. */
static int cms_sign_der(const struct pdf_signer *s, const char *data, size_t len,
                        unsigned char **der, int *derlen, char *err, size_t errlen)
{
    const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP | CMS_CADES;
    BIO *in = BIO_new_mem_buf(data, (int)len);
    CMS_ContentInfo *cms = in ? CMS_sign(NULL, NULL, s->chain, NULL, flags) : NULL;
    int ok = cms && CMS_add1_signer(cms, s->cert, s->key, EVP_sha256(), flags) &&
             CMS_final(cms, in, NULL, flags) && (*derlen = i2d_CMS_ContentInfo(cms, der)) > 0;
    if (!ok)
        openssl_reason("signing the PDF failed", err, errlen);
    CMS_ContentInfo_free(cms);
    BIO_free(in);
    return ok ? 0 : -1;
}

int pdf_sign(const struct pdf_signer *s, const char *pdf, size_t len, struct textbuf *out,
             char *err, size_t errlen)
{
    struct pdf_doc d = {.pdf = pdf, .len = len};
    if (len < 32 || memcmp(pdf, "%PDF-", 5)) {
        snprintf(err, errlen, "expected a PDF, found %zu bytes without %%PDF-", len);
        return -1;
    }
    if (read_trailer(&d, err, errlen))
        return -1;
    /* the update is written at the original's offsets: the file is built whole in t */
    struct textbuf t = {0};
    textbuf_append(&t, pdf, len);
    struct update u;
    if (write_update(&d, &t, &u, err, errlen)) {
        free(t.buf);
        return -1;
    }
    if (t.failed) {
        free(t.buf);
        snprintf(err, errlen, "out of memory while signing");
        return -1;
    }
    size_t a = u.contents_at, b = a + 2 + 2 * PDF_SIGN_CMS_MAX, c = t.len - b;
    char range[BYTERANGE_LEN + 1];
    snprintf(range, sizeof range, BYTERANGE_FMT, (size_t)0, a, b, c);
    memcpy(t.buf + u.byterange_at, range, BYTERANGE_LEN);
    /* the signed bytes: everything but the placeholder */
    char *data = malloc(a + c);
    unsigned char *der = NULL;
    int derlen = 0, rc = -1;
    if (!data) {
        snprintf(err, errlen, "out of memory while signing");
    } else {
        memcpy(data, t.buf, a);
        memcpy(data + a, t.buf + b, c);
        rc = cms_sign_der(s, data, a + c, &der, &derlen, err, errlen);
    }
    if (rc == 0 && derlen > PDF_SIGN_CMS_MAX) {
        snprintf(err, errlen, "the signature has %d bytes, more than the %d reserved "
                 "(PDF_SIGN_CMS_MAX): a long certificate chain?", derlen, PDF_SIGN_CMS_MAX);
        rc = -1;
    }
    if (rc == 0) {
        static const char hex[] = "0123456789abcdef";
        for (int i = 0; i < derlen; i++) {
            t.buf[a + 1 + 2 * i] = hex[der[i] >> 4];
            t.buf[a + 2 + 2 * i] = hex[der[i] & 15];
        }
        textbuf_append(out, t.buf, t.len);
    }
    OPENSSL_free(der);
    free(data);
    free(t.buf);
    return rc;
}

/* ---- the signer ---- */

int pdf_signer_load(struct pdf_signer *s, const char *key_path, const char *cert_path, char *err,
                    size_t errlen)
{
    memset(s, 0, sizeof *s);
    FILE *kf = fopen(key_path, "r"), *cf = kf ? fopen(cert_path, "r") : NULL;
    if (!kf || !cf) {
        snprintf(err, errlen, "%s: expected a readable PEM file, found: %m",
                 kf ? cert_path : key_path);
        if (kf)
            fclose(kf);
        return -1;
    }
    s->key = PEM_read_PrivateKey(kf, NULL, NULL, NULL);
    s->cert = PEM_read_X509(cf, NULL, NULL, NULL);
    s->chain = sk_X509_new_null();
    for (X509 *x; s->chain && (x = PEM_read_X509(cf, NULL, NULL, NULL));)
        sk_X509_push(s->chain, x);
    ERR_clear_error(); /* the end of the chain */
    fclose(kf);
    fclose(cf);
    const char *wrong = !s->key ? key_path : !s->cert ? cert_path : NULL;
    if (wrong || !s->chain) {
        snprintf(err, errlen, "%s: expected a PEM %s, found none", wrong ? wrong : cert_path,
                 wrong == key_path ? "private key (unencrypted)" : "certificate");
        pdf_signer_free(s);
        return -1;
    }
    if (X509_check_private_key(s->cert, s->key) != 1) {
        ERR_clear_error();
        snprintf(err, errlen, "%s and %s: expected the key of the certificate, found another "
                 "key", key_path, cert_path);
        pdf_signer_free(s);
        return -1;
    }
    return 0;
}

void pdf_signer_free(struct pdf_signer *s)
{
    EVP_PKEY_free(s->key);
    X509_free(s->cert);
    sk_X509_pop_free(s->chain, X509_free);
    memset(s, 0, sizeof *s);
}
