/* The personal digital mailbox: every change of a report the caller follows
 * (their own, and those they supported), newest first, with the unread
 * count; and marking one message read. Rows are written by a trigger on
 * report_history (sql/006_reports.sql). */
#include "gis/reports_sql.h"
#include "api/api.h"
#include "api/own_row.h"
#include "http/paging.h"
#include "http/respond.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void page_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    const long *limit = ex->handler_data;
    const char *next = NULL;
    if (PQgetvalue(res, 0, INBOX_PAGE_MORE)[0] == 't')
        next = exchange_printf(ex, "/api/v1/me/inbox?limit=%ld&after=%s", *limit,
                               PQgetvalue(res, 0, INBOX_PAGE_LAST_ID));
    const char *body = exchange_printf(ex, "{\"unread\":%s,\"items\":%s,\"links\":%s}",
                                       PQgetvalue(res, 0, INBOX_PAGE_UNREAD),
                                       PQgetvalue(res, 0, INBOX_PAGE_ITEMS),
                                       page_links_text(ex, NULL, next));
    respond_bytes(ex->req, 200, CT_JSON, body, strlen(body));
}

void api_inbox_list(struct exchange *ex)
{
    static const char *const allowed[] = {"limit", "after", NULL};
    long *limit = h2o_mem_alloc_pool(&ex->req->pool, sizeof *limit);
    long after = 0;
    *limit = ex->app->cfg.page_default;
    params_allow_only(&ex->query, allowed);
    params_long(&ex->query, "limit", 1, ex->app->cfg.page_max, 0, limit);
    params_long(&ex->query, "after", 0, INT64_MAX, 0, &after);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    ex->handler_data = limit;
    const char *args[] = {exchange_printf(ex, "%ld", ex->who.user_id),
                          exchange_printf(ex, "%ld", after), exchange_printf(ex, "%ld", *limit)};
    exchange_query(ex, INBOX_PAGE_SQL, 3, args, page_done);
}

void api_inbox_read(struct exchange *ex)
{
    own_row_write(ex, "message", INBOX_READ_SQL,
                  exchange_printf(ex, "there is no message %s in your inbox", ex->path_params[0]));
}
