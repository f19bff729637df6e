/* Administrative boundaries: list (GeoJSON, bbox, keyset paging), one by id,
 * and "which municipality is this point in". */
#include "gis/boundaries.h"
#include "api/api.h"
#include "api/point_query.h"
#include "http/paging.h"
#include "http/respond.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- GET /api/v1/locate?lat=&lon= ---- */

static void locate_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQgetvalue(res, 0, BOUNDARIES_LOCATE_FOUND)[0] != 't') {
        respond_problem(ex->req, 404, "/problems/outside-served-area", "Outside the served area",
                        NULL, "the point lat=%s lon=%s is not inside any loaded municipality",
                        params_get(&ex->query, "lat"),
                        params_get(&ex->query, "lon"));
        return;
    }
    respond_column(ex->req, 200, CT_JSON, res, BOUNDARIES_LOCATE_ANSWER);
}

void api_locate(struct exchange *ex)
{
    const char *args[2]; /* lat, lon */
    if (point_query(ex, &args[0], &args[1]))
        return;
    exchange_query_prepared(ex, BOUNDARIES_LOCATE_SQL, 2, args, locate_done);
}

/* ---- GET /api/v1/boundaries ---- */

struct page_request {
    const char *level;
    double bbox[4];
    int has_bbox;
    long limit;
};

/* The path and query of the next page: the same filters, starting after last_id. */
static const char *next_link(struct exchange *ex, const struct page_request *pr,
                             const char *last_id)
{
    char query[512] = "";
    size_t n = 0;
    if (pr->has_bbox)
        n += (size_t)snprintf(query + n, sizeof query - n, "bbox=%.9g,%.9g,%.9g,%.9g&",
                              pr->bbox[0], pr->bbox[1], pr->bbox[2], pr->bbox[3]);
    if (pr->level)
        n += (size_t)snprintf(query + n, sizeof query - n, "level=%s&", pr->level);
    snprintf(query + n, sizeof query - n, "limit=%ld&after=%s", pr->limit, last_id);
    return exchange_printf(ex, "/api/v1/boundaries?%s", query);
}

static void boundaries_page_done(struct exchange *ex, PGresult *res);

void api_boundaries_list(struct exchange *ex)
{
    static const char *const allowed[] = {"bbox", "level", "limit", "after", NULL};
    static const char *const levels[] = {"municipality", "unit", "community", NULL};
    const struct polis_config *cfg = &ex->app->cfg;
    struct page_request *pr = h2o_mem_alloc_pool(&ex->req->pool, sizeof *pr);
    memset(pr, 0, sizeof *pr);
    long after = 0;
    pr->limit = cfg->page_default;

    params_allow_only(&ex->query, allowed);
    pr->has_bbox = params_bbox(&ex->query, "bbox", cfg->bbox_max_km2, pr->bbox) == 1;
    params_choice(&ex->query, "level", levels, 0, &pr->level);
    params_long(&ex->query, "limit", 1, cfg->page_max, 0, &pr->limit);
    params_long(&ex->query, "after", 0, INT64_MAX, 0, &after);
    if (respond_params_problem(ex->req, &ex->query))
        return;

    const char *args[BOUNDARIES_PAGE_NPARAMS] = {
        [BOUNDARIES_PAGE_P_LEVEL] = pr->level,
        [BOUNDARIES_PAGE_P_AFTER] = exchange_printf(ex, "%ld", after),
        [BOUNDARIES_PAGE_P_LIMIT] = exchange_printf(ex, "%ld", pr->limit),
    };
    if (pr->has_bbox)
        for (int i = 0; i < 4; i++)
            args[BOUNDARIES_PAGE_P_BBOX + i] = exchange_printf(ex, "%.9f", pr->bbox[i]);
    ex->handler_data = pr;
    exchange_query_prepared(ex, BOUNDARIES_PAGE_SQL, BOUNDARIES_PAGE_NPARAMS, args,
                          boundaries_page_done);
}

static void boundaries_page_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    const struct page_request *pr = ex->handler_data;
    int rows = PQntuples(res);
    int returned = rows > pr->limit ? (int)pr->limit : rows;

    const char *next =
        rows > pr->limit ? next_link(ex, pr, PQgetvalue(res, returned - 1, BOUNDARIES_PAGE_ID))
                         : NULL;
    page_respond_rows(ex, CT_GEOJSON,
                      exchange_printf(ex, "{\"type\":\"FeatureCollection\",\"numberReturned\":%d,"
                                          "\"features\":[",
                                      returned),
                      res, returned, BOUNDARIES_PAGE_FEATURE,
                      exchange_printf(ex, "],\"links\":%s}",
                                      page_links_text(ex, CT_GEOJSON, next)));
}

/* ---- GET /api/v1/boundaries/{id} ---- */

static void get_done(struct exchange *ex, PGresult *res)
{
    respond_column_or_missing(ex->req, res, CT_GEOJSON, BOUNDARIES_GET_FEATURE,
                              "there is no boundary with id %s", ex->path_params[0]);
}

void api_boundaries_get(struct exchange *ex)
{
    long id;
    if (respond_bad_path_id(ex->req, &ex->query, ex->path_params[0], "boundary", &id))
        return;
    const char *args[] = {exchange_printf(ex, "%ld", id)};
    exchange_query_prepared(ex, BOUNDARIES_GET_SQL, 1, args, get_done);
}
