#include "api/not_modified.h"
#include "http/conditional.h"
#include "http/respond.h"

int not_modified(struct exchange *ex, const char *etag, const char *cache_control)
{
    respond_header(ex->req, "etag", etag);
    respond_header(ex->req, "cache-control", cache_control);
    if (!request_etag_listed(ex->req, etag))
        return 0;
    ex->req->res.status = 304;
    ex->req->res.reason = "Not Modified";
    h2o_send_inline(ex->req, "", 0);
    return 1;
}
