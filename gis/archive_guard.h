/* What a compressed container really unpacks to, counted before GDAL reads
 * it: a small upload that inflates to gigabytes (a zip bomb) is refused.
 *
 * A file is a zip container when GDAL's /vsizip/ would read it as one: it
 * has an end-of-central-directory record near its end (whatever its name:
 * .zip, .kmz, .xlsx, .ods, or a zip named .geojson). Each entry the central
 * directory lists is inflated from its local header with zlib and the
 * output bytes are counted, never the sizes the archive declares (a forged
 * directory may declare a few bytes for gigabytes); entries that overlap
 * are counted once per entry, as a reader would inflate them. A gzip file
 * (magic 1f 8b) is inflated the same way. Counting stops as soon as the
 * total passes the limit, so a bomb costs at most `limit` bytes of
 * inflating (into a small buffer), never that much memory. */
#ifndef POLIS_ARCHIVE_GUARD_H
#define POLIS_ARCHIVE_GUARD_H

#include <stddef.h>

/* Checks path (a local path or a GDAL /vsimem/ name). Returns 0 when it is
 * not a container or unpacks to at most limit bytes, 1 when it unpacks to
 * more (err names the file, the limit and the entry that passed it), or -1
 * when it cannot be read or uses a compression GDAL cannot read (err says
 * which). label is the name used in messages (the file's, not the server's
 * path). */
int archive_guard_check(const char *path, const char *label, long long limit, char *err,
                        size_t errlen);

#endif
