#include "services/answer_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

/* A4 in points (1/72 inch), margins of 2 cm */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN 56.7
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define FOOTER_H 118.0 /* the QR code and its lines at the foot of every page */
#define QR_SIZE 90.0
#define LOGO_H 56.0
#define FONT "DejaVu Sans"

/* One document being drawn: the cursor and what every page repeats. */
struct pen {
    cairo_t *cr;
    const struct answer_pdf *doc;
    QRcode *qr;
    double y;   /* the top of the next line */
    int page;   /* 1, 2, ... */
};

static cairo_status_t append_bytes(void *closure, const unsigned char *data, unsigned int len)
{
    struct textbuf *out = closure;
    textbuf_append(out, (const char *)data, len);
    return out->failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/* A layout of text in FONT at size (points), bold or not, wrapped at width. */
static PangoLayout *layout_new(cairo_t *cr, const char *text, double size, int bold,
                               double width, PangoAlignment align, int justify)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_size(fd, (gint)(size * PANGO_SCALE));
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, align);
    pango_layout_set_justify(l, justify);
    pango_layout_set_text(l, text, -1);
    return l;
}

/* Draws text at (x, y) in grey level g; returns its height. For the short
 * texts that never cross a page (letterhead, footer). */
static double text_at(cairo_t *cr, const char *text, double x, double y, double width,
                      double size, int bold, PangoAlignment align, double g)
{
    PangoLayout *l = layout_new(cr, text, size, bold, width, align, 0);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    cairo_set_source_rgb(cr, g, g, g);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    return (double)h / PANGO_SCALE;
}

/* The QR code's modules as filled squares, with the 4-module quiet zone
 * inside size. */
static void draw_qr(cairo_t *cr, const QRcode *qr, double x, double y, double size)
{
    double m = size / (qr->width + 8);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, size, size);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int r = 0; r < qr->width; r++)
        for (int c = 0; c < qr->width; c++)
            if (qr->data[r * qr->width + c] & 1)
                cairo_rectangle(cr, x + (c + 4) * m, y + (r + 4) * m, m, m);
    cairo_fill(cr);
}

/* The foot of every page: a rule, the QR code, the code and the address. */
static void draw_footer(struct pen *p)
{
    cairo_t *cr = p->cr;
    const struct answer_pdf *d = p->doc;
    double top = PAGE_H - MARGIN - FOOTER_H + 10;
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, MARGIN, top);
    cairo_line_to(cr, PAGE_W - MARGIN, top);
    cairo_stroke(cr);
    draw_qr(cr, p->qr, MARGIN - 8, top + 8, QR_SIZE);
    double x = MARGIN + QR_SIZE + 4, w = TEXT_W - QR_SIZE - 4, y = top + 16;
    y += text_at(cr, "Κωδικός επαλήθευσης / Verification code", x, y, w, 8, 0,
                 PANGO_ALIGN_LEFT, 0.35);
    y += text_at(cr, d->code, x, y + 1, w, 13, 1, PANGO_ALIGN_LEFT, 0) + 4;
    y += text_at(cr, "Επαληθεύστε το έγγραφο στη διεύθυνση / Verify this document at:", x, y,
                 w, 8, 0, PANGO_ALIGN_LEFT, 0.35);
    y += text_at(cr, d->verify_url, x, y, w, 8.5, 0, PANGO_ALIGN_LEFT, 0) + 4;
    text_at(cr, "Ψηφιακά υπογεγραμμένο έγγραφο / Digitally signed document", x, y, w, 8, 0,
            PANGO_ALIGN_LEFT, 0.35);
    char page[32];
    snprintf(page, sizeof page, "%d", p->page);
    text_at(cr, page, MARGIN, PAGE_H - MARGIN + 6, TEXT_W, 8, 0, PANGO_ALIGN_RIGHT, 0.35);
}

/* Ends the page and starts the next one at its top margin. */
static void next_page(struct pen *p)
{
    draw_footer(p);
    cairo_show_page(p->cr);
    p->page++;
    p->y = MARGIN;
}

/* A block of text from the cursor on, line by line, going on to the next
 * page when a line would reach the footer: a paragraph longer than a page
 * is split between pages. */
static void text_block(struct pen *p, const char *text, double size, int bold,
                       PangoAlignment align, int justify, double space_after)
{
    PangoLayout *l = layout_new(p->cr, text, size, bold, TEXT_W, align, justify);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double bottom = PAGE_H - MARGIN - FOOTER_H, line_top = 0;
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        double top = (double)logical.y / PANGO_SCALE, h = (double)logical.height / PANGO_SCALE;
        if (p->y + (top - line_top) + h > bottom) {
            next_page(p);
            cairo_set_source_rgb(p->cr, 0, 0, 0);
            line_top = top; /* this line is the new page's first */
        }
        double baseline = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        cairo_move_to(p->cr, MARGIN + (double)logical.x / PANGO_SCALE,
                      p->y + (baseline - line_top));
        pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
    } while (pango_layout_iter_next_line(it));
    PangoRectangle all;
    pango_layout_get_extents(l, NULL, &all);
    p->y += (double)(all.y + all.height) / PANGO_SCALE - line_top + space_after;
    pango_layout_iter_free(it);
    g_object_unref(l);
}

/* The letterhead: the logo, the state and municipality on the left, the
 * protocol number and date on the right, a rule under them. */
