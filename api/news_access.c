/* Pieces every news route shares: see api/news_access.h. */
#include "api/news_access.h"

#include "http/identity.h"
#include "http/respond.h"

const char *const news_languages[] = {"el", "en", NULL};

const char *news_staff_arg(struct exchange *ex)
{
    return ex->who.rank >= 2 && identity_staff_scope(&ex->who) ? "true" : "false";
}

long news_path_id(struct exchange *ex)
{
    long id;
    params_path_id(&ex->query, "id", ex->path_params[0], "news article", &id);
    return respond_params_problem(ex->req, &ex->query) ? 0 : id;
}

void news_lang_param(struct exchange *ex, const char **lang)
{
    *lang = "el";
    params_choice(&ex->query, "lang", news_languages, 0, lang);
}

int news_category_refused(struct exchange *ex, const PGresult *res, int category_ok)
{
    if (respond_db_failure(ex->req, res))
        return 1;
    if (PQgetvalue(res, 0, category_ok)[0] == 't')
        return 0;
    params_error(&ex->query, "category",
                 "the slug of a news category (GET /api/v1/news/categories)",
                 params_get(&ex->query, "category"));
    respond_params_problem(ex->req, &ex->query);
    return 1;
}
