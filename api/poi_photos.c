/* Photos of points of interest: the same rules as report photos (the
 * bytes are sniffed and cleaned of Exif/XMP, written and fsynced before the
 * row; api/photo_store.c does it for both), at most POI_PHOTOS_MAX per
 * POI. The tourism office and admins add and delete them (each audited);
 * anyone sees the photos of a published POI, editors those of the others.
 * Files: $POLIS_VAR/poi-photos/<poi id>/. */
#include "gis/pois_sql.h"
#include "api/actor.h"
#include "api/api.h"
#include "api/photo_store.h"
#include "api/poi_access.h"
#include "http/respond.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- POST /api/v1/pois/{id}/photos ---- */

static void stored(struct exchange *ex, const struct photo_stored *s)
{
    struct photo_upload *up = ex->handler_data;
    up->path = s->path;
    const char *args[POI_PHOTO_INSERT_NPARAMS] = {
        [POI_PHOTO_INSERT_P_POI_ID] = exchange_printf(ex, "%ld", up->owner_id),
    };
    photo_file_args(ex, s, args + POI_PHOTO_INSERT_P_FILE);
    actor_args(ex, args + POI_PHOTO_INSERT_P_ACTOR);
    exchange_query_prepared(ex, POI_PHOTO_INSERT_SQL, POI_PHOTO_INSERT_NPARAMS, args,
                          photo_upload_inserted);
}

static void upload_checked(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    const struct photo_upload *up = ex->handler_data;
    if (PQgetvalue(res, 0, POI_PHOTO_CHECK_EDITOR)[0] != 't') {
        poi_forbidden(ex);
        return;
    }
    if (PQgetvalue(res, 0, POI_PHOTO_CHECK_FOUND)[0] != 't') {
        poi_not_found(ex);
        return;
    }
    if (atol(PQgetvalue(res, 0, POI_PHOTO_CHECK_COUNT)) >= up->max) {
        photo_upload_too_many(ex, up);
        return;
    }
    photo_store(ex, poi_photos_dir(ex, up->owner_id), up->data, up->len, stored);
}

void api_pois_photo_upload(struct exchange *ex)
{
    static const char *const allowed[] = {NULL};
    params_allow_only(&ex->query, allowed);
    long id = poi_path_id(ex, 0, "id");
    if (respond_params_problem(ex->req, &ex->query))
        return;
    if (!photo_upload_begin(ex, "point of interest", "/api/v1/pois", id, POI_PHOTOS_MAX))
        return;
    const char *args[POI_PHOTO_CHECK_NPARAMS] = {
        [POI_PHOTO_CHECK_P_POI_ID] = exchange_printf(ex, "%ld", id),
    };
    poi_editor_args(ex, args + POI_PHOTO_CHECK_P_EDITOR);
    exchange_query_prepared(ex, POI_PHOTO_CHECK_SQL, POI_PHOTO_CHECK_NPARAMS, args, upload_checked);
}

/* ---- GET /api/v1/pois/{id}/photos/{photo} ---- */

static void photo_found(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "point of interest %s has no photo %s (or it is not published)",
                        ex->path_params[0], ex->path_params[1]);
        return;
    }
    /* the photos of drafts are for editors only: no shared cache keeps them
     * (a published POI's photo may be cached by anyone) */
    photo_serve(ex, poi_photos_dir(ex, atol(ex->path_params[0])),
                PQgetvalue(res, 0, POI_PHOTO_GET_FILE_NAME),
                PQgetvalue(res, 0, POI_PHOTO_GET_MEDIA_TYPE),
                PQgetvalue(res, 0, POI_PHOTO_GET_SHA256),
                PQgetvalue(res, 0, POI_PHOTO_GET_PUBLISHED)[0] == 't' ? "public, max-age=86400"
                                                                      : "private, no-cache");
}

/* Path parameters id and photo as the query's POI_PHOTO_P_POI_ID and
 * POI_PHOTO_P_PHOTO_ID; -1 after answering 400. */
static int ids(struct exchange *ex, const char **args)
{
    static const char *const allowed[] = {NULL};
    params_allow_only(&ex->query, allowed);
    long id = poi_path_id(ex, 0, "id");
    long photo = poi_path_id(ex, 1, "photo");
    if (respond_params_problem(ex->req, &ex->query))
        return -1;
    args[POI_PHOTO_P_POI_ID] = exchange_printf(ex, "%ld", id);
    args[POI_PHOTO_P_PHOTO_ID] = exchange_printf(ex, "%ld", photo);
    return 0;
}

void api_pois_photo_get(struct exchange *ex)
{
    const char *args[POI_PHOTO_GET_NPARAMS];
    if (ids(ex, args))
        return;
    poi_editor_args(ex, args + POI_PHOTO_P_EDITOR);
    exchange_query_prepared(ex, POI_PHOTO_GET_SQL, POI_PHOTO_GET_NPARAMS, args, photo_found);
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
    photo_remove(poi_photos_dir(ex, atol(ex->path_params[0])),
                 PQgetvalue(res, 0, POI_PHOTO_DELETE_FILE_NAME));
    respond_bytes(ex->req, 204, CT_JSON, "", 0);
}

void api_pois_photo_delete(struct exchange *ex)
{
    const char *args[POI_PHOTO_DELETE_NPARAMS];
    if (ids(ex, args))
        return;
    poi_editor_args(ex, args + POI_PHOTO_P_EDITOR);
    actor_args(ex, args + POI_PHOTO_P_ACTOR);
    exchange_query_prepared(ex, POI_PHOTO_DELETE_SQL, POI_PHOTO_DELETE_NPARAMS, args, deleted);
}
