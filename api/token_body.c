#include "api/token_body.h"

#include "auth/token.h"
#include "http/body.h"
#include "http/respond.h"

const char *token_body_digest(struct exchange *ex)
{
    static const char *const allowed[] = {"token", NULL};
    struct fields f;
    if (body_parse_object(ex, &f))
        return NULL;
    const char *token = NULL;
    fields_allow_only(&f, allowed);
    field_string(&f, "token", 20, 200, 1, &token);
    if (fields_reject(ex, &f))
        return NULL;
    char *digest = h2o_mem_alloc_pool(&ex->req->pool, TOKEN_DIGEST_HEX_MAX);
    token_digest_hex(token, digest);
    fields_free(&f);
    return digest;
}

void token_body_invalid(struct exchange *ex, const char *expected, const char *detail)
{
    json_t *errors = NULL;
    field_error_append(&errors, "token", expected, "an unknown, used or expired token");
    respond_problem(ex->req, 422, "/problems/invalid-token", "Invalid token", errors, "%s",
                    detail);
}
