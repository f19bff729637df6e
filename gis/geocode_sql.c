/* The geocoder's statements (see geocode_sql.h). */
#include "gis/geocode_sql.h"

#include "common/stringify.h"

/* The texts searched (CTE t: txt folded, esc the same escaped for LIKE,
 * num and hn the house number as an integer and as folded text, or NULL):
 * the whole query, and when it ends ("ερμου 15α") or starts ("15 ερμου")
 * with a number of up to six digits, the rest as a street with that number.
 * Both, because a name may hold a number ("25ης μαρτιου"). */
#define TEXTS                                                                                \
    " parts AS (SELECT whole,"                                                               \
    "   regexp_match(whole, '^(.*[^0-9 ].*) ([0-9]{1,6})([^ 0-9]{0,4})$') AS a,"              \
    "   regexp_match(whole, '^([0-9]{1,6})([^ 0-9]{0,4}) (.*[^0-9 ].*)$') AS b"               \
    "  FROM (SELECT polis_search_norm($1::text) AS whole) w),"                                \
    " texts AS (SELECT whole AS txt, NULL::int AS num, NULL::text AS hn FROM parts"          \
    "  UNION ALL SELECT coalesce(a[1], b[3]), coalesce(a[2], b[1])::int,"                    \
    "   coalesce(a[2] || a[3], b[1] || b[2]) FROM parts WHERE a IS NOT NULL OR b IS NOT NULL)," \
    " t AS (SELECT txt, num, hn,"                                                            \
    "   replace(replace(replace(txt, '\\', '\\\\'), '%', '\\%'), '_', '\\_') AS esc"         \
    "  FROM texts WHERE txt <> '')"

/* A search key k matches text t: a part of it, or a word like it (trigram
 * word similarity over pg_trgm.word_similarity_threshold, through the GIN
 * index). */
#define MATCHES(k) "(" k " LIKE '%' || t.esc || '%' OR t.txt <% " k ")"
/* How well: a whole word 1, the start of a word 0.9, a part 0.8, a word
 * like it 0.7 times its similarity. */
#define SCORE(k)                                                                             \
    "(CASE WHEN ' ' || " k " || ' ' LIKE '% ' || t.esc || ' %' THEN 1.0"                     \
    " WHEN ' ' || " k " LIKE '% ' || t.esc || '%' THEN 0.9"                                  \
    " WHEN " k " LIKE '%' || t.esc || '%' THEN 0.8"                                          \
    " ELSE 0.7 * word_similarity(t.txt, " k ") END)"

/* An address belongs to a street of its folded name within ~500 m. */
#define ON_STREET(a, s)                                                                      \
    a ".street_norm = " s ".name_norm AND ST_DWithin(" a ".geom, " s ".geom, 0.005)"
#define SAME_NUMBER(a, s) "polis_search_norm(" a ".housenumber) = " s ".hn"

/* The point at fraction f between the addresses lo and hi, along the
 * street when it is one line, else projected onto it. */
#define ALONG(s, lo, hi, f)                                                                  \
    "CASE WHEN GeometryType(" s ".geom) = 'LINESTRING' THEN ST_LineInterpolatePoint(" s      \
    ".geom, least(greatest(ST_LineLocatePoint(" s ".geom, " lo ".geom) + (ST_LineLocatePoint(" \
    s ".geom, " hi ".geom) - ST_LineLocatePoint(" s ".geom, " lo ".geom)) * " f ", 0), 1))"    \
    " ELSE ST_ClosestPoint(" s ".geom, ST_LineInterpolatePoint(ST_MakeLine(" lo ".geom, " hi \
    ".geom), " f ")) END"

#define NEAR_POINT "ST_SetSRID(ST_MakePoint($3::float8, $2::float8), 4326)::geography"

