/* Uploaded photos as files, shared by every API that takes them (report
 * photos, POI photos): reading the image out of the request, cleaning and
 * storing it off the event loop, and serving a stored one.
 *
 * Upload: the image is the raw body (any Content-Type) or the part called
 * "photo" of a multipart/form-data body; at most POLIS_PHOTO_MAX_MB. The
 * Content-Type and file name are never trusted: the bytes are sniffed
 * (common/photo_clean.h) and only JPEG, PNG and WebP are kept, stripped of
 * Exif/XMP. On a pool thread the cleaned bytes go to <dir>/<random>.<ext>
 * (a temporary name, fsync, rename, fsync of the directory); only then does
 * the caller insert its row, and it removes the file when no row could be
 * inserted. */
#ifndef POLIS_PHOTO_STORE_H
#define POLIS_PHOTO_STORE_H

#include "http/exchange.h"

#include <stdint.h>

/* What was stored; strings in the request pool. */
struct photo_stored {
    const char *path;       /* the file written */
    const char *file_name;  /* its name in dir: 32 hex digits and the extension */
    const char *media_type; /* image/jpeg, image/png, image/webp */
    const char *sha256;     /* of the cleaned bytes, hex */
    size_t bytes;
    long width, height;     /* 0 when the header did not say */
};

typedef void (*photo_stored_cb)(struct exchange *ex, const struct photo_stored *s);

/* The stored file as the six query parameters a photo row's INSERT takes
 * in this order (PHOTO_INSERT_P_FILE of gis/photos_sql.h): file name, media
 * type, bytes, sha256 hex, width|NULL, height|NULL. */
void photo_file_args(struct exchange *ex, const struct photo_stored *s, const char *out[6]);

/* The image bytes of the request (pointing into its body). Returns 0, or -1
 * after answering 400/413/415/422. */
int photo_upload_body(struct exchange *ex, const uint8_t **data, size_t *len);

/* Cleans and stores a copy of data under dir off the loop, then calls
 * stored on the loop. When the image is refused or cannot be written it
 * answers (415, 422, 503) itself and stored is not called; when the request
 * is gone first nothing is kept. */
void photo_store(struct exchange *ex, const char *dir, const uint8_t *data, size_t len,
                 photo_stored_cb stored);

/* Answers the file dir/file_name with its media type, ETag (the SHA-256),
 * the given Cache-Control, nosniff, and 304 to a matching If-None-Match;
 * the file is read off the loop. 404 when the file is missing. */
void photo_serve(struct exchange *ex, const char *dir, const char *file_name,
                 const char *media_type, const char *sha256, const char *cache_control);

/* Removes dir/file_name (a photo whose row was deleted); errors are logged. */
void photo_remove(const char *dir, const char *file_name);

#endif
