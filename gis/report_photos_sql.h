/* SQL on report photos (sql/011_report_photos.sql), in the shapes of
 * gis/photos_sql.h. VIEWER is the three parameters of gis/reports_sql.h
 * (user id|NULL, admin, staff departments). */
#ifndef POLIS_REPORT_PHOTOS_SQL_H
#define POLIS_REPORT_PHOTOS_SQL_H

#include "gis/photos_sql.h"

#define REPORT_PHOTOS_MAX 5

/* $1 report id, $2..$4 VIEWER, $5 secret digest|NULL. Zero rows when the
 * report does not exist for the caller; else one row, enum photo_check_col
 * and then REPORT_PHOTO_CHECK_MAY_ADD. */
extern const char PHOTO_UPLOAD_CHECK_SQL[];
enum photo_upload_check_param {
    PHOTO_UPLOAD_CHECK_P_REPORT_ID = PHOTO_P_OWNER_ID,
    PHOTO_UPLOAD_CHECK_P_VIEWER, /* the three VIEWER parameters from here */
    PHOTO_UPLOAD_CHECK_P_SECRET_DIGEST = PHOTO_UPLOAD_CHECK_P_VIEWER + 3,
    PHOTO_UPLOAD_CHECK_NPARAMS
};
enum photo_upload_check_col {
    /* boolean: reporter, staff of its department or admin */
    REPORT_PHOTO_CHECK_MAY_ADD = PHOTO_CHECK_OWNER_COLUMNS,
};

/* enum photo_insert_param, then $8 uploader user id|NULL. A trigger counts
 * the photos under a lock on the report, so concurrent uploads cannot
 * exceed REPORT_PHOTOS_MAX. */
extern const char PHOTO_INSERT_SQL[];
enum report_photo_insert_param {
    REPORT_PHOTO_INSERT_P_UPLOADER = PHOTO_INSERT_P_REST,
    REPORT_PHOTO_INSERT_NPARAMS
};

/* enum photo_get_param, then $3..$5 VIEWER, $6 secret digest|NULL; zero
 * rows when the report is not visible to the caller or has no such photo.
 * Columns: enum photo_get_col (public: the report's category is not
 * private). */
extern const char PHOTO_GET_SQL[];
enum report_photo_get_param {
    REPORT_PHOTO_GET_P_VIEWER = PHOTO_GET_P_REST, /* the three VIEWER parameters */
    REPORT_PHOTO_GET_P_SECRET_DIGEST = REPORT_PHOTO_GET_P_VIEWER + 3,
    REPORT_PHOTO_GET_NPARAMS
};

#endif
