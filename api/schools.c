/* Schools and school zones, public: the schools as GeoJSON (level, bbox,
 * keyset paging), one school with its zones, and "which school of each
 * level serves this point" (gis/schools_sql.h). lang=el|en picks the
 * language of the "name" and "level_name" members. */
#include "gis/schools_sql.h"
#include "api/api.h"
#include "api/geojson_page.h"
#include "http/respond.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *lang_param(struct exchange *ex)
{
    static const char *const langs[] = {"el", "en", NULL};
    const char *lang = "el";
    params_choice(&ex->query, "lang", langs, 0, &lang);
    return lang;
}

/* ---- GET /api/v1/schools ---- */

void api_schools_list(struct exchange *ex)
{
    static const char *const allowed[] = {"level", "bbox", "limit", "after", "lang", NULL};
    const struct polis_config *cfg = &ex->app->cfg;
    struct geojson_page *page = geojson_page_new(ex, "/api/v1/schools");
    long limit = cfg->page_default;
    const char *level = NULL;
    double bbox[4];
    long after = 0;

    params_allow_only(&ex->query, allowed);
    params_choice(&ex->query, "level", school_levels, 0, &level);
    int has_bbox = params_bbox(&ex->query, "bbox", cfg->bbox_max_km2, bbox) == 1;
    params_long(&ex->query, "limit", 1, cfg->page_max, 0, &limit);
    params_long(&ex->query, "after", 0, INT64_MAX, 0, &after);
    const char *lang = lang_param(ex);
    if (respond_params_problem(ex->req, &ex->query))
        return;

    const char *args[SCHOOL_LIST_NPARAMS] = {
        [SCHOOL_LIST_P_LEVEL] = level,
        [SCHOOL_LIST_P_AFTER] = exchange_printf(ex, "%ld", after),
        [SCHOOL_LIST_P_LIMIT] = exchange_printf(ex, "%ld", limit),
        [SCHOOL_LIST_P_LANG] = lang,
    };
    if (has_bbox)
        for (int i = 0; i < 4; i++)
            args[SCHOOL_LIST_P_BBOX + i] = exchange_printf(ex, "%.9f", bbox[i]);
    geojson_page_keep(ex, page, "level", level);
    geojson_page_keep(ex, page, "bbox", params_get(&ex->query, "bbox"));
    geojson_page_keep(ex, page, "lang", params_get(&ex->query, "lang"));
    geojson_page_keep(ex, page, "limit", params_get(&ex->query, "limit"));
    ex->handler_data = page;
    exchange_query_prepared(ex, SCHOOL_LIST_SQL, SCHOOL_LIST_NPARAMS, args, geojson_page_done);
}

/* ---- GET /api/v1/schools/{id} ---- */

static void get_done(struct exchange *ex, PGresult *res)
{
    respond_column_or_missing(ex->req, res, CT_GEOJSON, SCHOOL_GET_FEATURE,
                              "there is no school with id %s", ex->path_params[0]);
}

void api_schools_get(struct exchange *ex)
{
    static const char *const allowed[] = {"lang", NULL};
    long id;
    params_allow_only(&ex->query, allowed);
    params_path_id(&ex->query, "id", ex->path_params[0], "school", &id);
    const char *lang = lang_param(ex);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *args[] = {exchange_printf(ex, "%ld", id), lang};
    exchange_query_prepared(ex, SCHOOL_GET_SQL, 2, args, get_done);
}

/* ---- GET /api/v1/schools/zone?lat=&lon=[&level=] ---- */

struct zone_request {
    const char *lat, *lon, *level; /* as asked, for the 404's words */
};

/* No zone holds the point: says which point, which level and where it is,
 * so the caller can tell "no zones here at all" from "not this level". */
static void zone_not_found(struct exchange *ex, PGresult *res)
{
    const struct zone_request *zr = ex->handler_data;
    const char *what = zr->level ? exchange_printf(ex, "no school zone of level %s", zr->level)
                                 : "no school zone";
    const char *where;
    if (PQgetisnull(res, 0, SCHOOL_ZONE_MUNICIPALITY))
        where = "it is not inside any loaded municipality";
    else if (atol(PQgetvalue(res, 0, SCHOOL_ZONE_ZONES)) == 0)
        where = exchange_printf(ex, "it is in %s (code %s), which has no school zones%s",
                                PQgetvalue(res, 0, SCHOOL_ZONE_MUNICIPALITY),
                                PQgetvalue(res, 0, SCHOOL_ZONE_MUNICIPALITY_CODE),
                                zr->level ? " of that level" : "");
    else
        where = exchange_printf(ex, "it is in %s (code %s), but none of its %s school zones%s "
                                    "covers it",
                                PQgetvalue(res, 0, SCHOOL_ZONE_MUNICIPALITY),
                                PQgetvalue(res, 0, SCHOOL_ZONE_MUNICIPALITY_CODE),
                                PQgetvalue(res, 0, SCHOOL_ZONE_ZONES),
                                zr->level ? " of that level" : "");
    respond_problem(ex->req, 404, "/problems/no-school-zone", "No school zone here", NULL,
                    "%s contains the point lat=%s lon=%s: %s", what, zr->lat, zr->lon, where);
}

static void zone_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    if (PQgetisnull(res, 0, SCHOOL_ZONE_ANSWER)) {
        zone_not_found(ex, res);
        return;
    }
    respond_column(ex->req, 200, CT_JSON, res, SCHOOL_ZONE_ANSWER);
}

void api_schools_zone(struct exchange *ex)
{
    static const char *const allowed[] = {"lat", "lon", "level", "lang", NULL};
    struct zone_request *zr = h2o_mem_alloc_pool(&ex->req->pool, sizeof *zr);
    memset(zr, 0, sizeof *zr);
    double lat, lon;
    params_allow_only(&ex->query, allowed);
    params_double(&ex->query, "lat", -90, 90, 1, &lat);
    params_double(&ex->query, "lon", -180, 180, 1, &lon);
    params_choice(&ex->query, "level", school_levels, 0, &zr->level);
    const char *lang = lang_param(ex);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    zr->lat = exchange_printf(ex, "%.9g", lat);
    zr->lon = exchange_printf(ex, "%.9g", lon);
    const char *args[SCHOOL_ZONE_NPARAMS] = {
        [SCHOOL_ZONE_P_LAT] = exchange_printf(ex, "%.9f", lat),
        [SCHOOL_ZONE_P_LON] = exchange_printf(ex, "%.9f", lon),
        [SCHOOL_ZONE_P_LEVEL] = zr->level,
        [SCHOOL_ZONE_P_LANG] = lang,
    };
    ex->handler_data = zr;
    exchange_query_prepared(ex, SCHOOL_ZONE_SQL, SCHOOL_ZONE_NPARAMS, args, zone_done);
}
