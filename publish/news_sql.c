#include "publish/news_sql.h"

#include "common/stringify.h"

/* Published and due: what the public, the list and the feeds see. */
#define NEWS_PUBLIC(n) "(" n ".status = 'published' AND " n ".publish_at <= now())"

/* The order of lists: publication time (creation time for drafts), newest first. */
#define NEWS_SORT(n) "coalesce(" n ".publish_at, " n ".created_at)"

/* A text in language lang, the Greek one when there is no English. */
#define IN_LANG(el, en, lang) "CASE WHEN " lang " = 'en' THEN coalesce(" en ", " el ") ELSE " el " END"

/* Article n of category c as a JSON object, in language lang. */
#define NEWS_ITEM(lang)                                                                       \
    "jsonb_build_object('id', n.id, 'category', c.slug,"                                      \
    " 'category_name', " IN_LANG("c.name_el", "c.name_en", lang) ","                          \
    " 'title', " IN_LANG("n.title_el", "n.title_en", lang) ","                                \
    " 'summary', " IN_LANG("n.summary_el", "n.summary_en", lang) ","                          \
    " 'title_el', n.title_el, 'title_en', n.title_en, 'summary_el', n.summary_el,"            \
    " 'summary_en', n.summary_en, 'status', n.status, 'publish_at', n.publish_at,"            \
    " 'public', " NEWS_PUBLIC("n") ", 'created_at', n.created_at, 'updated_at', n.updated_at)"

/* The same with the bodies. */
#define NEWS_FULL(lang)                                                                       \
    NEWS_ITEM(lang) " || jsonb_build_object('body', " IN_LANG("n.body_el", "n.body_en", lang) \
    ", 'body_el', n.body_el, 'body_en', n.body_en)"

#define NEWS_JOIN " JOIN news_categories c ON c.id = n.category_id"

const char NEWS_LIST_SQL[] =
    "WITH page AS (SELECT n.id, " NEWS_SORT("n") " AS k, " NEWS_ITEM("$2::text") " AS j"
    "   FROM news n" NEWS_JOIN
    "   WHERE ($1::text IS NULL OR c.slug = $1::text)"
    "     AND CASE WHEN $5::text IS NULL THEN " NEWS_PUBLIC("n")
    "         ELSE $6::boolean AND ($5::text = 'all' OR n.status = $5::text) END"
    "     AND ($3::bigint = 0 OR (" NEWS_SORT("n") ", n.id) <"
    "          (SELECT " NEWS_SORT("a") ", a.id FROM news a WHERE a.id = $3::bigint))"
    "   ORDER BY k DESC, n.id DESC LIMIT $4::int + 1),"
    " shown AS (SELECT * FROM page ORDER BY k DESC, id DESC LIMIT $4::int)"
    " SELECT coalesce((SELECT jsonb_agg(j ORDER BY k DESC, id DESC) FROM shown), '[]')::text,"
    "  (SELECT count(*) FROM page) > $4::int,"
    "  (SELECT id FROM shown ORDER BY k, id LIMIT 1), NULL,"
    "  $1::text IS NULL OR EXISTS (SELECT 1 FROM news_categories WHERE slug = $1::text)";

const char NEWS_GET_SQL[] =
    "SELECT (" NEWS_FULL("$2::text") ")::text FROM news n" NEWS_JOIN
    " WHERE n.id = $1::bigint AND ($3::boolean OR " NEWS_PUBLIC("n") ")";

const char NEWS_CATEGORIES_SQL[] =
    "SELECT coalesce(jsonb_agg(jsonb_build_object('slug', slug, 'name_el', name_el,"
    "  'name_en', name_en) ORDER BY slug), '[]')::text FROM news_categories";

const char NEWS_WRITE_CHECK_SQL[] =
    "SELECT $1::bigint IS NULL OR EXISTS (SELECT 1 FROM news WHERE id = $1::bigint),"
    "  (SELECT status FROM news WHERE id = $1::bigint),"
    "  (SELECT author_id FROM news WHERE id = $1::bigint),"
    "  (SELECT id FROM news_categories WHERE slug = $2::text)";

