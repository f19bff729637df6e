#include "gis/schools_sql.h"

#include <stddef.h>

const char *const school_levels[] = {"nursery",         "kindergarten",    "primary",
                                     "lower_secondary", "upper_secondary", "vocational",
                                     NULL};

#define IN_LANG(lang, el, en) "CASE WHEN " lang " = 'en' THEN " en " ELSE " el " END"

/* A school as a GeoJSON Feature (RFC 7946, 7 decimals: about 1 cm); s is
 * the schools row, l its school_levels row, m its municipality. */
#define SCHOOL_FEATURE(lang, extra)                                                          \
    "jsonb_build_object('type', 'Feature', 'id', s.id,"                                      \
    " 'geometry', ST_AsGeoJSON(s.geom, 7)::jsonb,"                                           \
    " 'properties', jsonb_build_object('ref', s.ref, 'name_el', s.name_el,"                  \
    "   'name_en', s.name_en, 'name', " IN_LANG(lang, "s.name_el",                           \
                                               "coalesce(s.name_en, s.name_el)") ","         \
    "   'level', s.level, 'level_name', " IN_LANG(lang, "l.name_el", "l.name_en") ","        \
    "   'address', s.address, 'phone', s.phone, 'email', s.email, 'website', s.website,"     \
    "   'municipality', m.code, 'demo', s.demo, 'source', s.source,"                         \
    "   'updated_at', s.updated_at)" extra ")"

#define SCHOOL_FROM                                                                          \
    " FROM schools s JOIN school_levels l ON l.code = s.level"                               \
    " JOIN boundaries m ON m.id = s.municipality_id"

const char SCHOOL_LIST_SQL[] =
    "WITH page AS (SELECT s.id, " SCHOOL_FEATURE("$8", "") " AS f" SCHOOL_FROM
    "   WHERE ($1::text IS NULL OR s.level = $1::text)"
    "     AND ($2::float8 IS NULL OR s.geom && ST_MakeEnvelope($2::float8, $3::float8,"
    "          $4::float8, $5::float8, 4326))"
    "     AND s.id > $6::bigint"
    "   ORDER BY s.id LIMIT $7::int + 1),"
    " shown AS (SELECT * FROM page ORDER BY id LIMIT $7::int)"
    " SELECT coalesce((SELECT jsonb_agg(f ORDER BY id) FROM shown), '[]')::text,"
    "  (SELECT count(*) FROM page) > $7::int, (SELECT max(id) FROM shown)";

const char SCHOOL_GET_SQL[] =
    "SELECT " SCHOOL_FEATURE("$2",
        " || jsonb_build_object('zones', (SELECT coalesce(jsonb_agg(jsonb_build_object("
        "     'id', z.id, 'provisional', z.provisional, 'source', z.source,"
        "     'area_km2', round((ST_Area(z.geom::geography) / 1e6)::numeric, 3)) ORDER BY z.id),"
        "     '[]'::jsonb) FROM school_zones z WHERE z.school_id = s.id))") "::text"
    SCHOOL_FROM " WHERE s.id = $1::bigint";

const char SCHOOL_ZONE_SQL[] =
    "WITH pt AS (SELECT ST_SetSRID(ST_MakePoint($2::float8, $1::float8), 4326) AS g),"
    " hit AS (SELECT DISTINCT ON (z.level) z.level, z.id AS zone_id, z.provisional,"
    "     z.source AS zone_source, s.id AS school_id,"
    "     ST_Distance(s.geom::geography, pt.g::geography) AS dist"
    "   FROM pt, school_zones z JOIN schools s ON s.id = z.school_id"
    "   WHERE ST_Intersects(z.geom, pt.g) AND ($3::text IS NULL OR z.level = $3::text)"
    "   ORDER BY z.level, z.provisional, dist, s.id),"
    " muni AS (SELECT b.id, b.code, b.name_el, b.name_en FROM pt, boundary_parts p"
    "   JOIN boundaries b ON b.id = p.boundary_id"
    "   WHERE b.level = 'municipality' AND ST_Intersects(p.geom, pt.g) ORDER BY b.id LIMIT 1)"
    " SELECT CASE WHEN EXISTS (SELECT 1 FROM hit) THEN jsonb_build_object("
    "   'lat', $1::float8, 'lon', $2::float8,"
    "   'municipality', (SELECT jsonb_build_object('id', id, 'code', code, 'name_el', name_el,"
    "     'name_en', name_en) FROM muni),"
    "   'schools', (SELECT jsonb_agg(jsonb_build_object('level', h.level,"
    "       'level_name', " IN_LANG("$4", "l.name_el", "l.name_en") ","
    "       'distance_m', round(h.dist::numeric, 1),"
    "       'zone', jsonb_build_object('id', h.zone_id, 'provisional', h.provisional,"
    "         'source', h.zone_source),"
    "       'school', " SCHOOL_FEATURE("$4", "") ") ORDER BY l.sort_order)"
    "     FROM hit h JOIN schools s ON s.id = h.school_id"
    "     JOIN school_levels l ON l.code = s.level JOIN boundaries m ON m.id = s.municipality_id),"
    "   'missing_levels', (SELECT coalesce(jsonb_agg(l.code ORDER BY l.sort_order), '[]')"
    "     FROM school_levels l WHERE ($3::text IS NULL OR l.code = $3::text)"
    "       AND l.code NOT IN (SELECT level FROM hit)))::text END,"
    "  (SELECT name_el FROM muni), (SELECT code FROM muni),"
    "  (SELECT count(*) FROM school_zones z, muni WHERE z.municipality_id = muni.id"
    "    AND ($3::text IS NULL OR z.level = $3::text))";
