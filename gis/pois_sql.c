#include "gis/pois_sql.h"

#include "common/stringify.h"
#include "gis/search_sql.h"

/* An admin, or staff of the department 'tourism'. */
#define EDITOR(adm, deps)                                                                    \
    "(" adm "::boolean OR EXISTS (SELECT 1 FROM departments d WHERE d.code = 'tourism'"      \
    " AND d.id = ANY (" deps "::bigint[])))"

/* POI p is in the list asked for: published ones for anyone, any status for
 * editors (st NULL: all). The editor flag is read from CTE v by a scalar
 * subquery (computed once): joining v would keep the planner from reading
 * the KNN and trigram indexes in their order. */
#define VISIBLE(st)                                                                          \
    "((" st "::text = 'published' AND p.status = 'published') OR ((SELECT editor FROM v)"    \
    " AND (" st "::text IS NULL OR p.status = " st "::text)))"

#define FILTERS(cats, x1, y1, x2, y2)                                                        \
    " AND (" cats "::text[] IS NULL OR p.category = ANY (" cats "::text[]))"                 \
    " AND (" x1 "::float8 IS NULL OR p.geom && ST_MakeEnvelope(" x1 "::float8, " y1          \
    "::float8, " x2 "::float8, " y2 "::float8, 4326))"

/* The codes of a categories parameter that are no category. */
#define UNKNOWN(cats)                                                                        \
    " unknown AS (SELECT string_agg(x, ',' ORDER BY x) AS codes FROM unnest(" cats           \
    "::text[]) x WHERE NOT EXISTS (SELECT 1 FROM poi_categories k WHERE k.code = x))"

/* POI p (category c) as a GeoJSON Feature; name, description and
 * category_name in lang (English falls back to Greek). RFC 7946: lon/lat
 * with 7 decimals. extra is appended to the properties (|| jsonb). */
#define FEATURE(lang, extra)                                                                 \
    "jsonb_build_object('type', 'Feature', 'id', p.id,"                                      \
    " 'geometry', ST_AsGeoJSON(p.geom, 7)::jsonb,"                                           \
    " 'properties', jsonb_build_object('id', p.id, 'category', p.category,"                  \
    "   'category_name', CASE WHEN " lang " = 'en' THEN c.name_en ELSE c.name_el END,"       \
    "   'name', CASE WHEN " lang " = 'en' THEN coalesce(p.name_en, p.name_el)"               \
    "     ELSE p.name_el END,"                                                               \
    "   'name_el', p.name_el, 'name_en', p.name_en, 'names', p.names,"                       \
    "   'description', CASE WHEN " lang " = 'en'"                                            \
    "     THEN coalesce(p.description_en, p.description_el) ELSE p.description_el END,"      \
    "   'description_el', p.description_el, 'description_en', p.description_en,"            \
    "   'descriptions', p.descriptions, 'address', p.address, 'phone', p.phone,"             \
    "   'website', p.website, 'opening_hours', p.opening_hours,"                             \
    "   'accessibility', p.accessibility, 'tags', to_jsonb(p.tags), 'status', p.status,"     \
    "   'demo', p.demo, 'published_at', p.published_at, 'updated_at', p.updated_at,"         \
    "   'photos', (SELECT coalesce(jsonb_agg('/api/v1/pois/' || ph.poi_id || '/photos/'"     \
    "      || ph.id ORDER BY ph.id), '[]'::jsonb) FROM poi_photos ph WHERE ph.poi_id = p.id))" \
    extra ")"

#define WITH_CATEGORY " JOIN poi_categories c ON c.code = p.category"

/* Word n (1-4) of the folded query, longest first (the most selective one
 * drives the trigram index), escaped for LIKE and wrapped in %...%; NULL
 * when the query has fewer words. An InitPlan, like those of gis/search_sql.h. */
#define QWORD(q, n)                                                                          \
    "(SELECT '%' || e || '%' FROM (SELECT replace(replace(replace(t, '\\', '\\\\'), '%',"    \
    " '\\%'), '_', '\\_') AS e, row_number() OVER (ORDER BY length(t) DESC, t) AS k"         \
    " FROM regexp_split_to_table(polis_search_norm(" q "::text), ' ') AS t WHERE t <> '')"   \
    " AS x WHERE k = " n ")"
#define WORD_IN_KEY(q, n)                                                                    \
    " AND (" QWORD(q, n) " IS NULL OR p.search_key LIKE " QWORD(q, n) ")"
/* q matches exactly: each of its first four words is a substring of the key,
 * in any order (the first through the GIN trigram index on search_key). */
