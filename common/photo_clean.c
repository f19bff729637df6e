#include "common/photo_clean.h"

#include <stdio.h>
#include <string.h>

static const uint8_t PNG_SIGNATURE[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

enum photo_kind photo_sniff(const uint8_t *d, size_t len)
{
    if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
        return PHOTO_JPEG;
    if (len >= 8 && !memcmp(d, PNG_SIGNATURE, 8))
        return PHOTO_PNG;
    if (len >= 12 && !memcmp(d, "RIFF", 4) && !memcmp(d + 8, "WEBP", 4))
        return PHOTO_WEBP;
    return PHOTO_UNKNOWN;
}

/* The name of each kind: its media type and file extension. */
static const struct {
    enum photo_kind kind;
    const char *media_type, *extension;
} kind_names[] = {
    {PHOTO_JPEG, "image/jpeg", "jpg"},
    {PHOTO_PNG, "image/png", "png"},
    {PHOTO_WEBP, "image/webp", "webp"},
};

static int kind_index(enum photo_kind kind)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (kind_names[i].kind == kind)
            return (int)i;
    return -1;
}

const char *photo_media_type(enum photo_kind kind)
{
    int i = kind_index(kind);
    return i < 0 ? NULL : kind_names[i].media_type;
}

const char *photo_extension(enum photo_kind kind)
{
    int i = kind_index(kind);
    return i < 0 ? NULL : kind_names[i].extension;
}

