#include "api/own_row.h"

#include "http/respond.h"

void own_row_query(struct exchange *ex, const char *what, const char *sql,
                   exchange_result_cb done)
{
    long id;
    if (respond_bad_path_id(ex->req, &ex->query, ex->path_params[0], what, &id))
        return;
    const char *args[] = {exchange_printf(ex, "%ld", id),
                          exchange_printf(ex, "%ld", ex->who.user_id)};
    exchange_query(ex, sql, 2, args, done);
}

static void written(struct exchange *ex, PGresult *res)
{
    respond_no_content_or_missing(ex->req, res, "%s", (const char *)ex->handler_data);
}

void own_row_write(struct exchange *ex, const char *what, const char *sql, const char *missing)
{
    ex->handler_data = (void *)missing;
    own_row_query(ex, what, sql, written);
}

struct own_list {
    const char *member;
    int column;
};

static void listed(struct exchange *ex, PGresult *res)
{
    const struct own_list *list = ex->handler_data;
    respond_private(ex->req);
    respond_column_as_member(ex->req, res, list->member, list->column);
}

void own_rows_list(struct exchange *ex, const char *sql, const char *member, int column)
{
    if (respond_unwanted_params(ex->req, &ex->query))
        return;
    struct own_list *list = h2o_mem_alloc_pool(&ex->req->pool, sizeof *list);
    list->member = member;
    list->column = column;
    ex->handler_data = list;
    const char *args[] = {exchange_printf(ex, "%ld", ex->who.user_id)};
    exchange_query(ex, sql, 1, args, listed);
}