#define EXACT(q)                                                                             \
    "(p.search_key LIKE " QWORD(q, "1") WORD_IN_KEY(q, "2") WORD_IN_KEY(q, "3")             \
    WORD_IN_KEY(q, "4") ")"
/* Typos: only when no POI the caller may see matches exactly, a word of the
 * key resembles q (trigram word similarity, also through the index). A
 * scalar subquery: PostgreSQL evaluates it once and skips the fuzzy scan
 * altogether when it is false. */
#define FUZZY_NEEDED(q, st, cats, x1, y1, x2, y2)                                            \
    "(SELECT NOT EXISTS (SELECT 1 FROM pois p WHERE " EXACT(q) " AND " VISIBLE(st)            \
    FILTERS(cats, x1, y1, x2, y2) "))"
#define FUZZY(q) SEARCH_FOLDED(q) " <% p.search_key"

/* Ranks of an exact match: the whole query as words of the key (0), as the
 * start of a word (1), anywhere (2); fuzzy matches are 3, ordered by word
 * similarity (costly, so computed for them only). */
#define EXACT_RANK(q)                                                                        \
    "CASE WHEN (' ' || p.search_key || ' ') LIKE ('% ' || " SEARCH_LIKE_ESCAPED(q) " || ' %') THEN 0"         \
    " WHEN (' ' || p.search_key) LIKE ('% ' || " SEARCH_LIKE_ESCAPED(q) " || '%') THEN 1 ELSE 2 END"

/* The answer of a list: page (id and the order columns, limit + 1 rows)
 * and shown (limit rows) are CTEs, v and unknown too. */
#define LIST_ANSWER(lang, extra, order, limit)                                               \
    " SELECT coalesce((SELECT jsonb_agg(" FEATURE(lang, extra) " ORDER BY " order ")"        \
    "   FROM shown s JOIN pois p ON p.id = s.id" WITH_CATEGORY "), '[]')::text,"             \
    "  (SELECT count(*) FROM page) > " limit "::int, (SELECT editor FROM v),"                \
    "  (SELECT codes FROM unknown)"

const char POI_LIST_SQL[] =
    "WITH v AS (SELECT " EDITOR("$10", "$11") " AS editor)," UNKNOWN("$2") ","
    " page AS (SELECT p.id FROM pois p WHERE " VISIBLE("$1")
    FILTERS("$2", "$3", "$4", "$5", "$6")
    "   ORDER BY p.id OFFSET $8::int LIMIT $9::int + 1),"
    " shown AS (SELECT id FROM page ORDER BY id LIMIT $9::int)"
    LIST_ANSWER("$7::text", "", "s.id", "$9");

const char POI_SEARCH_SQL[] =
    "WITH v AS (SELECT " EDITOR("$11", "$12") " AS editor)," UNKNOWN("$3") ","
    " page AS (SELECT * FROM ("
    "   SELECT p.id, " EXACT_RANK("$1") " AS rank, 1::real AS ws, length(p.search_key) AS len"
    "   FROM pois p WHERE " EXACT("$1") " AND " VISIBLE("$2")
    FILTERS("$3", "$4", "$5", "$6", "$7")
    "   UNION ALL"
    "   SELECT p.id, 3, word_similarity(" SEARCH_FOLDED("$1") ", p.search_key), length(p.search_key)"
    "   FROM pois p WHERE " FUZZY_NEEDED("$1", "$2", "$3", "$4", "$5", "$6", "$7")
    "   AND " FUZZY("$1") " AND " VISIBLE("$2") FILTERS("$3", "$4", "$5", "$6", "$7") ") m"
    "   ORDER BY rank, ws DESC, len, id OFFSET $9::int LIMIT $10::int + 1),"
    " shown AS (SELECT * FROM page ORDER BY rank, ws DESC, len, id LIMIT $10::int)"
    LIST_ANSWER("$8::text", "", "s.rank, s.ws DESC, s.len, s.id", "$10");

#define NEAR_POINT "ST_SetSRID(ST_MakePoint($9::float8, $8::float8), 4326)::geography"

/* match: which POIs qualify besides VISIBLE and FILTERS; without q= the
 * statement has no search conditions at all (only that $1 is NULL), so
 * there is less to plan. PostgreSQL plans these statements on every call
 * (about 0.5 ms): with OFFSET and LIMIT as parameters their generic plan
 * looks dearer than a custom one. Every plan reads the KNN index in order;
 * the inner LIMIT is a constant (POI_NEAR_MAX + 1) so that even a generic
 * plan does, instead of sorting the whole table. */
