/* What a file attached to an application is (services/upload_check.c), from
 * its bytes: a PDF made by Cairo is one, with its pages and Title; text,
 * a broken PDF, a PDF with too many pages, a PNG where only PDFs are taken
 * and a truncated PNG are refused with a message naming the document and
 * saying what the bytes look like. The kept name of a file and its
 * Content-Disposition (RFC 6266). */
#include "../unit/photo_fixtures.h"
#include "check.h"
#include "services/upload_check.h"

#include <cairo-pdf.h>
#include <stdlib.h>

struct bytes {
    unsigned char *p;
    size_t len;
};

static cairo_status_t append(void *closure, const unsigned char *data, unsigned int len)
{
    struct bytes *b = closure;
    b->p = realloc(b->p, b->len + len);
    memcpy(b->p + b->len, data, len);
    b->len += len;
    return CAIRO_STATUS_SUCCESS;
}

static struct bytes pdf_of(int pages)
{
    struct bytes b = {0};
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(append, &b, 200, 200);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Βεβαίωση");
    cairo_t *cr = cairo_create(s);
    for (int i = 0; i < pages; i++)
        cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return b;
}

static const unsigned ALL = UPLOAD_KIND_BIT(UPLOAD_PDF) | UPLOAD_KIND_BIT(UPLOAD_JPEG) |
                            UPLOAD_KIND_BIT(UPLOAD_PNG);

static void files(void)
{
    struct upload_facts f;
    char err[512];
    struct bytes two = pdf_of(2);
    CHECK_INT(upload_check(two.p, two.len, ALL, 5, "id_card", &f, err, sizeof err), UPLOAD_OK);
    CHECK_INT(f.kind, UPLOAD_PDF);
    CHECK_INT(f.pages, 2);
    CHECK_STR(json_string_value(json_object_get(f.metadata, "Title")), "Βεβαίωση");
    json_decref(f.metadata);
    CHECK_INT(upload_check(two.p, two.len, ALL, 1, "id_card", &f, err, sizeof err),
              UPLOAD_TOO_MANY_PAGES);
    CHECK_STR(err, "document \"id_card\" has 2 pages; at most 1 are accepted "
                   "(POLIS_UPLOAD_MAX_PAGES)");
    /* cut in half: starts like a PDF, is not one poppler can count pages of */
    CHECK_INT(upload_check(two.p, 40, ALL, 5, "id_card", &f, err, sizeof err),
              UPLOAD_UNREADABLE);
    CHECK(strstr(err, "cannot be read") != NULL);
    free(two.p);

    const char *text = "just some text\n";
    CHECK_INT(upload_check((const uint8_t *)text, strlen(text), ALL, 5, "id_card", &f, err,
                           sizeof err), UPLOAD_WRONG_TYPE);
    CHECK_STR(err, "expected a PDF, JPEG or PNG file for document \"id_card\"; found text");
    CHECK_INT(upload_check(fx_png, sizeof fx_png, UPLOAD_KIND_BIT(UPLOAD_PDF), 5, "plan", &f,
                           err, sizeof err), UPLOAD_WRONG_TYPE);
    CHECK_STR(err, "expected a PDF file for document \"plan\"; found a PNG image");
    CHECK_INT(upload_check(fx_webp, sizeof fx_webp, ALL, 5, "id_card", &f, err, sizeof err),
              UPLOAD_WRONG_TYPE);
    CHECK(strstr(err, "found a WebP image") != NULL);
    CHECK_INT(upload_check(NULL, 0, ALL, 5, "id_card", &f, err, sizeof err), UPLOAD_WRONG_TYPE);
    CHECK(strstr(err, "found an empty file") != NULL);

    CHECK_INT(upload_check(fx_png, sizeof fx_png, ALL, 5, "id_card", &f, err, sizeof err),
              UPLOAD_OK);
    CHECK_INT(f.kind, UPLOAD_PNG);
    CHECK_INT(json_integer_value(json_object_get(f.metadata, "width")), 2);
    json_decref(f.metadata);
    CHECK_INT(upload_check(fx_png, sizeof fx_png - 20, ALL, 5, "id_card", &f, err, sizeof err),
              UPLOAD_UNREADABLE);
    CHECK_INT(upload_check(fx_jpeg, sizeof fx_jpeg, UPLOAD_KIND_BIT(UPLOAD_JPEG), 5, "photo", &f,
                           err, sizeof err), UPLOAD_OK);
    json_decref(f.metadata);
    CHECK_INT(upload_kinds_of("jpeg,png"), UPLOAD_KIND_BIT(UPLOAD_JPEG) |
                                               UPLOAD_KIND_BIT(UPLOAD_PNG));
}

static const char *kept(const char *in)
{
    static char out[32];
    upload_original_name(in, out, sizeof out);
    return out;
}

static void names(void)
{
    CHECK_STR(kept("scans/Ταυτότητα.pdf"), "Ταυτότητα.pdf");
    CHECK_STR(kept("C:\\Users\\a\\b.pdf"), "b.pdf");
    CHECK_STR(kept("../.hidden.png"), "hidden.png");
    CHECK_STR(kept("\"quoted\"\r\n.pdf"), "_quoted_.pdf");
    CHECK_STR(kept("bad\xff\xfe utf8.png  "), "bad utf8.png");
    CHECK_STR(kept(".."), "");
    /* cut at a character: 31 bytes of room, 2 bytes each */
    CHECK_STR(kept("αβγδεζηθικλμνξοπρστ"), "αβγδεζηθικλμνξο");
    char cd[UPLOAD_DISPOSITION_MAX];
    upload_content_disposition("Άδεια 1%.pdf", cd, sizeof cd);
    CHECK_STR(cd, "attachment; filename=\"_____ 1_.pdf\"; "
                  "filename*=UTF-8''%CE%86%CE%B4%CE%B5%CE%B9%CE%B1%201%25.pdf");
}

int main(void)
{
    files();
    names();
    return check_summary();
}
