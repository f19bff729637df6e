/* Tiny real images for the photo tests (made with gdal_translate from a 2x2
 * raster), and builders that add the metadata polis must strip: an Exif
 * APP1 with a GPS block and an XMP APP1 for JPEG, tEXt and eXIf chunks for
 * PNG, EXIF and XMP chunks (VP8X flags set) for WebP. Shared by
 * tests/unit/test_photo_clean.c and tests/http/test_report_photos.c. */
#ifndef POLIS_TEST_PHOTO_FIXTURES_H
#define POLIS_TEST_PHOTO_FIXTURES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* CRC-32 of PNG chunks (ISO 3309), bit by bit: no zlib needed. */
static inline uint32_t fx_crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

static const uint8_t fx_jpeg[] = {
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01,
  0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43,
  0x00, 0x10, 0x0b, 0x0c, 0x0e, 0x0c, 0x0a, 0x10, 0x0e, 0x0d, 0x0e, 0x12,
  0x11, 0x10, 0x13, 0x18, 0x28, 0x1a, 0x18, 0x16, 0x16, 0x18, 0x31, 0x23,
  0x25, 0x1d, 0x28, 0x3a, 0x33, 0x3d, 0x3c, 0x39, 0x33, 0x38, 0x37, 0x40,
  0x48, 0x5c, 0x4e, 0x40, 0x44, 0x57, 0x45, 0x37, 0x38, 0x50, 0x6d, 0x51,
  0x57, 0x5f, 0x62, 0x67, 0x68, 0x67, 0x3e, 0x4d, 0x71, 0x79, 0x70, 0x64,
  0x78, 0x5c, 0x65, 0x67, 0x63, 0xff, 0xdb, 0x00, 0x43, 0x01, 0x11, 0x12,
  0x12, 0x18, 0x15, 0x18, 0x2f, 0x1a, 0x1a, 0x2f, 0x63, 0x42, 0x38, 0x42,
  0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63,
  0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63,
  0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63,
  0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63,
  0x63, 0x63, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x02, 0x00, 0x02, 0x03,
  0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xc4, 0x00,
  0x15, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0xff, 0xc4, 0x00, 0x14,
  0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xc4, 0x00, 0x14, 0x01, 0x01,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0xff, 0xc4, 0x00, 0x14, 0x11, 0x01, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03,
  0x11, 0x00, 0x3f, 0x00, 0xa4, 0x00, 0x1f, 0xff, 0xd9

};

static const uint8_t fx_png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd,
    0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00, 0x16, 0x49, 0x44, 0x41, 0x54, 0x08, 0x99, 0x63, 0x3c,
    0x71, 0xe2, 0x04, 0x03, 0x03, 0x03, 0x13, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x00, 0x1c,
    0x4a, 0x02, 0x5c, 0x14, 0x9d, 0x8e, 0x58, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82};

/* A simple (lossy, VP8) WebP. */
static const uint8_t fx_webp[] = {
    0x52, 0x49, 0x46, 0x46, 0x24, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56,
    0x50, 0x38, 0x20, 0x18, 0x00, 0x00, 0x00, 0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a,
    0x02, 0x00, 0x02, 0x00, 0x02, 0x00, 0x34, 0x25, 0xa4, 0x00, 0x03, 0x70, 0x00,
    0xfe, 0xf4, 0x66, 0x00, 0x00};

/* A big-endian TIFF (the body of Exif) with IFD0 -> GPS IFD holding
 * GPSLatitudeRef "N" and GPSLatitude 41/1 5/1 30/1, then the text
 * "GPS 41.0917N 23.5494E" so a test can look for it in the bytes. */
static inline size_t fx_tiff_gps(uint8_t *o)
{
    static const uint8_t tiff[] = {
        'M', 'M', 0, 42, 0, 0, 0, 8,
        /* IFD0 at 8: one entry, GPSInfo (0x8825) LONG 1 -> 26 */
        0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0,
        /* GPS IFD at 26: two entries */
        0, 2, 0, 1, 0, 2, 0, 0, 0, 2, 'N', 0, 0, 0,
        0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 56, 0, 0, 0, 0,
        /* rationals at 56 */
        0, 0, 0, 41, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 30, 0, 0, 0, 1};
    static const char text[] = "GPS 41.0917N 23.5494E";
    memcpy(o, tiff, sizeof tiff);
    memcpy(o + sizeof tiff, text, sizeof text - 1);
    return sizeof tiff + sizeof text - 1;
}

static const char fx_xmp[] = "http://ns.adobe.com/xap/1.0/";
static const char fx_xmp_body[] =
    "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF><rdf:Description "
    "exif:GPSLatitude='41,5.5N' exif:GPSLongitude='23,32.9E'/></rdf:RDF></x:xmpmeta>";

/* fx_jpeg with an Exif APP1 (GPS) and an XMP APP1 after its APP0. out needs
 * 1024 bytes. */
