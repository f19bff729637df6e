/* What the photo statements of every owner (report photos in
 * gis/report_photos_sql.h, POI photos in gis/pois_sql.h) have in common, so
 * that one handler (api/owner_photos.c) serves them all: their first
 * parameters, the first column of the upload check and the columns of the
 * GET. */
#ifndef POLIS_PHOTOS_SQL_H
#define POLIS_PHOTOS_SQL_H

/* The first parameters of every statement of a photo route: $1 the owner
 * id and, on routes with {photo}, $2 the photo id. */
enum photo_path_param {
    PHOTO_P_OWNER_ID,
    PHOTO_P_PHOTO_ID,
};

/* An INSERT of a photo's row: $1 owner id, $2..$7 the stored file (file
 * name, media type, bytes, sha256 hex, width|NULL, height|NULL); the
 * owner's own parameters from PHOTO_INSERT_P_REST. It answers one row
 * (the photo id), none when the owner has its most photos already. */
enum photo_insert_param {
    PHOTO_INSERT_P_FILE = PHOTO_P_OWNER_ID + 1, /* 6 slots */
    PHOTO_INSERT_P_REST = PHOTO_INSERT_P_FILE + 6
};
enum photo_insert_col {
    PHOTO_INSERT_ID,
};

/* The check before an upload: $1 the owner id, then the owner's
 * parameters. Its first column is how many photos the owner has; the
 * owner's columns (may the caller add, does it exist) follow. */
enum photo_check_col {
    PHOTO_CHECK_COUNT,
    PHOTO_CHECK_OWNER_COLUMNS
};

/* The GET of a photo: $1 owner id, $2 photo id, then the owner's
 * parameters from PHOTO_GET_P_REST. Zero rows when the caller may not see
 * it; else one row. */
enum photo_get_param {
    PHOTO_GET_P_REST = PHOTO_P_PHOTO_ID + 1
};
enum photo_get_col {
    PHOTO_GET_FILE_NAME,
    PHOTO_GET_MEDIA_TYPE,
    PHOTO_GET_SHA256, /* hex */
    PHOTO_GET_PUBLIC, /* boolean: anyone may see it (a shared cache may keep it) */
};

#endif