const char GEOCODE_SQL[] =
    "WITH" TEXTS ","
    /* the streets matching each text, with its number if any */
    " sm AS (SELECT s.id, s.name, s.name_norm, s.geom, t.num, t.hn, " SCORE("s.search_key") " AS q"
    "  FROM t JOIN basemap.streets s ON " MATCHES("s.search_key") "),"
    " hits AS ("
    /* the number on a matching street */
    "  SELECT 'address' AS kind, a.street, a.housenumber, a.geom, sm.q AS score,"
    "   false AS interpolated, a.street || ' ' || a.housenumber AS label"
    "  FROM sm JOIN basemap.addresses a ON " ON_STREET("a", "sm") " AND " SAME_NUMBER("a", "sm")
    "  WHERE sm.num IS NOT NULL"
    /* a number not known there: between the nearest known ones */
    "  UNION ALL"
    "  SELECT 'address', sm.name, sm.hn, " ALONG("sm", "lo", "hi",
                                                 "((sm.num - lo.number)::float8 /"
                                                 " (hi.number - lo.number))")
    ", sm.q - 0.05, true, sm.name || ' ' || sm.hn"
    "  FROM sm"
    "  CROSS JOIN LATERAL (SELECT a.number, a.geom FROM basemap.addresses a"
    "   WHERE " ON_STREET("a", "sm") " AND a.number < sm.num ORDER BY a.number DESC LIMIT 1) lo"
    "  CROSS JOIN LATERAL (SELECT a.number, a.geom FROM basemap.addresses a"
    "   WHERE " ON_STREET("a", "sm") " AND a.number > sm.num ORDER BY a.number LIMIT 1) hi"
    "  WHERE sm.num IS NOT NULL AND NOT EXISTS (SELECT 1 FROM basemap.addresses a"
    "   WHERE " ON_STREET("a", "sm") " AND " SAME_NUMBER("a", "sm") ")"
    /* the streets themselves, at the point of the street nearest its centroid
     * (below their addresses when a number was asked) */
    "  UNION ALL"
    "  SELECT * FROM (SELECT DISTINCT ON (id) 'street', name, NULL::text,"
    "   ST_ClosestPoint(geom, ST_Centroid(geom)),"
    "   q - CASE WHEN num IS NULL THEN 0 ELSE 0.1 END AS q, false, name"
    "   FROM sm ORDER BY id, 5 DESC) st"
    "  UNION ALL"
    "  SELECT 'place', NULL, NULL, p.geom, max(" SCORE("p.search_key") "), false, p.name"
    "  FROM t JOIN basemap.places p ON " MATCHES("p.search_key")
    "  GROUP BY p.id"
    "  UNION ALL"
    "  SELECT 'poi', NULL, NULL, ST_PointOnSurface(p.geom), max(" SCORE("p.search_key") "),"
    "   false, p.name_el"
    "  FROM t JOIN pois p ON " MATCHES("p.search_key") " AND p.status = 'published'"
    "  GROUP BY p.id),"
    " ranked AS (SELECT h.*, CASE WHEN $2::float8 IS NOT NULL"
    "   THEN ST_Distance(h.geom::geography, " NEAR_POINT ") END AS dist FROM hits h"
    "  ORDER BY round(h.score::numeric, 2) DESC, dist NULLS LAST, h.kind, h.label"
    "  LIMIT $4::int)"
    " SELECT json_build_object('type', 'FeatureCollection',"
    "  'basemap_loaded', EXISTS (SELECT 1 FROM basemap.streets), 'features',"
    "  coalesce(json_agg(json_build_object('type', 'Feature',"
    "   'geometry', ST_AsGeoJSON(r.geom, 7)::json,"
    "   'properties', json_build_object('label', r.label, 'kind', r.kind, 'street', r.street,"
    "    'housenumber', r.housenumber, 'score', round(r.score::numeric, 3),"
    "    'interpolated', r.interpolated, 'distance_m', round(r.dist::numeric, 1)))"
    "   ORDER BY round(r.score::numeric, 2) DESC, r.dist NULLS LAST, r.kind, r.label), '[]'))::text"
    " FROM ranked r";

#define REVERSE_POINT "ST_SetSRID(ST_MakePoint($2::float8, $1::float8), 4326)"
#define RADIUS STRINGIFY(GEOCODE_REVERSE_RADIUS_M)

/* The few nearest by the GiST index (planar degrees), then the nearest of
 * those on the sphere. */
const char GEOCODE_REVERSE_SQL[] =
    "WITH addr AS (SELECT 'address' AS kind, a.street, a.housenumber, a.geom,"
    "   a.street || ' ' || a.housenumber AS label,"
    "   ST_Distance(a.geom::geography, " REVERSE_POINT "::geography) AS d"
    "  FROM (SELECT * FROM basemap.addresses ORDER BY geom <-> " REVERSE_POINT " LIMIT 8) a"
    "  ORDER BY d LIMIT 1),"
    " street AS (SELECT 'street' AS kind, s.name AS street, NULL::text AS housenumber,"
    "   ST_ClosestPoint(s.geom, " REVERSE_POINT ") AS geom, s.name AS label,"
    "   ST_Distance(s.geom::geography, " REVERSE_POINT "::geography) AS d"
    "  FROM (SELECT * FROM basemap.streets ORDER BY geom <-> " REVERSE_POINT " LIMIT 8) s"
    "  ORDER BY d LIMIT 1),"
    " hit AS (SELECT * FROM addr WHERE d <= " RADIUS
    "  UNION ALL SELECT * FROM street WHERE d <= " RADIUS
    "   AND NOT EXISTS (SELECT 1 FROM addr WHERE d <= " RADIUS "))"
    " SELECT EXISTS (SELECT 1 FROM hit),"
    "  (SELECT json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(geom, 7)::json,"
    "   'properties', json_build_object('label', label, 'kind', kind, 'street', street,"
    "    'housenumber', housenumber, 'interpolated', false,"
    "    'distance_m', round(d::numeric, 1)))::text FROM hit)";
