/* Photos of citizen reports: upload (at most REPORT_PHOTOS_MAX per report,
 * each at most POLIS_PHOTO_MAX_MB) and download. Reading, cleaning, storing
 * and serving the files is server/photo_store.c's; the files live under
 * $POLIS_VAR/photos/<report id>/.
 *
 * POST /api/v1/reports/{id}/photos: who may add photos: the reporter
 * (signed in, or anonymous with ?secret=), staff of the report's department
 * and admins. The row is inserted only after the file is written; a file
 * whose row could not be inserted is removed.
 *
 * GET /api/v1/reports/{id}/photos/{photo} answers the bytes to whoever may
 * see the report (404 to anyone else), with ETag (the SHA-256) and
 * Cache-Control private for private categories. */
#include "gis/report_photos_sql.h"
#include "server/api.h"
#include "server/identity.h"
#include "server/photo_store.h"
#include "server/report_access.h"
#include "server/respond.h"

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

struct upload_state {
    long report_id;
    const uint8_t *data; /* into the request body */
    size_t len;
    const char *path;    /* the written file, to remove when the row is not inserted */
};

static void too_many(struct exchange *ex, long report_id)
{
    respond_problem(ex->req, 409, "/problems/too-many-photos", "Conflict", NULL,
                    "report %ld already has %d photos, the most a report may have", report_id,
                    REPORT_PHOTOS_MAX);
}

static void inserted(struct exchange *ex, PGresult *res)
{
    struct upload_state *st = ex->handler_data;
    int ok = res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
    if (!ok)
        unlink(st->path); /* no row: no file */
    if (respond_db_failure(ex->req, res))
        return;
    if (!ok) {
        too_many(ex, st->report_id);
        return;
    }
    const char *id = PQgetvalue(res, 0, 0);
    const char *url = exchange_url(
        ex, exchange_printf(ex, "/api/v1/reports/%ld/photos/%s", st->report_id, id));
    respond_header(ex->req, "location", url);
    respond_json(ex->req, 201, json_pack("{s:I,s:s}", "id", (json_int_t)atoll(id), "url", url));
}

static void stored(struct exchange *ex, const struct photo_stored *s)
{
    struct upload_state *st = ex->handler_data;
    st->path = s->path;
    const char *args[8] = {
        exchange_printf(ex, "%ld", st->report_id),
        s->file_name,
        s->media_type,
        exchange_printf(ex, "%zu", s->bytes),
        s->sha256,
        s->width ? exchange_printf(ex, "%ld", s->width) : NULL,
        s->height ? exchange_printf(ex, "%ld", s->height) : NULL,
        ex->who.user_id ? exchange_printf(ex, "%ld", ex->who.user_id) : NULL,
    };
    exchange_query(ex, PHOTO_INSERT_SQL, 8, args, inserted);
}

static void upload_checked(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct upload_state *st = ex->handler_data;
    if (PQntuples(res) == 0) {
        report_not_found(ex);
        return;
    }
    if (PQgetvalue(res, 0, 0)[0] != 't') {
        respond_problem(ex->req, 403, "/problems/forbidden", "Forbidden", NULL,
                        "only the reporter (signed in, or with ?secret=), staff of the report's "
                        "department and admins may add photos to report %ld",
                        st->report_id);
        return;
    }
    if (atol(PQgetvalue(res, 0, 1)) >= REPORT_PHOTOS_MAX) {
        too_many(ex, st->report_id);
        return;
    }
    photo_store(ex, photos_dir(ex, st->report_id), st->data, st->len, stored);
}

void api_reports_photo_upload(struct exchange *ex)
{
    static const char *const allowed[] = {"secret", NULL};
    params_allow_only(&ex->query, allowed);
    long id = path_id(ex, 0, "a positive integer report id");
    const char *digest = report_secret_digest(ex);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    struct upload_state *st = h2o_mem_alloc_pool(&ex->req->pool, sizeof *st);
    memset(st, 0, sizeof *st);
    st->report_id = id;
    if (photo_upload_body(ex, &st->data, &st->len))
        return;
    ex->handler_data = st;
    const char *v[3];
    identity_viewer_args(ex, v);
    const char *args[] = {exchange_printf(ex, "%ld", id), v[0], v[1], v[2], digest};
    exchange_query(ex, PHOTO_UPLOAD_CHECK_SQL, 5, args, upload_checked);
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
    int private = PQgetvalue(res, 0, 3)[0] == 't';
    photo_serve(ex, photos_dir(ex, atol(ex->path_params[0])), PQgetvalue(res, 0, 0),
                PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
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
    const char *v[3];
    identity_viewer_args(ex, v);
    const char *args[] = {exchange_printf(ex, "%ld", id), exchange_printf(ex, "%ld", photo),
                          v[0], v[1], v[2], digest};
    exchange_query(ex, PHOTO_GET_SQL, 6, args, photo_found);
}
