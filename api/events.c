/* Events, read: the public list of occurrences by date range (GeoJSON)
 * and one event with its rule and next occurrences. Only admins and staff
 * of department 'tourism' see drafts; the SQL decides (gis/events_sql.h).
 * The iCalendar feed is api/events_ical.c, the writes api/event_writes.c. */
#include "gis/event_recurrence.h"
#include "gis/events_sql.h"
#include "gis/rfc3339.h"
#include "api/api.h"
#include "api/event_access.h"
#include "api/lang_map.h"
#include "api/geojson_page.h"
#include "http/respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "2026-10-17": a real calendar date. */
static int date_ok(const char *s)
{
    char buf[32];
    if (strlen(s) != 10)
        return 0;
    snprintf(buf, sizeof buf, "%sT00:00:00Z", s);
    return rfc3339_valid(buf);
}

/* ---- GET /api/v1/events ---- */

struct list_request {
    int restricted; /* drafts or archived events asked for: the tourism office only */
    struct geojson_page *page;
};

static void list_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    const struct list_request *lr = ex->handler_data;
    if (lr->restricted && PQgetvalue(res, 0, EVENT_LIST_TOURISM)[0] != 't') {
        event_not_tourism(ex);
        return;
    }
    int to_before_from = PQgetvalue(res, 0, EVENT_LIST_TO_BEFORE_FROM)[0] == 't';
    if (to_before_from || PQgetvalue(res, 0, EVENT_LIST_RANGE_TOO_LONG)[0] == 't') {
        params_error(&ex->query, "to",
                     to_before_from ? "a time not before from" : "at most a year after from",
                     params_get(&ex->query, "to") ? params_get(&ex->query, "to")
                                                  : "a year after from");
        respond_params_problem(ex->req, &ex->query);
        return;
    }
    geojson_page_respond(ex, lr->page, PQgetvalue(res, 0, EVENT_LIST_FEATURES),
                         PQgetvalue(res, 0, EVENT_LIST_MORE)[0] == 't',
                         exchange_printf(ex, "after=%s",
                                         PQgetvalue(res, 0, EVENT_LIST_LAST_CURSOR)));
}

static const char *range_param(struct exchange *ex, const char *name)
{
    const char *s = params_get(&ex->query, name);
    if (s && !date_ok(s) && !rfc3339_valid(s)) {
        params_error(&ex->query, name, "an RFC 3339 date (2026-10-17) or date-time "
                     "(2026-10-17T19:00:00+03:00)", s);
        return NULL;
    }
    return s;
}

void api_events_list(struct exchange *ex)
{
    static const char *const allowed[] = {"from",  "to",    "category", "bbox", "lang",
                                          "limit", "after", "status",   NULL};
    const struct polis_config *cfg = &ex->app->cfg;
    static const char *const statuses[] = {"published", "draft", "archived", "all", NULL};
    struct list_request *lr = h2o_mem_alloc_pool(&ex->req->pool, sizeof *lr);
    struct geojson_page *page = lr->page = geojson_page_new(ex, "/api/v1/events");
    ex->handler_data = lr;
    const char *status = "published";
    long limit = cfg->page_default;
    double bbox[4];
    const char *category = NULL, *lang = params_get(&ex->query, "lang");

    params_allow_only(&ex->query, allowed);
    const char *from = range_param(ex, "from"), *to = range_param(ex, "to");
    params_choice(&ex->query, "category", event_categories, 0, &category);
    int has_bbox = params_bbox(&ex->query, "bbox", cfg->bbox_max_km2, bbox) == 1;
    if (lang && !lang_code_ok(lang))
        params_error(&ex->query, "lang", "a language code such as el or en", lang);
    params_long(&ex->query, "limit", 1, cfg->page_max, 0, &limit);
    params_choice(&ex->query, "status", statuses, 0, &status);
    const char *after = params_get(&ex->query, "after");
    long after_start = 0, after_id = 0;
    if (after) {
        char tail;
        if (sscanf(after, "%ld_%ld%c", &after_start, &after_id, &tail) != 2 || after_id < 0)
            params_error(&ex->query, "after", "the cursor of a next link", after);
    }
    if (respond_params_problem(ex->req, &ex->query))
        return;
    geojson_page_keep(ex, page, "from", from);
    geojson_page_keep(ex, page, "to", to);
    geojson_page_keep(ex, page, "category", category);
    geojson_page_keep(ex, page, "bbox", params_get(&ex->query, "bbox"));
    geojson_page_keep(ex, page, "lang", lang);
    geojson_page_keep(ex, page, "limit", params_get(&ex->query, "limit"));
    geojson_page_keep(ex, page, "status", params_get(&ex->query, "status"));
    lr->restricted = strcmp(status, "published") != 0;
    if (lr->restricted && ex->who.rank < 2) { /* no query needed to know */
        event_not_tourism(ex);
        return;
    }
    const char *args[EVENT_LIST_NPARAMS] = {
        [EVENT_LIST_P_FROM] = from,
        [EVENT_LIST_P_TO] = to,
        [EVENT_LIST_P_ZONE] = EVENT_TZID_DEFAULT,
        [EVENT_LIST_P_CATEGORY] = category,
        [EVENT_LIST_P_LANG] = lang ? lang : "el",
        [EVENT_LIST_P_AFTER_START] = after ? exchange_printf(ex, "%ld", after_start) : NULL,
        [EVENT_LIST_P_AFTER_ID] = exchange_printf(ex, "%ld", after_id),
        [EVENT_LIST_P_LIMIT] = exchange_printf(ex, "%ld", limit),
        [EVENT_LIST_P_STATUS] = strcmp(status, "all") ? status : NULL,
    };
    for (int i = 0; has_bbox && i < 4; i++)
        args[EVENT_LIST_P_BBOX + i] = exchange_printf(ex, "%.9f", bbox[i]);
    event_tourism_args(ex, &args[EVENT_LIST_P_TOURISM]);
    exchange_query_prepared(ex, EVENT_LIST_SQL, EVENT_LIST_NPARAMS, args, list_done);
}

/* ---- GET /api/v1/events/{id} ---- */

static void get_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure_or_missing(ex->req, res, EVENT_MISSING, atol(ex->path_params[0])))
        return;
    respond_column(ex->req, 200, CT_GEOJSON, res, EVENT_GET_FEATURE);
}

void api_events_get(struct exchange *ex)
{
    static const char *const allowed[] = {NULL};
    params_allow_only(&ex->query, allowed);
    long id = event_path_id(ex);
    if (!id)
        return;
    const char *args[EVENT_GET_NPARAMS] = {[EVENT_GET_P_ID] = exchange_printf(ex, "%ld", id)};
    event_tourism_args(ex, &args[EVENT_GET_P_TOURISM]);
    exchange_query_prepared(ex, EVENT_GET_SQL, EVENT_GET_NPARAMS, args, get_done);
}
