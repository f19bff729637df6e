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
    " 'time_column', " t ".time_column, 'updated_at', " t ".updated_at)"

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

#define ACTOR "9"
#define ACTOR_KEY "10"
#define ACTOR_LABEL "11"
#define ACTOR_IP "12"
const char LAYER_UPDATE_SQL[] =
    "WITH old AS (SELECT c.name, " LAYER_JSON("c") " AS v FROM layer_catalogue c"
    "   WHERE c.name = $1 FOR UPDATE),"
    " up AS (UPDATE layer_catalogue t SET"
    "     title_el = coalesce($2, t.title_el), title_en = coalesce($3, t.title_en),"
    "     description = CASE WHEN $4::text IS NULL THEN t.description ELSE nullif($4, '') END,"
    "     licence = CASE WHEN $5::text IS NULL THEN t.licence ELSE nullif($5, '') END,"
    "     attribution = CASE WHEN $6::text IS NULL THEN t.attribution ELSE nullif($6, '') END,"
    "     keywords = CASE WHEN $7::jsonb IS NULL THEN t.keywords"
    "       ELSE ARRAY(SELECT jsonb_array_elements_text($7::jsonb)) END,"
    "     visibility = coalesce($8, t.visibility), updated_at = now()"
    "   FROM old WHERE t.name = old.name RETURNING t.*),"
    " j AS (SELECT " LAYER_JSON("up") " AS v FROM up),"
    AUDIT("layer.update", "(SELECT v FROM old)", "j.v", "FROM j")
    " SELECT v::text FROM j";
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
