#include "server/mail.h"

const char *mail_link(struct exchange *ex, const char *path, const char *token)
{
    const char *base = ex->app->cfg.public_url;
    if (*base)
        return exchange_printf(ex, "%s%s?token=%s", base, path, token);
    return exchange_url(ex, exchange_printf(ex, "%s?token=%s", path, token));
}
