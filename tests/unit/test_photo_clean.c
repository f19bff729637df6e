/* The photo cleaner (common/photo_clean.h) on crafted bytes: a JPEG with an
 * Exif GPS block and XMP comes out as the JPEG without them (still FFD8 ...
 * FFD9), a PNG loses its text and eXIf chunks, a WebP its EXIF and XMP
 * chunks (VP8X flags and RIFF size fixed); anything else, and any truncated
 * file, is refused without reading past the end. */
#include "check.h"
#include "photo_fixtures.h"
#include "common/photo_clean.h"

#include <stdlib.h>

static int clean(const uint8_t *in, size_t len, uint8_t *out, size_t *outlen,
                 struct photo_info *info, char *err)
{
    return photo_clean(in, len, out, outlen, info, err, 200);
}

static void test_sniff(void)
{
    CHECK_INT(photo_sniff(fx_jpeg, sizeof fx_jpeg), PHOTO_JPEG);
    CHECK_INT(photo_sniff(fx_png, sizeof fx_png), PHOTO_PNG);
    CHECK_INT(photo_sniff(fx_webp, sizeof fx_webp), PHOTO_WEBP);
    CHECK_INT(photo_sniff((const uint8_t *)"hello, I am a JPEG", 18), PHOTO_UNKNOWN);
    CHECK_INT(photo_sniff((const uint8_t *)"RIFF\x24\0\0\0WAVEfmt ", 16), PHOTO_UNKNOWN);
    CHECK_INT(photo_sniff((const uint8_t *)"\xff\xd8", 2), PHOTO_UNKNOWN);
    CHECK_INT(photo_sniff((const uint8_t *)"GIF89a\1\0\1\0", 10), PHOTO_UNKNOWN);
    CHECK_INT(photo_sniff(NULL, 0), PHOTO_UNKNOWN);
    CHECK_STR(photo_media_type(PHOTO_JPEG), "image/jpeg");
    CHECK_STR(photo_media_type(PHOTO_PNG), "image/png");
    CHECK_STR(photo_media_type(PHOTO_WEBP), "image/webp");
    CHECK_STR(photo_extension(PHOTO_WEBP), "webp");
    CHECK(photo_media_type(PHOTO_UNKNOWN) == NULL);
}

static void test_jpeg(void)
{
    uint8_t in[1024], out[1024];
    size_t len = fx_jpeg_with_exif(in), outlen = 0;
    struct photo_info info;
    char err[200] = "";
    CHECK(fx_contains(in, len, "Exif", 4) && fx_contains(in, len, "GPS", 3));
    CHECK_INT(clean(in, len, out, &outlen, &info, err), 0);
    CHECK_INT(info.kind, PHOTO_JPEG);
    CHECK(info.width == 2 && info.height == 2);
    CHECK_INT(info.removed, 2);
    CHECK(outlen >= 4 && out[0] == 0xFF && out[1] == 0xD8 && out[outlen - 2] == 0xFF &&
          out[outlen - 1] == 0xD9);
    CHECK(!fx_contains(out, outlen, "Exif", 4));
    CHECK(!fx_contains(out, outlen, "GPS", 3));
    CHECK(!fx_contains(out, outlen, "xmpmeta", 7));
    CHECK(fx_contains(out, outlen, "JFIF", 4)); /* APP0 stays */
    /* exactly the image without the two segments */
    CHECK(outlen == sizeof fx_jpeg && !memcmp(out, fx_jpeg, sizeof fx_jpeg));

    /* a clean JPEG comes out unchanged; trailing bytes after EOI are dropped */
    memcpy(in, fx_jpeg, sizeof fx_jpeg);
    memcpy(in + sizeof fx_jpeg, "GPS trailer", 11);
    CHECK_INT(clean(in, sizeof fx_jpeg + 11, out, &outlen, &info, err), 0);
    CHECK_INT(info.removed, 0);
    CHECK(outlen == sizeof fx_jpeg && !memcmp(out, fx_jpeg, sizeof fx_jpeg));

    /* fill bytes before a marker are allowed */
    size_t n = 0;
    memcpy(in, fx_jpeg, 20);
    n = 20;
    in[n++] = 0xFF;
    memcpy(in + n, fx_jpeg + 20, sizeof fx_jpeg - 20);
    n += sizeof fx_jpeg - 20;
    CHECK_INT(clean(in, n, out, &outlen, &info, err), 0);
    CHECK(outlen == sizeof fx_jpeg && !memcmp(out, fx_jpeg, sizeof fx_jpeg));
}