static inline size_t fx_jpeg_with_exif(uint8_t *out)
{
    size_t o = 0;
    memcpy(out, fx_jpeg, 20); /* SOI + APP0 JFIF */
    o = 20;
    uint8_t seg[512];
    size_t n = 0;
    memcpy(seg, "Exif\0\0", 6);
    n = 6 + fx_tiff_gps(seg + 6);
    out[o++] = 0xFF;
    out[o++] = 0xE1;
    out[o++] = (uint8_t)((n + 2) >> 8);
    out[o++] = (uint8_t)(n + 2);
    memcpy(out + o, seg, n);
    o += n;
    n = sizeof fx_xmp + sizeof fx_xmp_body - 1; /* namespace with its NUL, then the packet */
    out[o++] = 0xFF;
    out[o++] = 0xE1;
    out[o++] = (uint8_t)((n + 2) >> 8);
    out[o++] = (uint8_t)(n + 2);
    memcpy(out + o, fx_xmp, sizeof fx_xmp);
    memcpy(out + o + sizeof fx_xmp, fx_xmp_body, sizeof fx_xmp_body - 1);
    o += n;
    memcpy(out + o, fx_jpeg + 20, sizeof fx_jpeg - 20);
    return o + sizeof fx_jpeg - 20;
}

static inline size_t fx_png_chunk(uint8_t *o, const char *type, const uint8_t *data, size_t n)
{
    o[0] = (uint8_t)(n >> 24);
    o[1] = (uint8_t)(n >> 16);
    o[2] = (uint8_t)(n >> 8);
    o[3] = (uint8_t)n;
    memcpy(o + 4, type, 4);
    memcpy(o + 8, data, n);
    uint32_t crc = fx_crc32(o + 4, n + 4);
    o[8 + n] = (uint8_t)(crc >> 24);
    o[9 + n] = (uint8_t)(crc >> 16);
    o[10 + n] = (uint8_t)(crc >> 8);
    o[11 + n] = (uint8_t)crc;
    return n + 12;
}

/* fx_png with tEXt, eXIf and iTXt chunks after IHDR. out needs 1024 bytes. */
static inline size_t fx_png_with_metadata(uint8_t *out)
{
    size_t o = 33; /* signature + IHDR */
    memcpy(out, fx_png, o);
    static const char text[] = "Comment\0GPS 41.0917N 23.5494E";
    o += fx_png_chunk(out + o, "tEXt", (const uint8_t *)text, sizeof text - 1);
    uint8_t tiff[256];
    size_t n = fx_tiff_gps(tiff);
    o += fx_png_chunk(out + o, "eXIf", tiff, n);
    static const char itxt[] = "XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>GPS</x:xmpmeta>";
    o += fx_png_chunk(out + o, "iTXt", (const uint8_t *)itxt, sizeof itxt - 1);
    memcpy(out + o, fx_png + 33, sizeof fx_png - 33);
    return o + sizeof fx_png - 33;
}

static inline size_t fx_riff_chunk(uint8_t *o, const char *tag, const uint8_t *data, size_t n)
{
    memcpy(o, tag, 4);
    o[4] = (uint8_t)n;
    o[5] = (uint8_t)(n >> 8);
    o[6] = (uint8_t)(n >> 16);
    o[7] = (uint8_t)(n >> 24);
    memcpy(o + 8, data, n);
    if (n & 1)
        o[8 + n++] = 0;
    return 8 + n;
}

/* An extended WebP: VP8X (EXIF and XMP flags set), the VP8 image of
 * fx_webp, an EXIF chunk (odd length: padded) and an XMP chunk. out needs
 * 1024 bytes. */
static inline size_t fx_webp_with_metadata(uint8_t *out)
{
    size_t o = 12;
    memcpy(out, "RIFF\0\0\0\0WEBP", 12);
    const uint8_t vp8x[10] = {0x0C, 0, 0, 0, 1, 0, 0, 1, 0, 0}; /* 2x2 */
    o += fx_riff_chunk(out + o, "VP8X", vp8x, sizeof vp8x);
    memcpy(out + o, fx_webp + 12, sizeof fx_webp - 12);
    o += sizeof fx_webp - 12;
    uint8_t tiff[256];
    size_t n = fx_tiff_gps(tiff);
    tiff[n++] = '!'; /* make it odd */
    if (!(n & 1))
        tiff[n++] = '!';
    o += fx_riff_chunk(out + o, "EXIF", tiff, n);
    o += fx_riff_chunk(out + o, "XMP ", (const uint8_t *)fx_xmp_body, sizeof fx_xmp_body - 1);
    uint32_t size = (uint32_t)(o - 8);
    out[4] = (uint8_t)size;
    out[5] = (uint8_t)(size >> 8);
    out[6] = (uint8_t)(size >> 16);
    out[7] = (uint8_t)(size >> 24);
    return o;
}

/* 1 when needle (n bytes) occurs in hay. */
static inline int fx_contains(const uint8_t *hay, size_t len, const void *needle, size_t n)
{
    for (size_t i = 0; n <= len && i + n <= len; i++)
        if (!memcmp(hay + i, needle, n))
            return 1;
    return 0;
}

#endif