static int draw_letterhead(struct pen *p, char *err, size_t errlen)
{
    cairo_t *cr = p->cr;
    const struct answer_pdf *d = p->doc;
    double x = MARGIN;
    if (d->logo_png && *d->logo_png) {
        cairo_surface_t *logo = cairo_image_surface_create_from_png(d->logo_png);
        cairo_status_t st = cairo_surface_status(logo);
        if (st != CAIRO_STATUS_SUCCESS || cairo_image_surface_get_height(logo) <= 0) {
            snprintf(err, errlen, "the letterhead logo %s: expected a readable PNG, found: %s",
                     d->logo_png, cairo_status_to_string(st));
            cairo_surface_destroy(logo);
            return -1;
        }
        double scale = LOGO_H / cairo_image_surface_get_height(logo);
        cairo_save(cr);
        cairo_translate(cr, MARGIN, MARGIN);
        cairo_scale(cr, scale, scale);
        cairo_set_source_surface(cr, logo, 0, 0);
        cairo_paint(cr);
        cairo_restore(cr);
        x += cairo_image_surface_get_width(logo) * scale + 10;
        cairo_surface_destroy(logo);
    }
    double left_w = PAGE_W - MARGIN - 190 - x, y = MARGIN;
    y += text_at(cr, "ΕΛΛΗΝΙΚΗ ΔΗΜΟΚΡΑΤΙΑ", x, y, left_w, 9, 0, PANGO_ALIGN_LEFT, 0.3);
    y += text_at(cr, d->municipality_el, x, y + 2, left_w, 14, 1, PANGO_ALIGN_LEFT, 0) + 2;
    if (d->municipality_en && *d->municipality_en)
        y += text_at(cr, d->municipality_en, x, y, left_w, 9, 0, PANGO_ALIGN_LEFT, 0.3);
    double rx = PAGE_W - MARGIN - 180, ry = MARGIN + 4;
    ry += text_at(cr, "Αρ. πρωτ. / Protocol no.", rx, ry, 180, 8, 0, PANGO_ALIGN_RIGHT, 0.35);
    ry += text_at(cr, d->protocol_number, rx, ry, 180, 12, 1, PANGO_ALIGN_RIGHT, 0) + 4;
    ry += text_at(cr, "Ημερομηνία / Date", rx, ry, 180, 8, 0, PANGO_ALIGN_RIGHT, 0.35);
    ry += text_at(cr, d->date, rx, ry, 180, 11, 0, PANGO_ALIGN_RIGHT, 0);
    y = (y > ry ? y : ry) + 8;
    if (y < MARGIN + LOGO_H + 8)
        y = MARGIN + LOGO_H + 8;
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, MARGIN, y);
    cairo_line_to(cr, PAGE_W - MARGIN, y);
    cairo_stroke(cr);
    p->y = y + 22;
    return 0;
}

/* The addressee, the title and the body. */
static void draw_letter(struct pen *p)
{
    const struct answer_pdf *d = p->doc;
    text_block(p, "Προς / To:", 8, 0, PANGO_ALIGN_LEFT, 0, 1);
    text_block(p, d->addressee, 12, 1, PANGO_ALIGN_LEFT, 0, 24);
    text_block(p, d->title, 15, 1, PANGO_ALIGN_CENTER, 0, 18);
    for (int i = 0; i < d->nparagraphs; i++)
        text_block(p, d->paragraphs[i] ? d->paragraphs[i] : "", 11, 0, PANGO_ALIGN_LEFT, 1, 9);
}

static const char *missing_field(const struct answer_pdf *d)
{
    const struct {
        const char *name, *value;
    } required[] = {
        {"municipality_el", d->municipality_el}, {"title", d->title},
        {"protocol_number", d->protocol_number}, {"date", d->date},
        {"addressee", d->addressee},             {"code", d->code},
        {"verify_url", d->verify_url},
    };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!required[i].value || !*required[i].value)
            return required[i].name;
    if (d->nparagraphs < 0 || (d->nparagraphs > 0 && !d->paragraphs))
        return "paragraphs";
    return NULL;
}

int answer_pdf_render(const struct answer_pdf *doc, struct textbuf *out, char *err,
                      size_t errlen)
{
    const char *missing = missing_field(doc);
    if (missing) {
        snprintf(err, errlen, "an answer document needs its %s, found none", missing);
        return -1;
    }
    size_t start = out->len;
    struct pen p = {.doc = doc, .page = 1};
    p.qr = QRcode_encodeString(doc->verify_url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!p.qr) {
        snprintf(err, errlen, "the QR code of %.200s could not be made", doc->verify_url);
        return -1;
    }
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(append_bytes, out, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, doc->title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, doc->municipality_el);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "polis");
    p.cr = cairo_create(s);
    int rc = draw_letterhead(&p, err, errlen);
    if (rc == 0) {
        draw_letter(&p);
        draw_footer(&p);
        cairo_show_page(p.cr);
    }
    cairo_status_t st = cairo_status(p.cr);
    cairo_destroy(p.cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    QRcode_free(p.qr);
    if (rc == 0 && (st != CAIRO_STATUS_SUCCESS || out->failed)) {
        snprintf(err, errlen, "rendering the PDF failed: %s",
                 out->failed ? "out of memory" : cairo_status_to_string(st));
        rc = -1;
    }
    if (rc != 0 && out->buf) { /* nothing of a failed document stays */
        out->len = start;
        out->buf[start] = '\0';
    }
    return rc;
}
