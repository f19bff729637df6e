/* make_glyphs: renders a TrueType font into MapLibre glyph PBFs, run at build
 * time (CMakeLists.txt) so that polis serves the map's label glyphs itself
 * (/fonts/{fontstack}/{range}.pbf, api/fonts.c) from a font Debian ships.
 *
 *   make_glyphs FONT.ttf "FONTSTACK NAME" OUT_PREFIX
 *
 * writes OUT_PREFIX.{start}-{end}.pbf for every range of 256 code points of
 * the Basic Multilingual Plane (0-255 ... 65280-65535); a range the font has
 * no glyph in is a valid, empty fontstack, so a map never gets a 404 for a
 * character it cannot draw.
 *
 * Each glyph is what MapLibre expects (the format node-fontnik set): the
 * glyph rendered at 24 px, a signed distance field of it with a 3 px border
 * (radius 8 px, the edge at 0.75 of 255), and its metrics in pixels. The
 * protobuf is written by hand; it is three messages:
 *   glyphs    { repeated fontstack stacks = 1; }
 *   fontstack { string name = 1; string range = 2; repeated glyph glyphs = 3; }
 *   glyph     { uint32 id = 1; bytes bitmap = 2; uint32 width = 3; uint32 height = 4;
 *               sint32 left = 5; sint32 top = 6; uint32 advance = 7; } */
#include <ft2build.h>
#include FT_FREETYPE_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GLYPH_PX 24     /* the size MapLibre's glyph metrics assume */
#define SDF_BUFFER 3    /* border around each bitmap, pixels */
#define SDF_RADIUS 8.0  /* distance that spans the 0..255 range */
#define SDF_CUTOFF 0.25 /* where the edge lies: 255 * (1 - cutoff) */
#define RANGE_SIZE 256
#define LAST_CODE_POINT 0xFFFF
#define FAR 1e20        /* "no edge yet" in a distance grid (finite: no inf - inf) */

/* ---- a growing byte buffer and the protobuf wire format ---- */

struct buf {
    uint8_t *p;
    size_t len, cap;
};

