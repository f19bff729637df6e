#include "api/geojson_page.h"

#include "http/paging.h"
#include "http/respond.h"

#include <stdlib.h>
#include <string.h>

struct geojson_page *geojson_page_new(struct exchange *ex, const char *path)
{
    struct geojson_page *p = h2o_mem_alloc_pool(&ex->req->pool, sizeof *p);
    p->path = path;
    p->filters = "";
    return p;
}

void geojson_page_keep(struct exchange *ex, struct geojson_page *p, const char *name,
                       const char *value)
{
    if (!value)
        return;
    h2o_iovec_t enc = h2o_uri_escape(&ex->req->pool, value, strlen(value), NULL);
    p->filters = exchange_printf(ex, "%s%s=%.*s&", p->filters, name, (int)enc.len, enc.base);
}

void geojson_page_respond(struct exchange *ex, const struct geojson_page *p,
                          const char *features, int more, const char *cursor)
{
    const char *next = more ? exchange_printf(ex, "%s?%s%s", p->path, p->filters, cursor) : NULL;
    const char *body = exchange_printf(ex, "{\"type\":\"FeatureCollection\",\"features\":%s,"
                                           "\"links\":%s}",
                                       features, page_links_text(ex, CT_GEOJSON, next));
    respond_bytes(ex->req, 200, CT_GEOJSON, body, strlen(body));
}

void geojson_page_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    geojson_page_respond(ex, ex->handler_data, PQgetvalue(res, 0, GEOJSON_PAGE_FEATURES),
                         PQgetvalue(res, 0, GEOJSON_PAGE_MORE)[0] == 't',
                         exchange_printf(ex, "after=%s",
                                         PQgetvalue(res, 0, GEOJSON_PAGE_LAST_ID)));
}