static uint32_t be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le24(const uint8_t *p)
{
    return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int fail(char *err, size_t errlen, const char *why)
{
    snprintf(err, errlen, "%s", why);
    return -1;
}

/* SOFn markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) do not. */
static int is_sof(uint8_t m)
{
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/* Segments are copied whole or not at all. After SOS the entropy-coded data
 * runs until a marker that is neither a stuffed 0xFF00 nor a restart
 * marker; it is copied as is. */
static int clean_jpeg(const uint8_t *d, size_t len, uint8_t *out, size_t *outlen,
                      struct photo_info *info, char *err, size_t errlen)
{
    size_t i = 2, o = 0;
    out[o++] = 0xFF;
    out[o++] = 0xD8;
    for (;;) {
        if (i >= len || d[i] != 0xFF)
            return fail(err, errlen, i >= len ? "the JPEG is truncated (no end-of-image marker)"
                                              : "the JPEG is damaged (a segment does not start "
                                                "with a marker)");
        while (i < len && d[i] == 0xFF) /* fill bytes */
            i++;
        if (i >= len)
            return fail(err, errlen, "the JPEG is truncated (no end-of-image marker)");
        uint8_t m = d[i++];
        if (m == 0xD9) {
            out[o++] = 0xFF;
            out[o++] = 0xD9;
            break;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
            out[o++] = 0xFF;
            out[o++] = m;
            continue;
        }
        if (m == 0x00 || m == 0xD8)
            return fail(err, errlen, "the JPEG is damaged (an unexpected marker)");
        if (i + 2 > len)
            return fail(err, errlen, "the JPEG is truncated (inside a segment header)");
        size_t seglen = be16(d + i);
        if (seglen < 2 || i + seglen > len)
            return fail(err, errlen, "the JPEG is truncated (a segment runs past the end)");
        const uint8_t *payload = d + i + 2;
        size_t plen = seglen - 2;
        if (m == 0xE1 || m == 0xED) { /* APP1: Exif, XMP; APP13: Photoshop/IPTC */
            info->removed++;
            i += seglen;
            continue;
        }
        if (is_sof(m) && plen >= 5 && !info->width) {
            info->height = (long)be16(payload + 1);
            info->width = (long)be16(payload + 3);
        }
        out[o++] = 0xFF;
        out[o++] = m;
        memcpy(out + o, d + i, seglen);
        o += seglen;
        i += seglen;
        if (m == 0xDA) { /* SOS: entropy-coded data follows */
            size_t start = i;
            while (i < len) {
                if (d[i] == 0xFF && i + 1 < len &&
                    !(d[i + 1] == 0x00 || (d[i + 1] >= 0xD0 && d[i + 1] <= 0xD7) ||
                      d[i + 1] == 0xFF))
                    break;
                i++;
            }
            if (i >= len)
                return fail(err, errlen, "the JPEG is truncated (no end-of-image marker)");
            /* fill bytes before the marker stay with the marker loop */
            size_t end = i;
            while (end > start && d[end - 1] == 0xFF)
                end--;
            memcpy(out + o, d + start, end - start);
            o += end - start;
            i = end;
        }
    }
    *outlen = o;
    return 0;
}

static int png_chunk_dropped(const uint8_t *type)
{
    return !memcmp(type, "eXIf", 4) || !memcmp(type, "tEXt", 4) || !memcmp(type, "iTXt", 4) ||
           !memcmp(type, "zTXt", 4);
}

static int clean_png(const uint8_t *d, size_t len, uint8_t *out, size_t *outlen,
                     struct photo_info *info, char *err, size_t errlen)
{
    size_t i = 8, o = 8;
    memcpy(out, d, 8);
    int first = 1;
    for (;;) {
        if (i + 12 > len)
            return fail(err, errlen, "the PNG is truncated (no IEND chunk)");
        uint32_t clen = be32(d + i);
        if (clen > 0x7FFFFFFFu || (size_t)clen > len - i - 12)
            return fail(err, errlen, "the PNG is truncated (a chunk runs past the end)");
        const uint8_t *type = d + i + 4;
        size_t total = 12 + (size_t)clen;
        if (first) {
            if (memcmp(type, "IHDR", 4) || clen != 13)
                return fail(err, errlen, "the PNG is damaged (it does not start with IHDR)");
            info->width = (long)be32(d + i + 8);
            info->height = (long)be32(d + i + 12);
            first = 0;
        }
        if (png_chunk_dropped(type)) {
            info->removed++;
        } else {
            memcpy(out + o, d + i, total);
            o += total;
        }
        i += total;
        if (!memcmp(type, "IEND", 4))
            break;
    }
    *outlen = o;
    return 0;
}

static int clean_webp(const uint8_t *d, size_t len, uint8_t *out, size_t *outlen,
                      struct photo_info *info, char *err, size_t errlen)
{
    uint32_t riff = le32(d + 4);
    if (riff < 4 || (size_t)riff > len - 8)
        return fail(err, errlen, "the WebP is truncated (the RIFF size runs past the end)");
    size_t end = 8 + (size_t)riff, i = 12, o = 12;
    size_t vp8x_at = 0;
    memcpy(out, d, 12);
    while (i < end) {
        if (i + 8 > end)
            return fail(err, errlen, "the WebP is truncated (inside a chunk header)");
        uint32_t clen = le32(d + i + 4);
        size_t padded = (size_t)clen + (clen & 1);
        if ((size_t)clen > end - i - 8 || padded > end - i - 8)
            return fail(err, errlen, "the WebP is truncated (a chunk runs past the end)");
        const uint8_t *tag = d + i, *payload = d + i + 8;
        if (!memcmp(tag, "EXIF", 4) || !memcmp(tag, "XMP ", 4)) {
            info->removed++;
            i += 8 + padded;
            continue;
        }
        if (!info->width) {
            if (!memcmp(tag, "VP8X", 4) && clen >= 10) {
                info->width = (long)le24(payload + 4) + 1;
                info->height = (long)le24(payload + 7) + 1;
            } else if (!memcmp(tag, "VP8 ", 4) && clen >= 10 && payload[3] == 0x9D &&
                       payload[4] == 0x01 && payload[5] == 0x2A) {
                info->width = (long)((payload[6] | payload[7] << 8) & 0x3FFF);
                info->height = (long)((payload[8] | payload[9] << 8) & 0x3FFF);
            } else if (!memcmp(tag, "VP8L", 4) && clen >= 5 && payload[0] == 0x2F) {
                uint32_t bits = le32(payload + 1);
                info->width = (long)(bits & 0x3FFF) + 1;
                info->height = (long)((bits >> 14) & 0x3FFF) + 1;
            }
        }
        if (!memcmp(tag, "VP8X", 4) && clen >= 1)
            vp8x_at = o;
        memcpy(out + o, d + i, 8 + padded);
        o += 8 + padded;
        i += 8 + padded;
    }
    if (o == 12) /* nothing, or nothing but the metadata removed */
        return fail(err, errlen, "the WebP is damaged (no image chunk)");
    if (vp8x_at)
        out[vp8x_at + 8] &= (uint8_t)~0x0C; /* EXIF (0x08) and XMP (0x04) flags */
    uint32_t size = (uint32_t)(o - 8);
    out[4] = (uint8_t)size;
    out[5] = (uint8_t)(size >> 8);
    out[6] = (uint8_t)(size >> 16);
    out[7] = (uint8_t)(size >> 24);
    *outlen = o;
    return 0;
}

int photo_clean(const uint8_t *data, size_t len, uint8_t *out, size_t *outlen,
                struct photo_info *info, char *err, size_t errlen)
{
    memset(info, 0, sizeof *info);
    *outlen = 0;
    info->kind = photo_sniff(data, len);
    switch (info->kind) {
    case PHOTO_JPEG:
        return clean_jpeg(data, len, out, outlen, info, err, errlen);
    case PHOTO_PNG:
        return clean_png(data, len, out, outlen, info, err, errlen);
    case PHOTO_WEBP:
        return clean_webp(data, len, out, outlen, info, err, errlen);
    default:
        return fail(err, errlen, "not a JPEG, PNG or WebP image");
    }
}