#define NEAR_SQL(match)                                                                      \
    "WITH v AS (SELECT " EDITOR("$13", "$14") " AS editor)," UNKNOWN("$3") ","                \
    " nearest AS (SELECT p.id, p.geom::geography <-> " NEAR_POINT " AS dist"                 \
    "   FROM pois p WHERE " match " AND " VISIBLE("$2") FILTERS("$3", "$4", "$5", "$6", "$7") \
    /* by distance alone, so the KNN index is read in order and the LIMITs stop \
     * it early; ties are ordered in shown */                                                 \
    "   ORDER BY p.geom::geography <-> " NEAR_POINT " LIMIT " STRINGIFY(POI_NEAR_MAX) " + 1),"      \
    " page AS (SELECT * FROM nearest ORDER BY dist OFFSET $11::int LIMIT $12::int + 1),"     \
    " shown AS (SELECT * FROM page ORDER BY dist, id LIMIT $12::int)"                        \
    LIST_ANSWER("$10::text", " || jsonb_build_object('distance_m', round(s.dist::numeric, 1))", \
                "s.dist, s.id", "$12")

const char POI_NEAR_SQL[] = NEAR_SQL("$1::text IS NULL");

const char POI_NEAR_Q_SQL[] =
    NEAR_SQL("(" EXACT("$1") " OR (" FUZZY_NEEDED("$1", "$2", "$3", "$4", "$5", "$6", "$7")
             " AND " FUZZY("$1") "))");

const char POI_GET_SQL[] =
    "SELECT " FEATURE("$2::text", "") "::text FROM pois p" WITH_CATEGORY
    " WHERE p.id = $1::bigint AND (p.status = 'published' OR " EDITOR("$3", "$4") ")";

const char POI_EXPORT_PAGE_SQL[] =
    "WITH page AS (SELECT p.id, " FEATURE("$1::text", "") " AS f FROM pois p" WITH_CATEGORY
    "   WHERE p.status = 'published' AND p.id > $2::bigint ORDER BY p.id LIMIT $3::int)"
    " SELECT string_agg(f::text, ',' ORDER BY id), max(id), count(*),"
    "  (SELECT version FROM layer_versions WHERE layer = 'pois') FROM page";

/* ---- writes ---- */

/* The geometry of the input (CTE input, column j; GeoJSON already checked
 * for shape and ranges by the handler), NULL when not given. */
#define INPUT_GEOMETRY(j)                                                                    \
    " g AS (SELECT CASE WHEN " j " ? 'geometry' THEN"                                        \
    "   ST_SetSRID(ST_GeomFromGeoJSON(" j "->>'geometry'), 4326) END AS geom FROM input)"
#define CATEGORY_OK(code)                                                                    \
    "EXISTS (SELECT 1 FROM poi_categories k WHERE k.code = " code " AND k.active)"
#define GEOM_CHECK                                                                           \
    " coalesce(ST_IsValid(g.geom), true) AS geom_ok,"                                        \
    " CASE WHEN NOT ST_IsValid(g.geom) THEN ST_IsValidReason(g.geom) END AS why"

/* A member of input.j for column col; a JSON null gives the default */
#define IN_TEXT(col) "input.j->>'" col "'"
#define IN_JSONB(col) "coalesce(nullif(input.j->'" col "', 'null'::jsonb), '{}'::jsonb)"
#define IN_TAGS                                                                              \
    "ARRAY(SELECT jsonb_array_elements_text(coalesce(nullif(input.j->'tags', 'null'::jsonb)," \
    " '[]'::jsonb)))"
/* col = the member when given, else unchanged */
#define SET(col, value)                                                                      \
    " " col " = CASE WHEN input.j ? '" col "' THEN " value " ELSE t." col " END,"

