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

const char OPEN311_REQUESTS_SQL[] =
    "WITH win AS (SELECT coalesce($5::timestamptz,"
    "                 coalesce($6::timestamptz, now()) - interval '90 days') AS s,"
    "             coalesce($6::timestamptz,"
    "                 CASE WHEN $5::timestamptz IS NULL THEN now()"
    "                 ELSE $5::timestamptz + interval '90 days' END) AS e),"
    " page AS (SELECT r.id, json_build_object("
    "   'service_request_id', r.id::text,"
    "   'status', CASE WHEN r.status IN ('submitted', 'acknowledged', 'in_progress', 'reopened')"
    "             THEN 'open' ELSE 'closed' END,"
    "   'status_notes', (SELECT h.public_comment FROM report_history h"
    "       WHERE h.report_id = r.id AND h.public_comment IS NOT NULL ORDER BY h.id DESC LIMIT 1),"
    "   'service_name', CASE WHEN $7 = 'en' THEN c.name_en ELSE c.name_el END,"
    "   'service_code', c.code,"
    "   'description', r.description,"
    "   'agency_responsible', CASE WHEN $7 = 'en' THEN d.name_en ELSE d.name_el END,"
    "   'service_notice', NULL,"
    "   'requested_datetime', to_json(r.created_at)#>>'{}',"
    "   'updated_datetime', to_json(r.updated_at)#>>'{}',"
    "   'expected_datetime', NULL,"
    "   'address', r.address, 'address_id', NULL, 'zipcode', NULL,"
    "   'lat', round(ST_Y(r.geom)::numeric, 7), 'long', round(ST_X(r.geom)::numeric, 7),"
    "   'media_url', r.media_url) AS j"
    "  FROM reports r JOIN report_categories c ON c.id = r.category_id"
    "  JOIN departments d ON d.id = r.department_id"
    "  JOIN boundaries m ON m.id = r.municipality_id AND m.code = $1, win"
    "  WHERE NOT c.private"
    "    AND ($2::bigint[] IS NULL OR r.id = ANY ($2::bigint[]))"
    "    AND ($2::bigint[] IS NOT NULL OR (r.created_at >= win.s AND r.created_at <= win.e))"
    "    AND ($2::bigint[] IS NOT NULL OR $3::text IS NULL OR c.code = $3::text)"
    "    AND ($2::bigint[] IS NOT NULL OR $4::text IS NULL OR ($4::text = 'open') ="
    "         (r.status IN ('submitted', 'acknowledged', 'in_progress', 'reopened')))"
    "  ORDER BY r.id DESC LIMIT $8::int OFFSET $9::int)"
    " SELECT coalesce((SELECT json_agg(j ORDER BY id DESC) FROM page), '[]')::text,"
    "  (SELECT e >= s AND e - s <= interval '90 days' FROM win)";
