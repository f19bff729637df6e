#include "gis/boundaries.h"

/* RFC 7946: lon/lat, at most 7 decimals (about 1 cm); rings are stored
 * counter-clockwise by the importer, so no per-request reorientation. */
#define BOUNDARY_FEATURE(b)                                                                  \
    "json_build_object('type', 'Feature', 'id', " b ".id,"                                   \
    " 'geometry', ST_AsGeoJSON(" b ".geom, 7)::json,"                                        \
    " 'properties', json_build_object('level', " b ".level, 'code', " b ".code,"             \
    " 'name_el', " b ".name_el, 'name_en', " b ".name_en, 'parent_id', " b ".parent_id))::text"

#define BOUNDARY_SUMMARY                                                                     \
    "json_build_object('id', id, 'code', code, 'name_el', name_el, 'name_en', name_en)"

const char BOUNDARIES_LOCATE_SQL[] =
    "WITH pt AS (SELECT ST_SetSRID(ST_MakePoint($2::float8, $1::float8), 4326) AS g),"
    " hit AS (SELECT DISTINCT ON (b.level) b.id, b.level, b.code, b.name_el, b.name_en"
    "         FROM pt, boundary_parts p JOIN boundaries b ON b.id = p.boundary_id"
    "         WHERE ST_Intersects(p.geom, pt.g)"
    "         ORDER BY b.level, b.id)"
    " SELECT EXISTS (SELECT 1 FROM hit WHERE level = 'municipality'),"
    "  json_build_object('lat', $1::float8, 'lon', $2::float8,"
    "   'municipality', (SELECT " BOUNDARY_SUMMARY " FROM hit WHERE level = 'municipality'),"
    "   'unit', (SELECT " BOUNDARY_SUMMARY " FROM hit WHERE level = 'unit'),"
    "   'community', (SELECT " BOUNDARY_SUMMARY " FROM hit WHERE level = 'community'))::text";

const char BOUNDARIES_PAGE_SQL[] =
    "SELECT s.id, CASE WHEN s.rn <= $7::int THEN " BOUNDARY_FEATURE("b") " END"
    " FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM boundaries"
    "       WHERE ($1::text IS NULL OR level = $1::text)"
    "         AND ($2::float8 IS NULL OR ST_Intersects(geom,"
    "              ST_MakeEnvelope($2::float8, $3::float8, $4::float8, $5::float8, 4326)))"
    "         AND id > $6::bigint"
    "       ORDER BY id LIMIT $7::int + 1) s"
    " JOIN boundaries b ON b.id = s.id"
    " ORDER BY s.id";

const char BOUNDARIES_GET_SQL[] =
    "SELECT " BOUNDARY_FEATURE("b") " FROM boundaries b WHERE b.id = $1::bigint";
