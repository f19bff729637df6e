/* News and press releases, read: the list of published and due articles
 * (newest first, paged), one article, the categories. Staff (and admins)
 * also read drafts, articles in review, withdrawn and scheduled ones; the
 * SQL decides (publish/news_sql.h). The writes are api/news_writes.c, the
 * RSS and Atom feeds api/news_feeds.c. */
#include "publish/news_sql.h"
#include "api/api.h"
#include "api/json_page.h"
#include "api/news_access.h"
#include "http/identity.h"
#include "http/respond.h"

#include <stdlib.h>

/* ---- GET /api/v1/news ---- */

static void list_done(struct exchange *ex, PGresult *res)
{
    if (!news_category_refused(ex, res, NEWS_LIST_CATEGORY_OK))
        json_page_done(ex, res);
}

void api_news_list(struct exchange *ex)
{
    static const char *const allowed[] = {"category", "lang", "limit", "after", "status", NULL};
    static const char *const statuses[] = {"draft", "review", "published", "withdrawn", "all",
                                           NULL};
    long limit, after;
    const char *lang, *status = NULL;
    params_allow_only(&ex->query, allowed);
    struct json_page *page = json_page_new(ex, "/api/v1/news", "news", &limit, &after);
    news_lang_param(ex, &lang);
    params_choice(&ex->query, "status", statuses, 0, &status);
    const char *category = params_get(&ex->query, "category");
    if (respond_params_problem(ex->req, &ex->query))
        return;
    if (status && identity_require_staff(ex, "listing news articles by status"))
        return;
    geojson_page_keep(ex, page->keep, "category", category);
    geojson_page_keep(ex, page->keep, "lang", params_get(&ex->query, "lang"));
    geojson_page_keep(ex, page->keep, "status", status);
    ex->handler_data = page;
    const char *args[NEWS_LIST_NPARAMS] = {
        [NEWS_LIST_P_CATEGORY] = category,
        [NEWS_LIST_P_LANG] = lang,
        [NEWS_LIST_P_AFTER] = exchange_printf(ex, "%ld", after),
        [NEWS_LIST_P_LIMIT] = exchange_printf(ex, "%ld", limit),
        [NEWS_LIST_P_STATUS] = status,
        [NEWS_LIST_P_STAFF] = news_staff_arg(ex),
    };
    exchange_query_prepared(ex, NEWS_LIST_SQL, NEWS_LIST_NPARAMS, args, list_done);
}

/* ---- GET /api/v1/news/{id} ---- */

static void get_done(struct exchange *ex, PGresult *res)
{
    respond_column_or_missing(ex->req, res, CT_JSON, NEWS_GET_ITEM, NEWS_MISSING,
                              atol(ex->path_params[0]));
}

void api_news_get(struct exchange *ex)
{
    static const char *const allowed[] = {"lang", NULL};
    const char *lang;
    params_allow_only(&ex->query, allowed);
    news_lang_param(ex, &lang);
    long id = news_path_id(ex);
    if (!id)
        return;
    const char *args[NEWS_GET_NPARAMS] = {
        [NEWS_GET_P_ID] = exchange_printf(ex, "%ld", id),
        [NEWS_GET_P_LANG] = lang,
        [NEWS_GET_P_STAFF] = news_staff_arg(ex),
    };
    exchange_query_prepared(ex, NEWS_GET_SQL, NEWS_GET_NPARAMS, args, get_done);
}

/* ---- GET /api/v1/news/categories ---- */

static void categories_done(struct exchange *ex, PGresult *res)
{
    respond_column_as_member(ex->req, res, "categories", NEWS_CATEGORIES_JSON);
}

void api_news_categories(struct exchange *ex)
{
    if (respond_unwanted_params(ex->req, &ex->query))
        return;
    exchange_query_prepared(ex, NEWS_CATEGORIES_SQL, 0, NULL, categories_done);
}