#define AUDIT_INSERT                                                                          \
    "INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"        \
    " entity_id, before, after, client_ip)"

const char NEWS_CREATE_SQL[] =
    "WITH r AS (SELECT * FROM jsonb_populate_record(NULL::news, $1::jsonb)),"
    " n AS (INSERT INTO news (category_id, title_el, title_en, summary_el, summary_en, body_el,"
    "         body_en, status, publish_at, author_id)"
    "       SELECT r.category_id, r.title_el, r.title_en, r.summary_el, r.summary_en,"
    "         r.body_el, r.body_en, coalesce(r.status, 'draft'), r.publish_at, $2::bigint"
    "       FROM r RETURNING *),"
    " j AS (SELECT n.id, " NEWS_FULL("'el'") " AS v FROM n" NEWS_JOIN "),"
    " a AS (" AUDIT_INSERT
    "       SELECT $2::bigint, $3::bigint, $4, 'news.create', 'news', j.id::text, NULL, j.v,"
    "         $5::inet FROM j)"
    " SELECT id, v::text FROM j";

const char NEWS_UPDATE_SQL[] =
    "WITH old AS (SELECT " NEWS_FULL("'el'") " AS v FROM news n" NEWS_JOIN
    "   WHERE n.id = $1::bigint),"
    " r AS (SELECT (jsonb_populate_record(t, $2::jsonb)).* FROM news t WHERE t.id = $1::bigint),"
    " n AS (UPDATE news t SET category_id = r.category_id, title_el = r.title_el,"
    "         title_en = r.title_en, summary_el = r.summary_el, summary_en = r.summary_en,"
    "         body_el = r.body_el, body_en = r.body_en, status = r.status,"
    "         publish_at = CASE WHEN r.status = 'published' THEN coalesce(r.publish_at, now())"
    "                      ELSE r.publish_at END,"
    "         published_by = CASE WHEN r.status = 'published' AND t.status <> 'published'"
    "                        THEN $4::bigint ELSE t.published_by END,"
    "         updated_at = now()"
    "       FROM r WHERE t.id = r.id AND t.status = $3::text RETURNING t.*),"
    " j AS (SELECT n.id, " NEWS_FULL("'el'") " AS v FROM n" NEWS_JOIN "),"
    " a AS (" AUDIT_INSERT
    "       SELECT $4::bigint, $5::bigint, $6,"
    "         CASE WHEN $2::jsonb ? 'status' AND $2::jsonb->>'status' <> $3::text"
    "           THEN 'news.' || ($2::jsonb->>'status') ELSE 'news.update' END,"
    "         'news', j.id::text, (SELECT v FROM old), j.v, $7::inet FROM j)"
    " SELECT v::text FROM j";

/* ---- the feeds ---- */

/* Text made safe for XML 1.0, which has no control characters but tab and newlines. */
#define XML_TEXT(t) "regexp_replace(" t ", '[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f]', '', 'g')"
#define RFC822(t) "to_char(" t " AT TIME ZONE 'UTC', 'Dy, DD Mon YYYY HH24:MI:SS') || ' GMT'"
#define RFC3339(t) "to_char(" t " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* Where an item is read: the news page (web/news.html), in the feed's language. */
#define ITEM_LINK "$1::text || '/assets/news.html?id=' || i.id || '&lang=' || $3::text"

