#include "api/own_row.h"

#include "http/respond.h"

void own_row_write(struct exchange *ex, const char *what, const char *sql,
                   exchange_result_cb done)
{
    long id;
    if (respond_bad_path_id(ex->req, &ex->query, ex->path_params[0], what, &id))
        return;
    const char *args[] = {exchange_printf(ex, "%ld", id),
                          exchange_printf(ex, "%ld", ex->who.user_id)};
    exchange_query(ex, sql, 2, args, done);
}
