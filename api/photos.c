/* Photos of citizen reports: upload (at most REPORT_PHOTOS_MAX per report,
 * each at most POLIS_PHOTO_MAX_MB) and download, through the routes every
 * owner of photos shares (api/owner_photos.c); the files live under
 * $POLIS_VAR/photos/<report id>/.
 *
 * POST /api/v1/reports/{id}/photos: who may add photos: the reporter
 * (signed in, or anonymous with the report's secret), staff of the report's department
 * and admins. The row is inserted only after the file is written; a file
 * whose row could not be inserted is removed.
 *
 * GET /api/v1/reports/{id}/photos/{photo} answers the bytes to whoever may
 * see the report (404 to anyone else), with ETag (the SHA-256) and
 * Cache-Control private for private categories. */
#include "gis/report_photos_sql.h"
#include "api/api.h"
#include "http/identity.h"
#include "api/owner_photos.h"
#include "api/report_access.h"
#include "http/respond.h"

/* A report the caller cannot see is missing to them (so ids do not leak);
 * one they see but may not add to is forbidden. */
static int refused(struct exchange *ex, const PGresult *res)
{
    if (PQntuples(res) == 0) {
        report_not_found(ex);
        return 1;
    }
    if (PQgetvalue(res, 0, REPORT_PHOTO_CHECK_MAY_ADD)[0] == 't')
        return 0;
    respond_problem(ex->req, 403, "/problems/forbidden", "Forbidden", NULL,
                    "only the reporter (signed in, or with its secret), staff of the report's "
                    "department and admins may add photos to report %s",
                    ex->path_params[0]);
    return 1;
}

static void insert_uploader(struct exchange *ex, const char **rest)
{
    rest[0] = ex->who.user_id ? exchange_printf(ex, "%ld", ex->who.user_id) : NULL;
}

/* noun, collection, folder, max, refused, insert_sql, insert_nparams,
 * insert_rest (struct photo_owner) */
static const struct photo_owner reports = {"report", "/api/v1/reports", "photos",
    REPORT_PHOTOS_MAX, refused, PHOTO_INSERT_SQL, REPORT_PHOTO_INSERT_NPARAMS, insert_uploader};

/* ---- POST /api/v1/reports/{id}/photos ---- */

void api_reports_photo_upload(struct exchange *ex)
{
    static const char *const allowed[] = {"secret", NULL};
    params_allow_only(&ex->query, allowed);
    const char *args[PHOTO_UPLOAD_CHECK_NPARAMS] = {
        [PHOTO_UPLOAD_CHECK_P_SECRET_DIGEST] = report_secret_digest(ex),
    };
    long id = photo_path_ids(ex, &reports, 0, args);
    if (!id)
        return;
    identity_viewer_args(ex, args + PHOTO_UPLOAD_CHECK_P_VIEWER);
    photo_upload(ex, &reports, id, PHOTO_UPLOAD_CHECK_SQL, PHOTO_UPLOAD_CHECK_NPARAMS, args);
}

/* ---- GET /api/v1/reports/{id}/photos/{photo} ---- */

void api_reports_photo_get(struct exchange *ex)
{
    static const char *const allowed[] = {"secret", NULL};
    params_allow_only(&ex->query, allowed);
    const char *args[REPORT_PHOTO_GET_NPARAMS] = {
        [REPORT_PHOTO_GET_P_SECRET_DIGEST] = report_secret_digest(ex),
    };
    if (!photo_path_ids(ex, &reports, 1, args))
        return;
    identity_viewer_args(ex, args + REPORT_PHOTO_GET_P_VIEWER);
    photo_download(ex, &reports, PHOTO_GET_SQL, REPORT_PHOTO_GET_NPARAMS, args);
}
