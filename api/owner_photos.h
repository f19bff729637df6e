/* The photo routes every owner of photos shares (report photos in
 * api/photos.c, POI photos in api/poi_photos.c): the ids of the path, the
 * upload (its check, the stored file, the row) and the download. What
 * differs between owners is a struct photo_owner; their statements have
 * the shapes of gis/photos_sql.h. The files are api/photo_store.c's. */
#ifndef POLIS_OWNER_PHOTOS_H
#define POLIS_OWNER_PHOTOS_H

#include "http/exchange.h"

struct photo_owner {
    const char *noun;       /* "report", "point of interest": in messages */
    const char *collection; /* "/api/v1/reports": a photo is collection/id/photos/n */
    const char *folder;     /* under $POLIS_VAR: the files are folder/<owner id>/ */
    int max;                /* the most photos one owner may have */
    /* After the upload check succeeded: answers 403 or 404 and returns 1
     * when the caller may not add to this owner (its columns follow
     * PHOTO_CHECK_OWNER_COLUMNS); 0 otherwise. */
    int (*refused)(struct exchange *ex, const PGresult *res);
    /* The INSERT of a photo's row (enum photo_insert_param) and how many
     * parameters it takes; insert_rest fills those from PHOTO_INSERT_P_REST. */
    const char *insert_sql;
    int insert_nparams;
    void (*insert_rest)(struct exchange *ex, const char **rest);
};

/* The directory of an owner's files: $POLIS_VAR/<folder>/<owner id>. */
const char *photo_owner_dir(struct exchange *ex, const struct photo_owner *o, long owner_id);

/* The path's owner id ("a positive integer <noun> id") and photo id (when
 * the route has {photo}) into args (enum photo_path_param of
 * gis/photos_sql.h); returns the owner id, or 0 after answering 400 (with
 * the other errors ex->query holds). */
long photo_path_ids(struct exchange *ex, const struct photo_owner *o, int with_photo,
                    const char **args);

/* POST .../{id}/photos: reads the image (answering 4xx when it is not
 * one), then runs the owner's upload check (sql, enum photo_check_col);
 * when it allows, stores the file and inserts its row: 201 with Location,
 * 409 when the owner has its max photos. */
void photo_upload(struct exchange *ex, const struct photo_owner *o, long owner_id,
                  const char *check_sql, int nparams, const char *const *args);

/* GET .../{id}/photos/{photo}: runs sql (enum photo_get_param and
 * photo_get_col) and answers the file, 404 when there is no row. */
void photo_download(struct exchange *ex, const struct photo_owner *o, const char *sql,
                    int nparams, const char *const *args);

#endif
