/* GET /news/rss.xml (RSS 2.0) and GET /news/atom.xml (Atom 1.0): the
 * latest published and due articles (NEWS_FEED_ITEMS), all or of one
 * category (?category=slug), in Greek or English (?lang=). PostgreSQL
 * builds the whole document with xmlelement, which escapes every text;
 * the handler writes those bytes. Links are absolute: POLIS_PUBLIC_URL,
 * else the address the request came to. */
#include "publish/news_sql.h"
#include "api/api.h"
#include "api/news_access.h"
#include "http/respond.h"

#define CT_RSS "application/rss+xml; charset=utf-8"
#define CT_ATOM "application/atom+xml; charset=utf-8"

static void feed_done(struct exchange *ex, PGresult *res)
{
    if (news_category_refused(ex, res, NEWS_FEED_CATEGORY_OK))
        return;
    respond_header(ex->req, "cache-control", "public, max-age=60");
    respond_column(ex->req, 200, ex->handler_data, res, NEWS_FEED_XML);
}

static void feed(struct exchange *ex, const char *sql, const char *content_type)
{
    static const char *const allowed[] = {"category", "lang", NULL};
    const char *lang;
    params_allow_only(&ex->query, allowed);
    news_lang_param(ex, &lang);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *public_url = ex->app->cfg.public_url;
    const char *base = *public_url ? public_url : exchange_url(ex, "");
    ex->handler_data = (void *)content_type;
    const char *args[NEWS_FEED_NPARAMS] = {
        [NEWS_FEED_P_BASE] = base,
        [NEWS_FEED_P_CATEGORY] = params_get(&ex->query, "category"),
        [NEWS_FEED_P_LANG] = lang,
        [NEWS_FEED_P_SELF] = exchange_printf(ex, "%s%.*s", base, (int)ex->req->path.len,
                                             ex->req->path.base),
        [NEWS_FEED_P_MUNICIPALITY] = ex->app->cfg.municipality,
    };
    exchange_query_prepared(ex, sql, NEWS_FEED_NPARAMS, args, feed_done);
}

void api_news_rss(struct exchange *ex)
{
    feed(ex, NEWS_RSS_SQL, CT_RSS);
}

void api_news_atom(struct exchange *ex)
{
    feed(ex, NEWS_ATOM_SQL, CT_ATOM);
}
