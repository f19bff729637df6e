#include "api/mail.h"

#include "auth/token.h"
#include "http/respond.h"

int mail_links_unavailable(struct exchange *ex)
{
    if (*ex->app->cfg.public_url)
        return 0;
    respond_problem(ex->req, 503, "/problems/no-public-url", "Service Unavailable", NULL,
                    "this server has no public address configured (POLIS_PUBLIC_URL), so it "
                    "cannot mail links; nothing was changed. Ask its operator to set it");
    return 1;
}

const char *mail_link(struct exchange *ex, const char *path)
{
    return exchange_printf(ex, "%s%s?token=" MAIL_TOKEN_PLACEHOLDER, ex->app->cfg.public_url,
                           path);
}

struct mail_token mail_token_new(struct exchange *ex)
{
    char token[TOKEN_TEXT_MAX + 1];
    char *digest = h2o_mem_alloc_pool(&ex->req->pool, TOKEN_DIGEST_HEX_MAX);
    token_new(NULL, token, sizeof token);
    token_digest_hex(token, digest);
    return (struct mail_token){.text = exchange_strdup(ex, token), .digest = digest};
}
