/* SQL on report photos (sql/011_report_photos.sql). VIEWER is the three
 * parameters of gis/reports_sql.h (user id|NULL, admin, staff departments). */
#ifndef POLIS_REPORT_PHOTOS_SQL_H
#define POLIS_REPORT_PHOTOS_SQL_H

#define REPORT_PHOTOS_MAX 5

/* $1 report id, $2..$4 VIEWER, $5 secret digest|NULL. Zero rows when the
 * report does not exist for the caller; else one row. */
extern const char PHOTO_UPLOAD_CHECK_SQL[];
enum photo_upload_check_param {
    PHOTO_UPLOAD_CHECK_P_REPORT_ID,
    PHOTO_UPLOAD_CHECK_P_VIEWER, /* the three VIEWER parameters from here */
    PHOTO_UPLOAD_CHECK_P_SECRET_DIGEST = PHOTO_UPLOAD_CHECK_P_VIEWER + 3,
    PHOTO_UPLOAD_CHECK_NPARAMS
};
enum photo_upload_check_col {
    PHOTO_UPLOAD_CHECK_MAY_ADD, /* boolean: reporter, staff of its department or admin */
    PHOTO_UPLOAD_CHECK_COUNT,   /* photos it has */
};

/* $1 report id, $2 file name, $3 media type, $4 bytes, $5 sha256 (hex),
 * $6 width|NULL, $7 height|NULL, $8 uploader user id|NULL. Zero rows when
 * the report already has REPORT_PHOTOS_MAX photos (a trigger counts them
 * under a lock on the report, so concurrent uploads cannot exceed it) or is
 * gone; else one row, enum photo_inserted_col (api/photo_store.h). */
extern const char PHOTO_INSERT_SQL[];
enum photo_insert_param {
    PHOTO_INSERT_P_REPORT_ID,
    PHOTO_INSERT_P_FILE, /* the six parameters of the stored file from here */
    PHOTO_INSERT_P_UPLOADER = PHOTO_INSERT_P_FILE + 6,
    PHOTO_INSERT_NPARAMS
};

/* $1 report id, $2 photo id, $3..$5 VIEWER, $6 secret digest|NULL. Zero
 * rows when the report is not visible to the caller or has no such photo;
 * else one row. */
extern const char PHOTO_GET_SQL[];
enum photo_get_param {
    PHOTO_GET_P_REPORT_ID,
    PHOTO_GET_P_PHOTO_ID,
    PHOTO_GET_P_VIEWER, /* the three VIEWER parameters from here */
    PHOTO_GET_P_SECRET_DIGEST = PHOTO_GET_P_VIEWER + 3,
    PHOTO_GET_NPARAMS
};
enum photo_get_col {
    PHOTO_GET_FILE_NAME,
    PHOTO_GET_MEDIA_TYPE,
    PHOTO_GET_SHA256, /* hex */
    PHOTO_GET_PRIVATE, /* boolean: the report's category is private */
};

#endif
