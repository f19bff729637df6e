#include "api/owner_photos.h"

#include "gis/photos_sql.h"
#include "api/photo_store.h"
#include "http/respond.h"

#include <stdlib.h>
#include <unistd.h>

const char *photo_owner_dir(struct exchange *ex, const struct photo_owner *o, long owner_id)
{
    return exchange_printf(ex, "%s/%s/%ld", ex->app->cfg.var_dir, o->folder, owner_id);
}

long photo_path_ids(struct exchange *ex, const struct photo_owner *o, int with_photo,
                    const char **args)
{
    long id, photo = 0;
    params_path_id(&ex->query, "id", ex->path_params[0], o->noun, &id);
    if (with_photo)
        params_path_id(&ex->query, "photo", ex->path_params[1], "photo", &photo);
    if (respond_params_problem(ex->req, &ex->query))
        return 0;
    args[PHOTO_P_OWNER_ID] = exchange_printf(ex, "%ld", id);
    if (with_photo)
        args[PHOTO_P_PHOTO_ID] = exchange_printf(ex, "%ld", photo);
    return id;
}

/* ---- upload ---- */

/* One upload: what the handler keeps between the check, photo_store and
 * the INSERT of the row. */
struct upload_state {
    const struct photo_owner *owner;
    long owner_id;
    const uint8_t *data; /* the image, into the request body */
    size_t len;
    const char *path;    /* the stored file, removed when no row is inserted */
};

static void too_many(struct exchange *ex, const struct upload_state *up)
{
    respond_problem(ex->req, 409, "/problems/too-many-photos", "Conflict", NULL,
                    "%s %ld already has %d photos, the most it may have", up->owner->noun,
                    up->owner_id, up->owner->max);
}

/* The INSERT's answer: one row (201), none: the limit was reached
 * meanwhile, so the file goes. */
static void inserted(struct exchange *ex, PGresult *res)
{
    const struct upload_state *up = ex->handler_data;
    int ok = res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
    if (!ok)
        unlink(up->path); /* no row: no file */
    if (respond_db_failure(ex->req, res))
        return;
    if (!ok) {
        too_many(ex, up);
        return;
    }
    const char *id = PQgetvalue(res, 0, PHOTO_INSERT_ID);
    const char *url = exchange_url(ex, exchange_printf(ex, "%s/%ld/photos/%s",
                                                       up->owner->collection, up->owner_id, id));
    respond_header(ex->req, "location", url);
    respond_json(ex->req, 201, json_pack("{s:I,s:s}", "id", (json_int_t)atoll(id), "url", url));
}

static void stored(struct exchange *ex, const struct photo_stored *s)
{
    struct upload_state *up = ex->handler_data;
    const struct photo_owner *o = up->owner;
    up->path = s->path;
    size_t size = sizeof(const char *) * (size_t)o->insert_nparams;
    const char **args = h2o_mem_alloc_pool(&ex->req->pool, size);
    args[PHOTO_P_OWNER_ID] = exchange_printf(ex, "%ld", up->owner_id);
    photo_file_args(ex, s, args + PHOTO_INSERT_P_FILE);
    o->insert_rest(ex, args + PHOTO_INSERT_P_REST);
    exchange_query_prepared(ex, o->insert_sql, o->insert_nparams, args, inserted);
}

static void checked(struct exchange *ex, PGresult *res)
{
    const struct upload_state *up = ex->handler_data;
    if (respond_db_failure(ex->req, res) || up->owner->refused(ex, res))
        return;
    if (atol(PQgetvalue(res, 0, PHOTO_CHECK_COUNT)) >= up->owner->max) {
        too_many(ex, up);
        return;
    }
    photo_store(ex, photo_owner_dir(ex, up->owner, up->owner_id), up->data, up->len, stored);
}

void photo_upload(struct exchange *ex, const struct photo_owner *o, long owner_id,
                  const char *check_sql, int nparams, const char *const *args)
{
    struct upload_state *up = h2o_mem_alloc_pool(&ex->req->pool, sizeof *up);
    *up = (struct upload_state){.owner = o, .owner_id = owner_id};
    if (photo_upload_body(ex, &up->data, &up->len))
        return;
    ex->handler_data = up;
    exchange_query_prepared(ex, check_sql, nparams, args, checked);
}

/* ---- download ---- */

static void found(struct exchange *ex, PGresult *res)
{
    const struct photo_owner *o = ex->handler_data;
    if (respond_db_failure_or_missing(ex->req, res, "%s %s has no photo %s (or you may not see it)",
                                      o->noun, ex->path_params[0], ex->path_params[1]))
        return;
    /* not public: no shared cache keeps it, and every use revalidates (the
     * caller's right to see it is checked on each request) */
    int public = PQgetvalue(res, 0, PHOTO_GET_PUBLIC)[0] == 't';
    photo_serve(ex, photo_owner_dir(ex, o, atol(ex->path_params[0])),
                PQgetvalue(res, 0, PHOTO_GET_FILE_NAME), PQgetvalue(res, 0, PHOTO_GET_MEDIA_TYPE),
                PQgetvalue(res, 0, PHOTO_GET_SHA256),
                public ? "public, max-age=86400" : "private, no-cache");
}

void photo_download(struct exchange *ex, const struct photo_owner *o, const char *sql,
                    int nparams, const char *const *args)
{
    ex->handler_data = (void *)o; /* read only */
    exchange_query_prepared(ex, sql, nparams, args, found);
}
