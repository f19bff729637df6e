#include "api/json_page.h"

#include "http/paging.h"
#include "http/respond.h"

#include <stdint.h>
#include <string.h>

struct json_page *json_page_new(struct exchange *ex, const char *path, const char *member,
                                long *limit, long *after)
{
    struct json_page *p = h2o_mem_alloc_pool(&ex->req->pool, sizeof *p);
    p->keep = geojson_page_new(ex, path);
    p->member = member;
    p->extra_member = NULL;
    *limit = ex->app->cfg.page_default;
    *after = 0;
    if (params_long(&ex->query, "limit", 1, ex->app->cfg.page_max, 0, limit) == 1)
        geojson_page_keep(ex, p->keep, "limit", exchange_printf(ex, "%ld", *limit));
    params_long(&ex->query, "after", 0, INT64_MAX, 0, after);
    return p;
}

void json_page_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    const struct json_page *p = ex->handler_data;
    const char *next = NULL;
    if (PQgetvalue(res, 0, JSON_PAGE_MORE)[0] == 't')
        next = exchange_printf(ex, "%s?%safter=%s", p->keep->path, p->keep->filters,
                               PQgetvalue(res, 0, JSON_PAGE_LAST_ID));
    const char *extra = p->extra_member ? exchange_printf(ex, "\"%s\":%s,", p->extra_member,
                                                          PQgetvalue(res, 0, JSON_PAGE_EXTRA))
                                        : "";
    const char *body = exchange_printf(ex, "{\"%s\":%s,%s\"links\":%s}", p->member,
                                       PQgetvalue(res, 0, JSON_PAGE_ITEMS), extra,
                                       page_links_text(ex, NULL, next));
    respond_private(ex->req);
    respond_bytes(ex->req, 200, CT_JSON, body, strlen(body));
}
