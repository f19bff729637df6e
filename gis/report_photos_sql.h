/* SQL on report photos (sql/011_report_photos.sql). VIEWER is the three
 * parameters of gis/reports_sql.h (user id|NULL, admin, staff departments). */
#ifndef POLIS_REPORT_PHOTOS_SQL_H
#define POLIS_REPORT_PHOTOS_SQL_H

#define REPORT_PHOTOS_MAX 5

/* $1 report id, $2..$4 VIEWER, $5 secret digest|NULL. Zero rows when the
 * report does not exist for the caller; else (may add photos: reporter,
 * staff of its department or admin; photos it has). */
extern const char PHOTO_UPLOAD_CHECK_SQL[];

/* $1 report id, $2 file name, $3 media type, $4 bytes, $5 sha256 (hex),
 * $6 width|NULL, $7 height|NULL, $8 uploader user id|NULL. Zero rows when
 * the report already has REPORT_PHOTOS_MAX photos (a trigger counts them
 * under a lock on the report, so concurrent uploads cannot exceed it) or is
 * gone; else (id). */
extern const char PHOTO_INSERT_SQL[];

/* $1 report id, $2 photo id, $3..$5 VIEWER, $6 secret digest|NULL. Zero
 * rows when the report is not visible to the caller or has no such photo;
 * else (file name, media type, sha256 hex, private category). */
extern const char PHOTO_GET_SQL[];

#endif
