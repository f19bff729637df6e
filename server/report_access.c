#include "server/report_access.h"

#include "auth/token.h"
#include "server/respond.h"

#include <string.h>

const char *report_secret_digest(struct exchange *ex)
{
    const char *secret = params_get(&ex->query, "secret");
    if (!secret)
        return NULL;
    if (!*secret || strlen(secret) > TOKEN_TEXT_MAX) {
        params_error(&ex->query, "secret", "the secret given when the report was filed",
                     secret);
        return NULL;
    }
    char *digest = h2o_mem_alloc_pool(&ex->req->pool, TOKEN_DIGEST_HEX_MAX);
    token_digest_hex(secret, digest);
    return digest;
}

void report_not_found(struct exchange *ex)
{
    respond_problem(ex->req, 404, "about:blank", "Not Found", NULL,
                    "there is no report with id %s (or it is not visible to you)",
                    ex->path_params[0]);
}
