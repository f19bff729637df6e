/* Photos of citizen reports: upload (at most REPORT_PHOTOS_MAX per report,
 * each at most POLIS_PHOTO_MAX_MB) and download. Reading, cleaning, storing
 * and serving the files is api/photo_store.c's; the files live under
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
#include "api/photo_store.h"
#include "api/report_access.h"
#include "http/respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Path parameter i as a positive id, or 0 after recording an error. */
static long path_id(struct exchange *ex, int i, const char *what)
{
    long id;
    if (parse_integer(ex->path_params[i], &id) || id < 1) {
        params_error(&ex->query, i ? "photo" : "id", what, ex->path_params[i]);
        return 0;
    }
    return id;
}

static const char *photos_dir(struct exchange *ex, long report_id)
{
    return exchange_printf(ex, "%s/photos/%ld", ex->app->cfg.var_dir, report_id);
}

/* ---- POST /api/v1/reports/{id}/photos ---- */

static void stored(struct exchange *ex, const struct photo_stored *s)
{
    struct photo_upload *up = ex->handler_data;
    up->path = s->path;
    const char *args[PHOTO_INSERT_NPARAMS] = {
        [PHOTO_INSERT_P_REPORT_ID] = exchange_printf(ex, "%ld", up->owner_id),
        [PHOTO_INSERT_P_UPLOADER] =
            ex->who.user_id ? exchange_printf(ex, "%ld", ex->who.user_id) : NULL,
    };
    photo_file_args(ex, s, args + PHOTO_INSERT_P_FILE);
    exchange_query(ex, PHOTO_INSERT_SQL, PHOTO_INSERT_NPARAMS, args, photo_upload_inserted);
}

static void upload_checked(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    const struct photo_upload *up = ex->handler_data;
    if (PQntuples(res) == 0) {
        report_not_found(ex);
        return;
    }
    if (PQgetvalue(res, 0, PHOTO_UPLOAD_CHECK_MAY_ADD)[0] != 't') {
        respond_problem(ex->req, 403, "/problems/forbidden", "Forbidden", NULL,
                        "only the reporter (signed in, or with its secret), staff of the report's "
                        "department and admins may add photos to report %ld",
                        up->owner_id);
        return;
    }
    if (atol(PQgetvalue(res, 0, PHOTO_UPLOAD_CHECK_COUNT)) >= up->max) {
        photo_upload_too_many(ex, up);
        return;
    }
    photo_store(ex, photos_dir(ex, up->owner_id), up->data, up->len, stored);
}

void api_reports_photo_upload(struct exchange *ex)
{
    static const char *const allowed[] = {"secret", NULL};
    params_allow_only(&ex->query, allowed);
    long id = path_id(ex, 0, "a positive integer report id");
    const char *digest = report_secret_digest(ex);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    if (!photo_upload_begin(ex, "report", "/api/v1/reports", id, REPORT_PHOTOS_MAX))
        return;
    const char *args[PHOTO_UPLOAD_CHECK_NPARAMS] = {
        [PHOTO_UPLOAD_CHECK_P_REPORT_ID] = exchange_printf(ex, "%ld", id),
        [PHOTO_UPLOAD_CHECK_P_SECRET_DIGEST] = digest,
    };
    identity_viewer_args(ex, args + PHOTO_UPLOAD_CHECK_P_VIEWER);
    exchange_query(ex, PHOTO_UPLOAD_CHECK_SQL, PHOTO_UPLOAD_CHECK_NPARAMS, args, upload_checked);
}

/* ---- GET /api/v1/reports/{id}/photos/{photo} ---- */

static void photo_found(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQntuples(res) == 0) {
        respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                        "report %s has no photo %s (or it is not visible to you)",
                        ex->path_params[0], ex->path_params[1]);
        return;
    }
    /* private: no shared cache keeps it, and every use revalidates (the
     * caller's right to see it is checked on each request) */
    int private = PQgetvalue(res, 0, PHOTO_GET_PRIVATE)[0] == 't';
    photo_serve(ex, photos_dir(ex, atol(ex->path_params[0])),
                PQgetvalue(res, 0, PHOTO_GET_FILE_NAME), PQgetvalue(res, 0, PHOTO_GET_MEDIA_TYPE),
                PQgetvalue(res, 0, PHOTO_GET_SHA256),
                private ? "private, no-cache" : "public, max-age=86400");
}

void api_reports_photo_get(struct exchange *ex)
{
    static const char *const allowed[] = {"secret", NULL};
    params_allow_only(&ex->query, allowed);
    long id = path_id(ex, 0, "a positive integer report id");
    long photo = path_id(ex, 1, "a positive integer photo id");
    const char *digest = report_secret_digest(ex);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *args[PHOTO_GET_NPARAMS] = {
        [PHOTO_GET_P_REPORT_ID] = exchange_printf(ex, "%ld", id),
        [PHOTO_GET_P_PHOTO_ID] = exchange_printf(ex, "%ld", photo),
        [PHOTO_GET_P_SECRET_DIGEST] = digest,
    };
    identity_viewer_args(ex, args + PHOTO_GET_P_VIEWER);
    exchange_query(ex, PHOTO_GET_SQL, PHOTO_GET_NPARAMS, args, photo_found);
}
