/* Photos of points of interest: the same rules as report photos (the
 * bytes are sniffed and cleaned of Exif/XMP, written and fsynced before the
 * row; api/owner_photos.c serves both), at most POI_PHOTOS_MAX per POI.
 * The tourism office and admins add and delete them (each audited); anyone
 * sees the photos of a published POI, editors those of the others.
 * Files: $POLIS_VAR/poi-photos/<poi id>/. */
#include "gis/pois_sql.h"
#include "api/actor.h"
#include "api/api.h"
#include "api/owner_photos.h"
#include "api/photo_store.h"
#include "api/poi_access.h"
#include "api/row_refusal.h"
#include "http/respond.h"

#include <stdlib.h>

/* Only editors add photos (403 to anyone else, whether the POI exists or
 * not); 404 to an editor when the POI does not exist. */
static int refused(struct exchange *ex, const PGresult *res)
{
    return row_refused_or_missing(ex, res, POI_PHOTO_CHECK_EDITOR, POI_PHOTO_CHECK_FOUND,
                                  poi_forbidden, poi_not_found);
}

static void insert_actor(struct exchange *ex, const char **rest)
{
    actor_args(ex, rest + (POI_PHOTO_INSERT_P_ACTOR - PHOTO_INSERT_P_REST));
}

/* as the reports' in api/photos.c */
static const struct photo_owner pois = {"point of interest", "/api/v1/pois", "poi-photos",
    POI_PHOTOS_MAX, refused, POI_PHOTO_INSERT_SQL, POI_PHOTO_INSERT_NPARAMS, insert_actor};

/* Path ids into args (enum poi_photo_param) with EDITOR; 0 after answering
 * 400. */
static long path_ids(struct exchange *ex, int with_photo, const char **args)
{
    static const char *const allowed[] = {NULL};
    params_allow_only(&ex->query, allowed);
    long id = photo_path_ids(ex, &pois, with_photo, args);
    if (id)
        poi_editor_args(ex, args + (with_photo ? POI_PHOTO_P_EDITOR : POI_PHOTO_CHECK_P_EDITOR));
    return id;
}

/* ---- POST /api/v1/pois/{id}/photos ---- */

void api_pois_photo_upload(struct exchange *ex)
{
    const char *args[POI_PHOTO_CHECK_NPARAMS];
    long id = path_ids(ex, 0, args);
    if (id)
        photo_upload(ex, &pois, id, POI_PHOTO_CHECK_SQL, POI_PHOTO_CHECK_NPARAMS, args);
}

/* ---- GET /api/v1/pois/{id}/photos/{photo} ---- */

void api_pois_photo_get(struct exchange *ex)
{
    const char *args[POI_PHOTO_GET_NPARAMS];
    if (path_ids(ex, 1, args))
        photo_download(ex, &pois, POI_PHOTO_GET_SQL, POI_PHOTO_GET_NPARAMS, args);
}

/* ---- DELETE /api/v1/pois/{id}/photos/{photo} ---- */

static void deleted(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQgetvalue(res, 0, POI_PHOTO_DELETE_EDITOR)[0] != 't') {
        poi_forbidden(ex);
        return;
    }
    if (PQgetisnull(res, 0, POI_PHOTO_DELETE_FILE_NAME)) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "point of interest %s has no photo %s", ex->path_params[0],
                        ex->path_params[1]);
        return;
    }
    /* the row is gone (committed): now the file; a leftover file would only
     * take space, never be served */
    photo_remove(photo_owner_dir(ex, &pois, atol(ex->path_params[0])),
                 PQgetvalue(res, 0, POI_PHOTO_DELETE_FILE_NAME));
    respond_bytes(ex->req, 204, CT_JSON, "", 0);
}

void api_pois_photo_delete(struct exchange *ex)
{
    const char *args[POI_PHOTO_DELETE_NPARAMS];
    if (!path_ids(ex, 1, args))
        return;
    actor_args(ex, args + POI_PHOTO_P_ACTOR);
    exchange_query_prepared(ex, POI_PHOTO_DELETE_SQL, POI_PHOTO_DELETE_NPARAMS, args, deleted);
}