/* Entropy-coded data with stuffed FF00, restart markers and a second scan
 * (as in progressive JPEGs) is copied as is; an Exif APP1 between the scans
 * still goes. */
static void test_jpeg_scans(void)
{
    static const uint8_t sos[] = {0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00};
    static const uint8_t data1[] = {0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD1, 0x78};
    static const uint8_t exif[] = {0xFF, 0xE1, 0x00, 0x0B, 'E', 'x', 'i', 'f', 0, 0, 'G', 'P', 'S'};
    static const uint8_t data2[] = {0x9A, 0xFF, 0x00, 0xBC};
    uint8_t in[512], want[512], out[512];
    size_t n = 0, m = 0, outlen;
    /* SOI + everything up to (not including) the original SOS */
    size_t head = sizeof fx_jpeg - 19;
    memcpy(in, fx_jpeg, head);
    n = head;
    memcpy(in + n, sos, sizeof sos), n += sizeof sos;
    memcpy(in + n, data1, sizeof data1), n += sizeof data1;
    memcpy(want, in, n);
    m = n;
    memcpy(in + n, exif, sizeof exif), n += sizeof exif;
    memcpy(in + n, sos, sizeof sos), n += sizeof sos;
    memcpy(want + m, sos, sizeof sos), m += sizeof sos;
    memcpy(in + n, data2, sizeof data2), n += sizeof data2;
    memcpy(want + m, data2, sizeof data2), m += sizeof data2;
    in[n++] = 0xFF, in[n++] = 0xFF, in[n++] = 0xD9; /* a fill byte before EOI */
    want[m++] = 0xFF, want[m++] = 0xD9;
    struct photo_info info;
    char err[200] = "";
    CHECK_INT(clean(in, n, out, &outlen, &info, err), 0);
    CHECK_INT(info.removed, 1);
    CHECK(outlen == m && !memcmp(out, want, m));
    CHECK(!fx_contains(out, outlen, "GPS", 3));
}

static void test_jpeg_damaged(void)
{
    uint8_t in[1024], out[1024];
    size_t len = fx_jpeg_with_exif(in), outlen;
    struct photo_info info;
    char err[200] = "";
    /* every truncation is refused, never read past the end */
    int refused = 0;
    for (size_t cut = 3; cut < len; cut++) {
        uint8_t *copy = malloc(cut);
        memcpy(copy, in, cut);
        refused += clean(copy, cut, out, &outlen, &info, err) != 0;
        free(copy);
    }
    CHECK(refused == (int)(len - 3));
    CHECK(strstr(err, "truncated") != NULL);
    /* a segment length running past the end */
    memcpy(in, fx_jpeg, sizeof fx_jpeg);
    in[4] = 0x7F;
    CHECK_INT(clean(in, sizeof fx_jpeg, out, &outlen, &info, err), -1);
    CHECK(strstr(err, "JPEG") != NULL);
    /* a segment length below 2 */
    memcpy(in, fx_jpeg, sizeof fx_jpeg);
    in[4] = 0;
    in[5] = 1;
    CHECK_INT(clean(in, sizeof fx_jpeg, out, &outlen, &info, err), -1);
    /* garbage where a marker should be */
    memcpy(in, fx_jpeg, sizeof fx_jpeg);
    in[20] = 0x12;
    CHECK_INT(clean(in, sizeof fx_jpeg, out, &outlen, &info, err), -1);
}

