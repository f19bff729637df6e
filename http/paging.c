#include "http/paging.h"

#include "http/respond.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *make_link(const char *rel, const char *type, const char *href)
{
    json_t *l = json_pack("{s:s}", "rel", rel);
    if (type)
        json_object_set_new(l, "type", json_string(type));
    json_object_set_new(l, "href", json_string(href));
    return l;
}

json_t *page_links(struct exchange *ex, const char *type, const char *next)
{
    json_t *links = json_array();
    const char *self = exchange_printf(ex, "%.*s", (int)ex->req->path.len, ex->req->path.base);
    json_array_append_new(links, make_link("self", type, exchange_url(ex, self)));
    if (next)
        json_array_append_new(links, make_link("next", type, exchange_url(ex, next)));
    return links;
}

const char *page_links_text(struct exchange *ex, const char *type, const char *next)
{
    json_t *links = page_links(ex, type, next);
    char *text = json_dumps(links, JSON_COMPACT);
    json_decref(links);
    const char *kept = exchange_printf(ex, "%s", text ? text : "[]");
    free(text);
    return kept;
}

int id_page_parse(struct exchange *ex, struct id_page *pg, long *after)
{
    static const char *const allowed[] = {"limit", "after", NULL};
    const struct polis_config *cfg = &ex->app->cfg;
    pg->limit = cfg->page_default;
    *after = 0;
    params_allow_only(&ex->query, allowed);
    params_long(&ex->query, "limit", 1, cfg->page_max, 0, &pg->limit);
    params_long(&ex->query, "after", 0, INT64_MAX, 0, after);
    return respond_params_problem(ex->req, &ex->query) ? -1 : 0;
}

void page_respond_rows(struct exchange *ex, const char *content_type, const char *prefix,
                       const PGresult *res, int rows, int column, const char *suffix)
{
    size_t total = strlen(prefix) + strlen(suffix) + 1;
    for (int i = 0; i < rows; i++)
        total += (size_t)PQgetlength(res, i, column) + 1;
    char *body = h2o_mem_alloc_pool(&ex->req->pool, total);
    size_t n = strlen(prefix);
    memcpy(body, prefix, n);
    for (int i = 0; i < rows; i++) {
        if (i)
            body[n++] = ',';
        size_t len = (size_t)PQgetlength(res, i, column);
        memcpy(body + n, PQgetvalue(res, i, column), len);
        n += len;
    }
    memcpy(body + n, suffix, strlen(suffix));
    n += strlen(suffix);
    respond_bytes(ex->req, 200, content_type, body, n);
}

void id_page_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    const struct id_page *pg = ex->handler_data;
    int rows = PQntuples(res);
    int returned = rows > pg->limit ? (int)pg->limit : rows;
    const char *next = NULL;
    if (rows > pg->limit)
        next = exchange_printf(ex, "%s?limit=%ld&after=%s", pg->path, pg->limit,
                               PQgetvalue(res, returned - 1, ID_PAGE_ID));
    respond_private(ex->req);
    page_respond_rows(ex, CT_JSON, exchange_printf(ex, "{\"%s\":[", pg->member), res, returned,
                      ID_PAGE_JSON,
                      exchange_printf(ex, "],\"links\":%s}", page_links_text(ex, NULL, next)));
}
