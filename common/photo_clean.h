/* Uploaded photos, without HTTP: what kind of image the bytes are (from
 * their magic numbers; a client's Content-Type or file name is never
 * trusted), and a copy of them without the metadata that gives a citizen's
 * location or device away:
 *   JPEG  every APP1 segment (Exif, with its GPS block, and XMP) and APP13
 *         (Photoshop/IPTC) is removed; the rest is copied segment by segment
 *         up to and including EOI (trailing bytes after EOI are dropped);
 *   PNG   eXIf, tEXt, iTXt and zTXt chunks are removed, up to IEND;
 *   WebP  EXIF and "XMP " chunks are removed, VP8X's EXIF/XMP flags cleared
 *         and the RIFF size rewritten.
 * The walk checks every length against the buffer, so a truncated or forged
 * file is refused rather than half copied. Pure C: unit-tested on crafted
 * bytes (tests/unit/test_photo_clean.c). */
#ifndef POLIS_PHOTO_CLEAN_H
#define POLIS_PHOTO_CLEAN_H

#include <stddef.h>
#include <stdint.h>

enum photo_kind { PHOTO_UNKNOWN = 0, PHOTO_JPEG, PHOTO_PNG, PHOTO_WEBP };

struct photo_info {
    enum photo_kind kind;
    long width, height; /* 0 when the header did not say */
    size_t removed;     /* metadata blocks removed */
};

/* The kind the magic bytes say, or PHOTO_UNKNOWN. */
enum photo_kind photo_sniff(const uint8_t *data, size_t len);

/* "image/jpeg", "image/png", "image/webp"; NULL for PHOTO_UNKNOWN. */
const char *photo_media_type(enum photo_kind kind);
/* "jpg", "png", "webp"; NULL for PHOTO_UNKNOWN. */
const char *photo_extension(enum photo_kind kind);

/* Writes the cleaned image into out (room for len bytes: the result is never
 * longer) and its length into *outlen. Returns 0, or -1 with a reason such as
 * "not a JPEG, PNG or WebP image" or "the JPEG is truncated" in err. */
int photo_clean(const uint8_t *data, size_t len, uint8_t *out, size_t *outlen,
                struct photo_info *info, char *err, size_t errlen);

#endif
