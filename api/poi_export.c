/* GET /api/v1/pois/export.geojson: every published POI as one GeoJSON
 * FeatureCollection to download, for guides and other sites.
 *
 * It is streamed: one page of EXPORT_PAGE POIs (by id) per query, sent as
 * soon as it arrives, the next page asked for only when h2o has sent the
 * last one (its proceed callback), so memory stays one page whatever the
 * number of POIs. The ETag is the version of layer 'pois' when the export
 * starts (every write to POIs, their categories and photos bumps it), so a
 * guide's nightly download or a CDN gets 304 until something changed. The
 * pages are separate statements: a POI published while an export runs may
 * or may not be in it (the next download has it, with a new ETag). */
#include "gis/pois_sql.h"
#include "api/api.h"
#include "api/not_modified.h"
#include "api/poi_access.h"
#include "http/respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT_PAGE 500

struct export_stream {
    h2o_generator_t gen; /* first: h2o hands it back */
    struct exchange *ex;
    const char *lang;
    long long after;     /* the last id sent */
    int started, stopped;
    char *chunk;         /* malloc'd: the bytes h2o is sending */
};

static void export_dispose(void *p)
{
    free(((struct export_stream *)p)->chunk);
}

static void page_done(struct exchange *ex, PGresult *res)
{
    struct export_stream *st = ex->handler_data;
    if (st->stopped)
        return;
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
        if (!st->started)
            respond_db_failure(ex->req, res);
        else /* the client sees a truncated transfer, never a document that looks whole */
            h2o_send(ex->req, NULL, 0, H2O_SEND_STATE_ERROR);
        return;
    }
    long count = atol(PQgetvalue(res, 0, POI_EXPORT_PAGE_COUNT));
    const char *prefix = count ? "," : "";
    if (!st->started) {
        const char *etag = exchange_printf(ex, "\"pois-%s-%s\"",
                                           PQgetvalue(res, 0, POI_EXPORT_PAGE_VERSION), st->lang);
        if (not_modified(ex, etag, "public, max-age=300"))
            return;
        respond_header(ex->req, "content-disposition", "attachment; filename=\"pois.geojson\"");
        respond_header(ex->req, "content-type", CT_GEOJSON);
        ex->req->res.status = 200;
        ex->req->res.reason = "OK";
        h2o_start_response(ex->req, &st->gen);
        st->started = 1;
        prefix = "{\"type\":\"FeatureCollection\",\"features\":[";
    }
    int last = count < EXPORT_PAGE;
    const char *features = count ? PQgetvalue(res, 0, POI_EXPORT_PAGE_FEATURES) : "";
    size_t n = strlen(prefix) + strlen(features) + 3;
    free(st->chunk);
    st->chunk = malloc(n);
    if (!st->chunk) {
        h2o_send(ex->req, NULL, 0, H2O_SEND_STATE_ERROR);
        return;
    }
    snprintf(st->chunk, n, "%s%s%s", prefix, features, last ? "]}" : "");
    if (count)
        st->after = atoll(PQgetvalue(res, 0, POI_EXPORT_PAGE_LAST_ID));
    h2o_iovec_t buf = h2o_iovec_init(st->chunk, strlen(st->chunk));
    h2o_send(ex->req, &buf, 1, last ? H2O_SEND_STATE_FINAL : H2O_SEND_STATE_IN_PROGRESS);
}

static void next_page(struct export_stream *st)
{
    struct exchange *ex = st->ex;
    const char *args[] = {st->lang, exchange_printf(ex, "%lld", st->after),
                          exchange_printf(ex, "%d", EXPORT_PAGE)};
    exchange_query_prepared(ex, POI_EXPORT_PAGE_SQL, 3, args, page_done);
}

/* h2o has sent the last chunk and wants more. */
static void export_proceed(h2o_generator_t *gen, h2o_req_t *req)
{
    (void)req;
    next_page((struct export_stream *)gen);
}

/* The client went away: a query still running is cancelled when the
 * request is freed; until then nothing more is sent. */
static void export_stop(h2o_generator_t *gen, h2o_req_t *req)
{
    (void)req;
    ((struct export_stream *)gen)->stopped = 1;
}

void api_pois_export(struct exchange *ex)
{
    static const char *const allowed[] = {"lang", NULL};
    const char *lang = "el";
    params_allow_only(&ex->query, allowed);
    params_choice(&ex->query, "lang", poi_langs, 0, &lang);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    struct export_stream *st = h2o_mem_alloc_shared(&ex->req->pool, sizeof *st, export_dispose);
    memset(st, 0, sizeof *st);
    st->gen.proceed = export_proceed;
    st->gen.stop = export_stop;
    st->ex = ex;
    st->lang = lang;
    ex->handler_data = st;
    next_page(st);
}