static void test_png(void)
{
    uint8_t in[1024], out[1024];
    size_t len = fx_png_with_metadata(in), outlen;
    struct photo_info info;
    char err[200] = "";
    CHECK(fx_contains(in, len, "GPS", 3));
    CHECK_INT(clean(in, len, out, &outlen, &info, err), 0);
    CHECK(info.kind == PHOTO_PNG && info.width == 2 && info.height == 2);
    CHECK_INT(info.removed, 3);
    CHECK(!fx_contains(out, outlen, "GPS", 3));
    CHECK(!fx_contains(out, outlen, "tEXt", 4) && !fx_contains(out, outlen, "eXIf", 4) &&
          !fx_contains(out, outlen, "iTXt", 4));
    CHECK(outlen == sizeof fx_png && !memcmp(out, fx_png, sizeof fx_png));
    int refused = 0;
    for (size_t cut = 8; cut < len; cut++)
        refused += clean(in, cut, out, &outlen, &info, err) != 0;
    CHECK(refused == (int)(len - 8));
    /* a chunk length of 2^31 and more */
    memcpy(in, fx_png, sizeof fx_png);
    in[33] = 0x80;
    CHECK_INT(clean(in, sizeof fx_png, out, &outlen, &info, err), -1);
    /* the first chunk must be IHDR */
    memcpy(in, fx_png, sizeof fx_png);
    in[12] = 'X';
    CHECK_INT(clean(in, sizeof fx_png, out, &outlen, &info, err), -1);
}

static void test_webp(void)
{
    uint8_t in[1024], out[1024];
    size_t len = fx_webp_with_metadata(in), outlen;
    struct photo_info info;
    char err[200] = "";
    CHECK(fx_contains(in, len, "GPS", 3) && fx_contains(in, len, "EXIF", 4));
    CHECK_INT(clean(in, len, out, &outlen, &info, err), 0);
    CHECK(info.kind == PHOTO_WEBP && info.width == 2 && info.height == 2);
    CHECK_INT(info.removed, 2);
    CHECK(!fx_contains(out, outlen, "GPS", 3));
    CHECK(!fx_contains(out, outlen, "EXIF", 4) && !fx_contains(out, outlen, "XMP ", 4));
    CHECK(fx_contains(out, outlen, "VP8X", 4) && fx_contains(out, outlen, "VP8 ", 4));
    CHECK(outlen == 12 + 18 + sizeof fx_webp - 12);
    CHECK((size_t)(out[4] | out[5] << 8 | out[6] << 16 | (uint32_t)out[7] << 24) == outlen - 8);
    CHECK_INT((out[20] & 0x0C), 0); /* VP8X flags: no EXIF, no XMP */
    /* the plain WebP: unchanged, size read from its VP8 frame header */
    CHECK_INT(clean(fx_webp, sizeof fx_webp, out, &outlen, &info, err), 0);
    CHECK(info.width == 2 && info.height == 2 && info.removed == 0);
    CHECK(outlen == sizeof fx_webp && !memcmp(out, fx_webp, sizeof fx_webp));
    int refused = 0;
    for (size_t cut = 12; cut < len; cut++)
        refused += clean(in, cut, out, &outlen, &info, err) != 0;
    CHECK(refused == (int)(len - 12));
    /* nothing but metadata (found by tests/fuzz/fuzz_photo_clean.c): once the
     * XMP chunk is gone no image is left, so it is refused, not stored as an
     * empty WebP */
    uint8_t meta[64] = "RIFF\0\0\0\0WEBP";
    size_t mlen = 12 + fx_riff_chunk(meta + 12, "XMP ", (const uint8_t *)"<x:xmpmeta/>", 12);
    meta[4] = (uint8_t)(mlen - 8);
    CHECK(clean(meta, mlen, out, &outlen, &info, err) == -1);
    CHECK_STR(err, "the WebP is damaged (no image chunk)");
}

static void test_not_an_image(void)
{
    const char *text = "this is not a photo, whatever its name (.jpg) says";
    uint8_t out[128];
    size_t outlen;
    struct photo_info info;
    char err[200] = "";
    CHECK_INT(clean((const uint8_t *)text, strlen(text), out, &outlen, &info, err), -1);
    CHECK_STR(err, "not a JPEG, PNG or WebP image");
    CHECK_INT(info.kind, PHOTO_UNKNOWN);
}

int main(void)
{
    test_sniff();
    test_jpeg();
    test_jpeg_scans();
    test_jpeg_damaged();
    test_png();
    test_webp();
    test_not_an_image();
    return check_summary();
}
