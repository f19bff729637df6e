/* SQL on news articles and their categories (sql/054_news.sql).
 * PostgreSQL builds the JSON and the feeds' XML (xmlelement escapes every
 * text); the writes carry their audit_log row in the same statement.
 *
 * Public means published and due: status 'published' and publish_at not
 * in the future (a scheduled article appears by itself when its time
 * comes). STAFF parameters (boolean) say that the caller is staff or admin
 * with staff powers (http/identity.h: identity_staff_scope): they read
 * every article in every status. */
#ifndef POLIS_NEWS_SQL_H
#define POLIS_NEWS_SQL_H

#include "common/audit_actor.h"

/* Items per feed: the latest published and due. */
#define NEWS_FEED_ITEMS 20

/* $1 category slug|NULL, $2 language (el|en), $3 after this id (0: from the
 * newest), $4 page size, $5 status|'all'|NULL (NULL: public ones only;
 * others for STAFF), $6 STAFF. One row, newest first (publication time,
 * else creation time, then id). */
extern const char NEWS_LIST_SQL[];
enum news_list_param {
    NEWS_LIST_P_CATEGORY,
    NEWS_LIST_P_LANG,
    NEWS_LIST_P_AFTER,
    NEWS_LIST_P_LIMIT,
    NEWS_LIST_P_STATUS,
    NEWS_LIST_P_STAFF,
    NEWS_LIST_NPARAMS
};
/* The first three are enum json_page_col (api/json_page.h). */
enum news_list_col {
    NEWS_LIST_ITEMS,       /* json array, without the bodies */
    NEWS_LIST_MORE,        /* boolean */
    NEWS_LIST_LAST_ID,     /* the next page's after= */
    NEWS_LIST_EXTRA,       /* unused (NULL) */
    NEWS_LIST_CATEGORY_OK, /* boolean: no category asked, or one that exists */
};

/* $1 id, $2 language, $3 STAFF. Zero or one row: the article with its
 * bodies (not public ones only for STAFF). */
extern const char NEWS_GET_SQL[];
enum news_get_param { NEWS_GET_P_ID, NEWS_GET_P_LANG, NEWS_GET_P_STAFF, NEWS_GET_NPARAMS };
enum news_get_col { NEWS_GET_ITEM };

/* No parameters. One row: the categories as a JSON array by slug. */
extern const char NEWS_CATEGORIES_SQL[];
enum news_categories_col { NEWS_CATEGORIES_JSON };

/* $1 id|NULL (create), $2 category slug|NULL. One row: what a write
 * needs to know before it is sent. */
extern const char NEWS_WRITE_CHECK_SQL[];
enum news_write_check_param {
    NEWS_WRITE_CHECK_P_ID,
    NEWS_WRITE_CHECK_P_CATEGORY,
    NEWS_WRITE_CHECK_NPARAMS
};
enum news_write_check_col {
    NEWS_WRITE_CHECK_EXISTS,      /* boolean: the article exists (true when creating) */
    NEWS_WRITE_CHECK_STATUS,      /* its status|NULL */
    NEWS_WRITE_CHECK_AUTHOR,      /* its author's user id|NULL */
    NEWS_WRITE_CHECK_CATEGORY_ID, /* of the slug|NULL when unknown or not given */
};

/* $1 the article as JSON: members title_el, title_en, summary_el,
 * summary_en, body_el, body_en, category_id, status, publish_at (RFC 3339);
 * $2..$5 the actor (the author). One row. */
extern const char NEWS_CREATE_SQL[];
enum news_create_param {
    NEWS_CREATE_P_ARTICLE,
    NEWS_CREATE_P_ACTOR, /* 4 slots */
    NEWS_CREATE_NPARAMS = NEWS_CREATE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum news_create_col { NEWS_CREATE_ID, NEWS_CREATE_ITEM };

/* $1 id, $2 the changes as JSON (members present are set, null clears),
 * $3 the status the check saw (the update happens only while it still
 * is), $4..$7 the actor. Moving to 'published' sets publish_at to now()
 * unless one is given or kept, and published_by to the actor. Zero rows
 * when the article is gone or its status changed meanwhile. */
extern const char NEWS_UPDATE_SQL[];
enum news_update_param {
    NEWS_UPDATE_P_ID,
    NEWS_UPDATE_P_CHANGES,
    NEWS_UPDATE_P_STATUS_SEEN,
    NEWS_UPDATE_P_ACTOR, /* 4 slots */
    NEWS_UPDATE_NPARAMS = NEWS_UPDATE_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum news_update_col { NEWS_UPDATE_ITEM };

/* The feeds: $1 the public base URL (no trailing /), $2 category slug|NULL,
 * $3 language, $4 the feed's own URL, $5 the served municipality's code.
 * One row: whether the category exists, and the whole document. */
extern const char NEWS_RSS_SQL[];
extern const char NEWS_ATOM_SQL[];
enum news_feed_param {
    NEWS_FEED_P_BASE,
    NEWS_FEED_P_CATEGORY,
    NEWS_FEED_P_LANG,
    NEWS_FEED_P_SELF,
    NEWS_FEED_P_MUNICIPALITY,
    NEWS_FEED_NPARAMS
};
enum news_feed_col {
    NEWS_FEED_CATEGORY_OK, /* boolean */
    NEWS_FEED_XML,         /* text, with the XML declaration */
};

#endif