static void put(struct buf *b, const void *data, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *np = realloc(b->p, cap);
        if (!np) {
            fprintf(stderr, "make_glyphs: out of memory\n");
            exit(1);
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void put_varint(struct buf *b, uint64_t v)
{
    uint8_t out[10];
    size_t n = 0;
    do {
        out[n] = v & 0x7f;
        v >>= 7;
        if (v)
            out[n] |= 0x80;
        n++;
    } while (v);
    put(b, out, n);
}

enum wire_type { WIRE_VARINT = 0, WIRE_BYTES = 2 };

static void put_key(struct buf *b, unsigned field, enum wire_type t)
{
    put_varint(b, (uint64_t)field << 3 | t);
}

static void put_uint(struct buf *b, unsigned field, uint32_t v)
{
    put_key(b, field, WIRE_VARINT);
    put_varint(b, v);
}

/* sint32: ZigZag, so small negative numbers stay one byte */
static void put_sint(struct buf *b, unsigned field, int32_t v)
{
    put_key(b, field, WIRE_VARINT);
    /* in unsigned arithmetic: shifting a negative int left is undefined */
    put_varint(b, ((uint32_t)v << 1) ^ (v < 0 ? UINT32_MAX : 0u));
}

static void put_bytes(struct buf *b, unsigned field, const void *data, size_t n)
{
    put_key(b, field, WIRE_BYTES);
    put_varint(b, n);
    put(b, data, n);
}

/* ---- the signed distance field ---- */

/* Squared Euclidean distance transform of one row or column (n samples at
 * stride): f[i] becomes min over j of (i - j)^2 + f[j]. The lower envelope
 * of the parabolas rooted at each sample (Felzenszwalb & Huttenlocher). */
static void edt_1d(double *grid, size_t offset, size_t stride, size_t n, double *f, double *z,
                   size_t *v)
{
    for (size_t i = 0; i < n; i++)
        f[i] = grid[offset + i * stride];
    size_t k = 0;
    v[0] = 0;
    z[0] = -FAR;
    z[1] = FAR;
    for (size_t q = 1; q < n; q++) {
        double s;
        /* where the parabola of q overtakes the envelope's last; z[0] is
         * below any s, so k stays >= 0 */
        for (;;) {
            double r = (double)v[k], dq = (double)q;
            s = (f[q] + dq * dq - f[v[k]] - r * r) / (2 * dq - 2 * r);
            if (s > z[k])
                break;
            k--;
        }
        k++;
        v[k] = q;
        z[k] = s;
        z[k + 1] = FAR;
    }
    k = 0;
    for (size_t q = 0; q < n; q++) {
        while (z[k + 1] < (double)q)
            k++;
        double d = (double)q - (double)v[k];
        grid[offset + q * stride] = d * d + f[v[k]];
    }
}

static void edt_2d(double *grid, size_t w, size_t h)
{
    size_t n = w > h ? w : h;
    double *f = malloc(n * sizeof *f), *z = malloc((n + 1) * sizeof *z);
    size_t *v = malloc(n * sizeof *v);
    if (!f || !z || !v) {
        fprintf(stderr, "make_glyphs: out of memory\n");
        exit(1);
    }
    for (size_t x = 0; x < w; x++)
        edt_1d(grid, x, w, h, f, z, v);
    for (size_t y = 0; y < h; y++)
        edt_1d(grid, y * w, 1, w, f, z, v);
    free(f);
    free(z);
    free(v);
}

/* The SDF of an 8-bit coverage bitmap (gw x gh, pitch) into out, which is
 * (gw + 2 * SDF_BUFFER) x (gh + 2 * SDF_BUFFER). A partly covered pixel
 * counts as lying its uncovered fraction away from the edge, so the field
 * keeps the antialiasing's sub-pixel position. */
static void sdf(const uint8_t *cover, int pitch, size_t gw, size_t gh, uint8_t *out)
{
    size_t w = gw + 2 * SDF_BUFFER, h = gh + 2 * SDF_BUFFER, n = w * h;
    double *outer = malloc(n * sizeof *outer), *inner = malloc(n * sizeof *inner);
    if (!outer || !inner) {
        fprintf(stderr, "make_glyphs: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++) {
        outer[i] = FAR; /* outside the glyph: distance to it yet unknown */
        inner[i] = 0;
    }
    for (size_t y = 0; y < gh; y++)
        for (size_t x = 0; x < gw; x++) {
            double a = cover[(long)y * pitch + (long)x] / 255.0;
            size_t i = (y + SDF_BUFFER) * w + x + SDF_BUFFER;
            if (a >= 1) {
                outer[i] = 0;
                inner[i] = FAR;
            } else if (a > 0) {
                double d = 0.5 - a;
                outer[i] = d > 0 ? d * d : 0;
                inner[i] = d < 0 ? d * d : 0;
            }
        }
    edt_2d(outer, w, h);
    edt_2d(inner, w, h);
    for (size_t i = 0; i < n; i++) {
        double d = sqrt(outer[i]) - sqrt(inner[i]); /* > 0 outside */
        double value = 255.0 - 255.0 * (d / SDF_RADIUS + SDF_CUTOFF);
        out[i] = (uint8_t)(value < 0 ? 0 : value > 255 ? 255 : lround(value));
    }
    free(outer);
    free(inner);
}

/* ---- glyphs and ranges ---- */

/* Appends the glyph message of code point cp to stack, when the font has it. */
static void glyph(FT_Face face, long ascender, uint32_t cp, struct buf *stack)
{
    FT_UInt index = FT_Get_Char_Index(face, cp);
    if (!index || FT_Load_Glyph(face, index, FT_LOAD_RENDER | FT_LOAD_TARGET_NORMAL) ||
        face->glyph->bitmap.pixel_mode != FT_PIXEL_MODE_GRAY)
        return;
    const FT_Bitmap *bm = &face->glyph->bitmap;
    size_t w = bm->width, h = bm->rows;
    struct buf g = {0};
    put_uint(&g, 1, cp);
    if (w && h) {
        size_t n = (w + 2 * SDF_BUFFER) * (h + 2 * SDF_BUFFER);
        uint8_t *field = malloc(n);
        if (!field) {
            fprintf(stderr, "make_glyphs: out of memory\n");
            exit(1);
        }
        sdf(bm->buffer, bm->pitch, w, h, field);
        put_bytes(&g, 2, field, n);
        free(field);
    }
    put_uint(&g, 3, (uint32_t)w);
    put_uint(&g, 4, (uint32_t)h);
    put_sint(&g, 5, face->glyph->bitmap_left);
    /* from the top of the line box: MapLibre places glyphs from there */
    put_sint(&g, 6, (int32_t)(face->glyph->bitmap_top - ascender));
    put_uint(&g, 7, (uint32_t)((face->glyph->advance.x + 32) >> 6));
    put_bytes(stack, 3, g.p, g.len);
    free(g.p);
}

static int write_range(FT_Face face, long ascender, const char *name, uint32_t start,
                        const char *prefix)
{
    char range[32], path[4096];
    snprintf(range, sizeof range, "%u-%u", start, start + RANGE_SIZE - 1);
    if (snprintf(path, sizeof path, "%s.%s.pbf", prefix, range) >= (int)sizeof path) {
        fprintf(stderr, "make_glyphs: output path too long\n");
        return -1;
    }
    struct buf stack = {0}, out = {0};
    put_bytes(&stack, 1, name, strlen(name));
    put_bytes(&stack, 2, range, strlen(range));
    for (uint32_t cp = start; cp < start + RANGE_SIZE; cp++)
        glyph(face, ascender, cp, &stack);
    put_bytes(&out, 1, stack.p, stack.len);
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(out.p, 1, out.len, f) == out.len;
    if (f && fclose(f))
        ok = 0;
    if (!ok)
        fprintf(stderr, "make_glyphs: cannot write %s\n", path);
    free(stack.p);
    free(out.p);
    return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: make_glyphs FONT.ttf \"FONTSTACK NAME\" OUT_PREFIX\n");
        return 2;
    }
    FT_Library ft;
    FT_Face face;
    if (FT_Init_FreeType(&ft) || FT_New_Face(ft, argv[1], 0, &face)) {
        fprintf(stderr, "make_glyphs: %s: not a font FreeType can read\n", argv[1]);
        return 1;
    }
    if (FT_Set_Pixel_Sizes(face, 0, GLYPH_PX)) {
        fprintf(stderr, "make_glyphs: %s: cannot be rendered at %d px\n", argv[1], GLYPH_PX);
        return 1;
    }
    long ascender = (face->size->metrics.ascender + 32) >> 6;
    for (uint32_t start = 0; start < LAST_CODE_POINT; start += RANGE_SIZE)
        if (write_range(face, ascender, argv[2], start, argv[3]))
            return 1;
    FT_Done_Face(face);
    FT_Done_FreeType(ft);
    return 0;
}
