#include "gis/open311_sql.h"


#define SERVED_CATEGORY                                                                      \
    " FROM report_categories c JOIN departments d ON d.id = c.department_id"                 \
    " JOIN boundaries m ON m.id = c.municipality_id AND m.level = 'municipality'"           \
    " AND m.code = $1"

const char OPEN311_SERVICES_SQL[] =
    "SELECT coalesce(json_agg(json_build_object("
    "  'service_code', c.code,"
    "  'service_name', CASE WHEN $2 = 'en' THEN c.name_en ELSE c.name_el END,"
    "  'description', CASE WHEN $2 = 'en' THEN c.name_en ELSE c.name_el END"
    "     || CASE WHEN c.private THEN CASE WHEN $2 = 'en'"
    "          THEN ' (private: requests are not published)'"
    "          ELSE ' (ιδιωτική: τα αιτήματα δεν δημοσιεύονται)' END ELSE '' END,"
    "  'metadata', jsonb_array_length(c.fields) > 0,"
    "  'type', 'realtime',"
    "  'keywords', d.code,"
    "  'group', CASE WHEN $2 = 'en' THEN d.name_en ELSE d.name_el END) ORDER BY c.id), '[]')::text"
    SERVED_CATEGORY " WHERE c.active";

const char OPEN311_SERVICE_DEFINITION_SQL[] =
    "SELECT json_build_object('service_code', c.code, 'attributes',"
    "  coalesce((SELECT json_agg(json_build_object("
    "      'variable', true, 'code', f->>'code', 'datatype', f->>'datatype',"
    "      'required', coalesce((f->>'required')::boolean, false),"
    "      'datatype_description', NULL,"
    "      'order', coalesce((f->>'order')::int, n::int),"
    "      'description', CASE WHEN $3 = 'en' THEN f->>'description_en'"
    "                     ELSE f->>'description_el' END,"
    "      'values', coalesce((SELECT json_agg(json_build_object('key', v->>'key',"
    "          'name', CASE WHEN $3 = 'en' THEN v->>'name_en' ELSE v->>'name_el' END))"
    "        FROM jsonb_array_elements(f->'values') v), '[]'::json))"
    "    ORDER BY coalesce((f->>'order')::int, n::int))"
    "    FROM jsonb_array_elements(c.fields) WITH ORDINALITY AS x (f, n)), '[]'::json))::text"
    SERVED_CATEGORY " WHERE c.code = $2 AND c.active";

/* Every value comes from the public fields of the report
 * (reports_public, sql/020_report_privacy.sql) under the GeoReport v2 name:
 * service_request_id id, status (open|closed) status, status_notes,
 * service_name category_name_el|en, service_code category, description,
 * agency_responsible department_name_el|en, requested_datetime created_at,
 * updated_datetime updated_at, address, lat/long the geometry, media_url
 * media_url or else the first of photos (made absolute). */
const char OPEN311_REQUESTS_SQL[] =
    "WITH win AS (SELECT coalesce($5::timestamptz,"
    "                 coalesce($6::timestamptz, now()) - interval '90 days') AS s,"
    "             coalesce($6::timestamptz,"
    "                 CASE WHEN $5::timestamptz IS NULL THEN now()"
    "                 ELSE $5::timestamptz + interval '90 days' END) AS e),"
    " page AS (SELECT p.id, json_build_object("
    "   'service_request_id', p.id::text,"
    "   'status', CASE WHEN report_status_is_open(p.status)"
    "             THEN 'open' ELSE 'closed' END,"
    "   'status_notes', p.status_notes,"
    "   'service_name', CASE WHEN $7 = 'en' THEN p.category_name_en ELSE p.category_name_el END,"
    "   'service_code', p.category,"
    "   'description', p.description,"
    "   'agency_responsible', CASE WHEN $7 = 'en' THEN p.department_name_en"
    "                         ELSE p.department_name_el END,"
    "   'service_notice', NULL,"
    "   'requested_datetime', to_json(p.created_at)#>>'{}',"
    "   'updated_datetime', to_json(p.updated_at)#>>'{}',"
    "   'expected_datetime', NULL,"
    "   'address', p.address, 'address_id', NULL, 'zipcode', NULL,"
    "   'lat', round(ST_Y(p.geom)::numeric, 7), 'long', round(ST_X(p.geom)::numeric, 7),"
    "   'media_url', coalesce(p.media_url, $10::text || (p.photos->>0))) AS j"
    "  FROM reports_public p"
    "  JOIN boundaries m ON m.id = p.municipality_id AND m.code = $1, win"
    "  WHERE ($2::bigint[] IS NULL OR p.id = ANY ($2::bigint[]))"
    "    AND ($2::bigint[] IS NOT NULL OR (p.created_at >= win.s AND p.created_at <= win.e))"
    "    AND ($2::bigint[] IS NOT NULL OR $3::text IS NULL OR p.category = $3::text)"
    "    AND ($2::bigint[] IS NOT NULL OR $4::text IS NULL OR ($4::text = 'open') ="
    "         report_status_is_open(p.status))"
    "  ORDER BY p.id DESC LIMIT $8::int OFFSET $9::int)"
    " SELECT coalesce((SELECT json_agg(j ORDER BY id DESC) FROM page), '[]')::text,"
    "  (SELECT e >= s AND e - s <= interval '90 days' FROM win)";
