/* GET /api/v1/me/stream: the caller's mailbox as Server-Sent Events. Each
 * new inbox entry arrives as `id: <inbox id>`, `event: inbox` and `data:`
 * the entry as GET /api/v1/me/inbox lists it, with "unread" (the count of
 * unread entries). A client that reconnects with Last-Event-ID (or
 * ?last_event_id= where it cannot set headers) first gets every stored
 * entry after that id, in order, then the live ones, none twice. The
 * streams themselves live in http/sse.c; the process's one reader of new
 * entries in http/sse_feed.c. */
#include "api/api.h"
#include "http/respond.h"
#include "http/sse.h"
#include "notify/change_feed_sql.h"

#include <stdlib.h>
#include <string.h>

static void resume_done(struct exchange *ex, PGresult *res)
{
    struct sse_stream *s = ex->handler_data;
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
        sse_stream_resumed(s, 0); /* the client retries after its retry: delay */
        return;
    }
    for (int i = 0; i < PQntuples(res); i++)
        sse_stream_write(s, strtoll(PQgetvalue(res, i, STREAM_RESUME_ID), NULL, 10),
                         PQgetvalue(res, i, STREAM_RESUME_DATA),
                         (size_t)PQgetlength(res, i, STREAM_RESUME_DATA));
    sse_stream_resumed(s, 1);
}

/* The id the client saw last: the Last-Event-ID header, else the query
 * parameter; -1 when neither is given. */
static long last_event_id(struct exchange *ex)
{
    const char *name = "Last-Event-ID", *text = NULL;
    ssize_t h = h2o_find_header_by_str(&ex->req->headers, H2O_STRLIT("last-event-id"), -1);
    if (h >= 0) {
        h2o_iovec_t v = ex->req->headers.entries[h].value;
        text = exchange_printf(ex, "%.*s", (int)v.len, v.base);
    } else {
        name = "last_event_id";
        text = params_get(&ex->query, "last_event_id");
    }
    long id = -1;
    if (text && (parse_integer(text, &id) || id < 0))
        params_error(&ex->query, name, "an inbox id (a non-negative integer) from an earlier event",
                     text);
    return text ? id : -1;
}

void api_me_stream(struct exchange *ex)
{
    static const char *const allowed[] = {"last_event_id", NULL};
    params_allow_only(&ex->query, allowed);
    long after = last_event_id(ex);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    if (atomic_load(&ex->app->shutting_down)) { /* a stream would hold the drain */
        respond_problem(ex->req, 503, "about:blank", "Service Unavailable", NULL,
                        "this server is shutting down; connect again");
        return;
    }
    if (h2o_memis(ex->req->method.base, ex->req->method.len, H2O_STRLIT("HEAD"))) {
        /* the headers only: a stream with no body would never end */
        respond_bytes(ex->req, 200, "text/event-stream; charset=utf-8", "", 0);
        return;
    }
    struct sse_stream *s = sse_stream_open(ex, ex->who.user_id, after);
    if (after < 0)
        return;
    ex->handler_data = s;
    const char *args[STREAM_RESUME_NPARAMS];
    args[STREAM_RESUME_USER] = exchange_printf(ex, "%ld", ex->who.user_id);
    args[STREAM_RESUME_AFTER] = exchange_printf(ex, "%ld", after);
    exchange_query_prepared(ex, STREAM_RESUME_SQL, STREAM_RESUME_NPARAMS, args, resume_done);
}