/* The feed's items (i), its category (cat) and title (feed_title). */
#define FEED_WITH                                                                             \
    "WITH cat AS (SELECT * FROM news_categories WHERE slug = $2::text),"                      \
    " m AS (SELECT " IN_LANG("name_el", "name_en", "$3::text") " AS name FROM boundaries"     \
    "   WHERE level = 'municipality' AND code = $5::text LIMIT 1),"                           \
    " items AS (SELECT n.id, n.publish_at, greatest(n.updated_at, n.publish_at) AS updated,"  \
    "     " XML_TEXT(IN_LANG("n.title_el", "n.title_en", "$3::text")) " AS title,"            \
    "     " XML_TEXT(IN_LANG("n.summary_el", "n.summary_en", "$3::text")) " AS summary,"      \
    "     c.slug, " IN_LANG("c.name_el", "c.name_en", "$3::text") " AS category"              \
    "   FROM news n" NEWS_JOIN " WHERE " NEWS_PUBLIC("n")                                     \
    "     AND ($2::text IS NULL OR c.slug = $2::text)"                                        \
    "   ORDER BY n.publish_at DESC, n.id DESC LIMIT " STRINGIFY(NEWS_FEED_ITEMS) "),"         \
    " t AS (SELECT coalesce((SELECT name FROM m), 'polis') || coalesce(' – ' || (SELECT "    \
    IN_LANG("name_el", "name_en", "$3::text") " FROM cat), '') AS feed_title)"

#define XML_DECLARATION "'<?xml version=\"1.0\" encoding=\"UTF-8\"?>' || chr(10) || "

const char NEWS_RSS_SQL[] =
    FEED_WITH
    " SELECT $2::text IS NULL OR EXISTS (SELECT 1 FROM cat), " XML_DECLARATION
    " xmlelement(name rss, xmlattributes('2.0' AS version,"
    "     'http://www.w3.org/2005/Atom' AS \"xmlns:atom\"),"
    "   xmlelement(name channel,"
    "     xmlelement(name title, t.feed_title),"
    "     xmlelement(name link, $1::text || '/assets/news.html'),"
    "     xmlelement(name description, t.feed_title),"
    "     xmlelement(name language, $3::text),"
    "     xmlelement(name \"atom:link\", xmlattributes($4::text AS href, 'self' AS rel,"
    "       'application/rss+xml' AS type)),"
    "     xmlelement(name \"lastBuildDate\","
    "       " RFC822("coalesce((SELECT max(updated) FROM items), now())") "),"
    "     (SELECT xmlagg(xmlelement(name item,"
    "         xmlelement(name title, i.title),"
    "         xmlelement(name link, " ITEM_LINK "),"
    "         xmlforest(i.summary AS description),"
    "         xmlelement(name guid, xmlattributes('true' AS \"isPermaLink\"), " ITEM_LINK "),"
    "         xmlelement(name category, i.category),"
    "         xmlelement(name \"pubDate\", " RFC822("i.publish_at") "))"
    "       ORDER BY i.publish_at DESC, i.id DESC) FROM items i)))::text"
    " FROM t";

const char NEWS_ATOM_SQL[] =
    FEED_WITH
    " SELECT $2::text IS NULL OR EXISTS (SELECT 1 FROM cat), " XML_DECLARATION
    " xmlelement(name feed, xmlattributes('http://www.w3.org/2005/Atom' AS xmlns,"
    "     $3::text AS \"xml:lang\"),"
    "   xmlelement(name title, t.feed_title),"
    "   xmlelement(name id, $4::text),"
    "   xmlelement(name link, xmlattributes($4::text AS href, 'self' AS rel,"
    "     'application/atom+xml' AS type)),"
    "   xmlelement(name link, xmlattributes($1::text || '/assets/news.html' AS href, 'alternate' AS rel)),"
    "   xmlelement(name updated, " RFC3339("coalesce((SELECT max(updated) FROM items), now())") "),"
    "   xmlelement(name author, xmlelement(name name, t.feed_title)),"
    "   (SELECT xmlagg(xmlelement(name entry,"
    "       xmlelement(name title, i.title),"
    "       xmlelement(name link, xmlattributes(" ITEM_LINK " AS href, 'alternate' AS rel)),"
    "       xmlelement(name id, " ITEM_LINK "),"
    "       xmlelement(name published, " RFC3339("i.publish_at") "),"
    "       xmlelement(name updated, " RFC3339("i.updated") "),"
    "       xmlforest(i.summary AS summary),"
    "       xmlelement(name category, xmlattributes(i.slug AS term, i.category AS label)))"
    "     ORDER BY i.publish_at DESC, i.id DESC) FROM items i))::text"
    " FROM t";
