#include "api/geojson_page.h"

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
    json_t *links = json_array();
    json_array_append_new(
        links, json_pack("{s:s,s:s,s:s}", "rel", "self", "type", CT_GEOJSON, "href",
                         exchange_url(ex, exchange_printf(ex, "%.*s", (int)ex->req->path.len,
                                                          ex->req->path.base))));
    if (more)
        json_array_append_new(
            links, json_pack("{s:s,s:s,s:s}", "rel", "next", "type", CT_GEOJSON, "href",
                             exchange_url(ex, exchange_printf(ex, "%s?%s%s", p->path,
                                                              p->filters, cursor))));
    char *links_text = json_dumps(links, JSON_COMPACT);
    json_decref(links);
    const char *body = exchange_printf(ex, "{\"type\":\"FeatureCollection\",\"features\":%s,"
                                           "\"links\":%s}",
                                       features, links_text ? links_text : "[]");
    free(links_text);
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