const char POI_CREATE_SQL[] =
    "WITH v AS (SELECT " EDITOR("$2", "$3") " AS editor),"
    " input AS (SELECT $1::jsonb AS j)," INPUT_GEOMETRY("input.j") ","
    " chk AS (SELECT v.editor, " CATEGORY_OK("(SELECT input.j->>'category' FROM input)")
    "   AS cat_ok," GEOM_CHECK " FROM v, g),"
    " p AS (INSERT INTO pois (category, name_el, name_en, names, description_el,"
    "     description_en, descriptions, address, phone, website, opening_hours, accessibility,"
    "     tags, geom, created_by)"
    "   SELECT " IN_TEXT("category") ", " IN_TEXT("name_el") ", " IN_TEXT("name_en") ", "
    IN_JSONB("names") ", " IN_TEXT("description_el") ", " IN_TEXT("description_en") ", "
    IN_JSONB("descriptions") ", " IN_TEXT("address") ", " IN_TEXT("phone") ", "
    IN_TEXT("website") ", " IN_TEXT("opening_hours") ", " IN_JSONB("accessibility") ", "
    IN_TAGS ", g.geom, $4::bigint"
    "   FROM input, g, chk WHERE chk.editor AND chk.cat_ok AND chk.geom_ok RETURNING *),"
    " f AS (SELECT p.id, " FEATURE("'el'", "") " AS v FROM p" WITH_CATEGORY "),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "   entity_id, after, client_ip)"
    "   SELECT $4::bigint, $5::bigint, $6, 'poi.create', 'poi', f.id::text, f.v, $7::inet"
    "   FROM f)"
    " SELECT chk.editor, true, chk.cat_ok, chk.geom_ok, chk.why, (SELECT v::text FROM f)"
    " FROM chk";

const char POI_UPDATE_SQL[] =
    "WITH v AS (SELECT " EDITOR("$3", "$4") " AS editor),"
    " input AS (SELECT $2::jsonb AS j)," INPUT_GEOMETRY("input.j") ","
    " old AS (SELECT p.id, " FEATURE("'el'", "") " AS v FROM pois p" WITH_CATEGORY
    "   WHERE p.id = $1::bigint),"
    " chk AS (SELECT v.editor, EXISTS (SELECT 1 FROM old) AS found,"
    "   (NOT input.j ? 'category' OR " CATEGORY_OK("input.j->>'category'") ") AS cat_ok,"
    GEOM_CHECK " FROM v, input, g),"
    " p AS (UPDATE pois t SET"
    SET("category", IN_TEXT("category")) SET("name_el", IN_TEXT("name_el"))
    SET("name_en", IN_TEXT("name_en")) SET("names", IN_JSONB("names"))
    SET("description_el", IN_TEXT("description_el"))
    SET("description_en", IN_TEXT("description_en"))
    SET("descriptions", IN_JSONB("descriptions")) SET("address", IN_TEXT("address"))
    SET("phone", IN_TEXT("phone")) SET("website", IN_TEXT("website"))
    SET("opening_hours", IN_TEXT("opening_hours"))
    SET("accessibility", IN_JSONB("accessibility")) SET("tags", IN_TAGS)
    "   geom = coalesce(g.geom, t.geom), updated_at = now()"
    "   FROM input, g, chk WHERE t.id = $1::bigint AND chk.editor AND chk.cat_ok"
    "   AND chk.geom_ok RETURNING t.*),"
    " f AS (SELECT p.id, " FEATURE("'el'", "") " AS v FROM p" WITH_CATEGORY "),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "   entity_id, before, after, client_ip)"
    "   SELECT $5::bigint, $6::bigint, $7, 'poi.update', 'poi', f.id::text,"
    "   (SELECT v FROM old), f.v, $8::inet FROM f)"
    " SELECT chk.editor, chk.found, chk.cat_ok, chk.geom_ok, chk.why, (SELECT v::text FROM f)"
    " FROM chk";

const char POI_TRANSITION_SQL[] =
    "WITH v AS (SELECT " EDITOR("$3", "$4") " AS editor),"
    " old AS (SELECT p.id, p.status, " FEATURE("'el'", "") " AS v FROM pois p" WITH_CATEGORY
    "   WHERE p.id = $1::bigint),"
    " p AS (UPDATE pois t SET status = $2::text,"
    "     published_by = CASE WHEN $2::text = 'published' THEN $5::bigint"
    "       ELSE t.published_by END,"
    "     published_at = CASE WHEN $2::text = 'published' THEN now() ELSE t.published_at END,"
    "     archived_at = CASE WHEN $2::text = 'archived' THEN now() END, updated_at = now()"
    "   FROM v, old WHERE t.id = old.id AND v.editor AND old.status <> $2::text"
    "   RETURNING t.*),"
    " f AS (SELECT p.id, " FEATURE("'el'", "") " AS v FROM p" WITH_CATEGORY "),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "   entity_id, before, after, client_ip)"
    "   SELECT $5::bigint, $6::bigint, $7, CASE $2::text WHEN 'published' THEN 'poi.publish'"
    "     WHEN 'archived' THEN 'poi.archive' ELSE 'poi.draft' END, 'poi', f.id::text,"
    "   (SELECT v FROM old), f.v, $8::inet FROM f)"
    " SELECT (SELECT editor FROM v), EXISTS (SELECT 1 FROM old),"
    "  coalesce((SELECT v::text FROM f), (SELECT v::text FROM old))";

