/* Pieces every news route shares (api/news.c, api/news_writes.c,
 * api/news_feeds.c): the STAFF parameter of publish/news_sql.h, the
 * article id of the path, the 404 about an article, the languages. */
#ifndef POLIS_NEWS_ACCESS_H
#define POLIS_NEWS_ACCESS_H

#include "http/exchange.h"

#include <libpq-fe.h>

/* The languages articles are written in; ?lang= takes one (default el). */
extern const char *const news_languages[];

/* "true" when the caller is staff or admin with staff powers (an API key
 * without the staff scope acts as a citizen), else "false". */
const char *news_staff_arg(struct exchange *ex);

/* The article id of the path, or 0 after answering 400. */
long news_path_id(struct exchange *ex);

/* The detail of a 404 about an article: printf, its id as a long. */
#define NEWS_MISSING "there is no news article with id %ld"

/* Reads ?lang= (el or en) into *lang, "el" when absent; records an error
 * on ex->query otherwise. */
void news_lang_param(struct exchange *ex, const char **lang);

/* The first answer of the list and the feeds, whose statements say in
 * column category_ok whether ?category= names a category: answers the
 * database failure, or 400 naming category when it does not, and returns 1;
 * 0 when res is there to use. */
int news_category_refused(struct exchange *ex, const PGresult *res, int category_ok);

#endif
