#include "gis/layer_catalogue_sql.h"

/* A layer as the API shows it. */
#define LAYER_JSON(t)                                                                          \
    "jsonb_build_object('name', " t ".name, 'title_el', " t ".title_el,"                       \
    " 'title_en', " t ".title_en, 'description', " t ".description, 'keywords', " t ".keywords,"\
    " 'licence', " t ".licence, 'attribution', " t ".attribution, 'source', " t ".source,"     \
    " 'visibility', " t ".visibility, 'feature_count', " t ".feature_count,"                   \
    " 'bbox', CASE WHEN " t ".extent IS NOT NULL THEN jsonb_build_array(ST_XMin(" t ".extent),"\
    "   ST_YMin(" t ".extent), ST_XMax(" t ".extent), ST_YMax(" t ".extent)) END,"             \
    " 'geometry_type', " t ".geometry_type, 'attributes', " t ".attributes,"                   \
    " 'time_column', " t ".time_column, 'department_id', " t ".department_id,"                  \
    " 'tiles', jsonb_build_object('minzoom', " t ".tile_minzoom, 'maxzoom', " t ".tile_maxzoom,"\
    "   'attributes', to_jsonb(" t ".tile_attributes), 'simplify_px', " t ".tile_simplify_px,"  \
    "   'min_size_px', " t ".tile_min_size_px, 'feature_limit', " t ".tile_feature_limit),"    \
    " 'updated_at', " t ".updated_at)"

#define AUDIT(action, before, after, from)                                                      \
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"   \
    "     entity_id, before, after, client_ip)"                                                \
    "   SELECT $" ACTOR "::bigint, $" ACTOR_KEY "::bigint, $" ACTOR_LABEL ", '" action "',"     \
    "     'layer', $1, " before ", " after ", $" ACTOR_IP "::inet " from ")"

/* The files a layer can be downloaded as (api/layer_download.c), one link each. */
#define LAYER_DOWNLOADS(t)                                                                     \
    "jsonb_build_object('downloads', (SELECT jsonb_agg(jsonb_build_object('format', f.key,"   \
    "   'type', f.type, 'href', '/api/v1/layers/' || " t ".name || '/download?format=' || f.key)"\
    "   ORDER BY f.n) FROM (VALUES (1, 'gpkg', 'application/geopackage+sqlite3'),"            \
    "   (2, 'shp', 'application/zip'), (3, 'geojson', 'application/geo+json'),"              \
    "   (4, 'csv', 'text/csv'), (5, 'kml', 'application/vnd.google-earth.kml+xml'),"          \
    "   (6, 'fgb', 'application/flatgeobuf'), (7, 'dxf', 'image/vnd.dxf')) f(n, key, type)))"

const char LAYERS_LIST_SQL[] =
    "SELECT coalesce(jsonb_agg(" LAYER_JSON("c") " || " LAYER_DOWNLOADS("c") " ORDER BY c.name),"
    " '[]')::text"
    " FROM layer_catalogue c WHERE c.visibility = 'public' OR $1::boolean";

#define ACTOR "16"
#define ACTOR_KEY "17"
#define ACTOR_LABEL "18"
#define ACTOR_IP "19"
/* The checks that need the stored row: the zooms as they would be, the
 * whitelisted names the layer has no attribute of, a department that does
 * not exist. The row changes only when all pass. */
const char LAYER_UPDATE_SQL[] =
    "WITH old AS (SELECT c.name, c.attributes, c.tile_minzoom, c.tile_maxzoom,"
    "   " LAYER_JSON("c") " AS v FROM layer_catalogue c WHERE c.name = $1 FOR UPDATE),"
    " chk AS (SELECT coalesce($9::int, old.tile_minzoom) AS minzoom,"
    "     coalesce($10::int, old.tile_maxzoom) AS maxzoom,"
    "     (SELECT string_agg(a.name, ', ' ORDER BY a.n)"
    "      FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof($11::jsonb) = 'array'"
    "        THEN $11::jsonb ELSE '[]' END) WITH ORDINALITY a(name, n)"
    "      WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(old.attributes) x"
    "        WHERE x->>'name' = a.name)) AS unknown_attributes,"
    "     (nullif($15, '')::bigint IS NOT NULL AND NOT EXISTS (SELECT 1 FROM departments d"
    "        WHERE d.id = nullif($15, '')::bigint)) AS unknown_department"
    "   FROM old),"
    " up AS (UPDATE layer_catalogue t SET"
    "     title_el = coalesce($2, t.title_el), title_en = coalesce($3, t.title_en),"
    "     description = CASE WHEN $4::text IS NULL THEN t.description ELSE nullif($4, '') END,"
    "     licence = CASE WHEN $5::text IS NULL THEN t.licence ELSE nullif($5, '') END,"
    "     attribution = CASE WHEN $6::text IS NULL THEN t.attribution ELSE nullif($6, '') END,"
    "     keywords = CASE WHEN $7::jsonb IS NULL THEN t.keywords"
    "       ELSE ARRAY(SELECT jsonb_array_elements_text($7::jsonb)) END,"
    "     visibility = coalesce($8, t.visibility),"
    "     tile_minzoom = chk.minzoom, tile_maxzoom = chk.maxzoom,"
    "     tile_attributes = CASE WHEN $11::jsonb IS NULL THEN t.tile_attributes"
    "       WHEN jsonb_typeof($11::jsonb) = 'null' THEN NULL"
    "       ELSE ARRAY(SELECT jsonb_array_elements_text($11::jsonb)) END,"
    "     tile_simplify_px = coalesce($12::float8, t.tile_simplify_px),"
    "     tile_min_size_px = coalesce($13::float8, t.tile_min_size_px),"
    "     tile_feature_limit = CASE WHEN $14::text IS NULL THEN t.tile_feature_limit"
    "       ELSE nullif($14, '')::int END,"
    "     department_id = CASE WHEN $15::text IS NULL THEN t.department_id"
    "       ELSE nullif($15, '')::bigint END,"
    "     updated_at = now()"
    "   FROM old, chk WHERE t.name = old.name AND chk.minzoom <= chk.maxzoom"
    "     AND chk.unknown_attributes IS NULL AND NOT chk.unknown_department RETURNING t.*),"
    " j AS (SELECT " LAYER_JSON("up") " AS v FROM up),"
    AUDIT("layer.update", "(SELECT v FROM old)", "j.v", "FROM j")
    " SELECT (SELECT v::text FROM j), chk.minzoom, chk.maxzoom, chk.unknown_attributes,"
    "   chk.unknown_department FROM chk";
#undef ACTOR
#undef ACTOR_KEY
#undef ACTOR_LABEL
#undef ACTOR_IP

#define ACTOR "2"
#define ACTOR_KEY "3"
#define ACTOR_LABEL "4"
#define ACTOR_IP "5"
const char LAYER_DELETE_SQL[] =
    "WITH old AS (SELECT " LAYER_JSON("c") " AS v FROM layer_catalogue c WHERE c.name = $1),"
    " del AS (SELECT polis_layer_drop($1) AS dropped FROM old),"
    AUDIT("layer.delete", "old.v", "NULL::jsonb", "FROM old, del WHERE del.dropped")
    " SELECT EXISTS (SELECT 1 FROM del WHERE dropped)";