/* ---- photos ---- */

const char POI_PHOTO_CHECK_SQL[] =
    "SELECT (SELECT count(*) FROM poi_photos WHERE poi_id = $1::bigint),"
    "  " EDITOR("$2", "$3") ", EXISTS (SELECT 1 FROM pois WHERE id = $1::bigint)";

const char POI_PHOTO_INSERT_SQL[] =
    "WITH ph AS (INSERT INTO poi_photos (poi_id, file_name, media_type, bytes, sha256, width,"
    "     height, uploaded_by)"
    "   SELECT $1::bigint, $2, $3, $4::int, decode($5, 'hex'), $6::int, $7::int, $8::bigint"
    "   RETURNING id, poi_id, file_name),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "   entity_id, after, client_ip)"
    "   SELECT $8::bigint, $9::bigint, $10, 'poi.photo_add', 'poi', ph.poi_id::text,"
    "   jsonb_build_object('photo', ph.id, 'file_name', ph.file_name), $11::inet FROM ph)"
    " SELECT id FROM ph";

const char POI_PHOTO_GET_SQL[] =
    "SELECT ph.file_name, ph.media_type, encode(ph.sha256, 'hex'), p.status = 'published'"
    " FROM poi_photos ph JOIN pois p ON p.id = ph.poi_id"
    " WHERE ph.id = $2::bigint AND p.id = $1::bigint"
    "   AND (p.status = 'published' OR " EDITOR("$3", "$4") ")";

const char POI_PHOTO_DELETE_SQL[] =
    "WITH v AS (SELECT " EDITOR("$3", "$4") " AS editor),"
    " d AS (DELETE FROM poi_photos ph USING v WHERE ph.id = $2::bigint"
    "   AND ph.poi_id = $1::bigint AND v.editor RETURNING ph.id, ph.poi_id, ph.file_name),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "   entity_id, before, client_ip)"
    "   SELECT $5::bigint, $6::bigint, $7, 'poi.photo_delete', 'poi', d.poi_id::text,"
    "   jsonb_build_object('photo', d.id, 'file_name', d.file_name), $8::inet FROM d)"
    " SELECT (SELECT editor FROM v), (SELECT file_name FROM d)";

/* ---- categories ---- */

#define CATEGORY_JSON(k)                                                                     \
    "jsonb_build_object('code', " k ".code, 'name_el', " k ".name_el, 'name_en', " k          \
    ".name_en, 'icon', " k ".icon, 'sort_order', " k ".sort_order, 'active', " k ".active)"

#define CATEGORY_AUDIT(action, before)                                                       \
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity," \
    "   entity_id, before, after, client_ip)"                                                \
    "   SELECT $7::bigint, $8::bigint, $9, '" action "', 'poi_category', j.code, " before    \
    ", j.v, $10::inet FROM j)"

const char POI_CATEGORY_LIST_SQL[] =
    "SELECT jsonb_build_object('categories', coalesce(jsonb_agg(" CATEGORY_JSON("k")
    "   ORDER BY k.sort_order, k.code), '[]'::jsonb))::text"
    " FROM poi_categories k WHERE k.active OR $1::boolean";

const char POI_CATEGORY_CREATE_SQL[] =
    "WITH k AS (INSERT INTO poi_categories (code, name_el, name_en, icon, sort_order, active)"
    "   VALUES ($1, $2, $3, $4, coalesce($5::int, 100), coalesce($6::boolean, true))"
    "   ON CONFLICT (code) DO NOTHING RETURNING *),"
    " j AS (SELECT k.code, " CATEGORY_JSON("k") " AS v FROM k),"
    CATEGORY_AUDIT("poi_category.create", "NULL::jsonb")
    " SELECT (SELECT v::text FROM j)";

const char POI_CATEGORY_UPDATE_SQL[] =
    "WITH old AS (SELECT " CATEGORY_JSON("k") " AS v FROM poi_categories k WHERE k.code = $1),"
    " k AS (UPDATE poi_categories t SET name_el = coalesce($2, t.name_el),"
    "     name_en = coalesce($3, t.name_en), icon = coalesce($4, t.icon),"
    "     sort_order = coalesce($5::int, t.sort_order),"
    "     active = coalesce($6::boolean, t.active), updated_at = now()"
    "   WHERE t.code = $1 RETURNING t.*),"
    " j AS (SELECT k.code, " CATEGORY_JSON("k") " AS v FROM k),"
    CATEGORY_AUDIT("poi_category.update", "(SELECT v FROM old)")
    " SELECT (SELECT v::text FROM j)";
