#include "gis/reports_sql.h"
#include "gis/notify_fanout_sql.h"
#include "gis/search_sql.h"

/* Visibility, given VIEWER parameters uid, adm, deps and a secret digest. */
#define STAFF_OF(adm, deps) "(" adm "::boolean OR r.department_id = ANY (" deps "::bigint[]))"
#define REPORTER(uid, sec)                                                                  \
    "coalesce(r.user_id = " uid "::bigint, false) OR coalesce(r.secret_hash = " sec         \
    "::bytea, false) OR " REPORT_TRACK_TOKEN_OK(sec)

/* p: the report's public fields (sql/020_report_privacy.sql), r: the row
 * itself for the visibility checks and the reporter, u: the reporter's
 * account. */
#define REPORT_FROM                                                                          \
    " FROM report_public_fields p JOIN reports r ON r.id = p.id"                             \
    " LEFT JOIN users u ON u.id = r.user_id"

/* The public fields as properties, exactly (the view's properties), then
 * extra, then for a party of the report (v.full) whether its category is
 * private and the reporter. RFC 7946: lon/lat with 7 decimals (about 1 cm). */
#define REPORT_FEATURE(extra)                                                                \
    "jsonb_build_object('type', 'Feature', 'id', p.id,"                                      \
    " 'geometry', ST_AsGeoJSON(p.geom, 7)::jsonb,"                                           \
    " 'properties', p.properties"                                                            \
    extra                                                                                    \
    "  || CASE WHEN v.full THEN jsonb_build_object('private', NOT p.public,"                 \
    "       'reporter', jsonb_build_object("                                                 \
    "       'user_id', r.user_id, 'name', coalesce(r.contact_name, u.display_name),"         \
    "       'email', coalesce(r.contact_email, u.email::text),"                              \
    "       'phone', coalesce(r.contact_phone, u.phone)))"                                   \
    "     ELSE '{}'::jsonb END)"

/* For staff of the report's department and admins: its deadline, whether it
 * is overdue (sql/034_assignment_deadlines.sql) and its assignee. */
#define STAFF_FIELDS(adm, deps)                                                              \
    "|| CASE WHEN " STAFF_OF(adm, deps) " THEN jsonb_build_object('due_at', r.due_at,"     \
    "   'overdue', report_overdue(r.status, r.due_at), 'assignee', (SELECT"              \
    "     jsonb_build_object('id', a.id, 'name', coalesce(a.display_name, a.email::text))"  \
    "     FROM users a WHERE a.id = r.assignee_id)) ELSE '{}'::jsonb END"

const char REPORT_CREATE_SQL[] =
    "WITH pt AS (SELECT ST_SetSRID(ST_MakePoint($4::float8, $3::float8), 4326) AS g),"
    " hit AS (SELECT b.id, b.code, b.name_el FROM pt, boundary_parts p"
    "         JOIN boundaries b ON b.id = p.boundary_id"
    "         WHERE b.level = 'municipality' AND ST_Intersects(p.geom, pt.g)"
    "         ORDER BY b.id LIMIT 1),"
    " served AS (SELECT id FROM boundaries WHERE level = 'municipality' AND code = $2),"
    " cat AS (SELECT c.id, c.active, c.fields, c.target_hours FROM report_categories c"
    "         JOIN served ON served.id = c.municipality_id WHERE c.code = $1),"
    /* files only when every check passes and the extra fields are the ones
     * the answers were checked against */
    " ok AS (SELECT cat.id, cat.target_hours, served.id AS municipality_id, pt.g"
    "        FROM cat, served, pt, hit"
    "        WHERE cat.active AND hit.code = $2 AND cat.fields::text = $5::text),"
    /* the department by the routing rules (sql/033_routing_rules.sql), the
     * deadline by the category's target time (sql/034) */
    " r AS (INSERT INTO reports (category_id, department_id, municipality_id, description,"
    "         address, attributes, geom, user_id, contact_name, contact_email, contact_phone,"
    "         secret_hash, media_url, contact_language, due_at)"
    "       SELECT ok.id, route_report(ok.id, ok.g), ok.municipality_id, $6, $7, $8::jsonb,"
    "         ok.g, $9::bigint, $11, $12, $13,"
    "         $14::bytea, $15, $20, now() + make_interval(hours => ok.target_hours) FROM ok"
    "       RETURNING id, status, department_id, user_id),"
    " f AS (INSERT INTO report_followers (report_id, user_id)"
    "       SELECT id, user_id FROM r WHERE user_id IS NOT NULL),"
    " h AS (INSERT INTO report_history (report_id, actor_user_id, actor_role, from_status,"
    "         to_status, department_id)"
    "       SELECT id, $9::bigint, $10, NULL, status, department_id FROM r),"
    /* no ON CONFLICT: a second request with the key fails whole (23505) */
    " k AS (INSERT INTO report_idempotency (caller, key_digest, request_hash, report_id,"
    "         status, secret_box)"
    "       SELECT $16, $17::bytea, $18::bytea, id, status, $19::bytea FROM r"
    "       WHERE $16::text IS NOT NULL)"
    " SELECT (SELECT id FROM cat), (SELECT active FROM cat), (SELECT fields::text FROM cat),"
    "  (SELECT id FROM hit), (SELECT code FROM hit), (SELECT name_el FROM hit),"
    "  (SELECT id FROM served), (SELECT id FROM r), (SELECT status FROM r)";

const char REPORT_IDEMPOTENCY_FIND_SQL[] =
    "WITH gone AS (DELETE FROM report_idempotency"
    "   WHERE created_at < now() - interval '24 hours')"
    " SELECT encode(request_hash, 'hex'), report_id, status, encode(secret_box, 'hex')"
    " FROM report_idempotency WHERE caller = $1 AND key_digest = $2::bytea"
    "   AND created_at >= now() - interval '24 hours'";

const char REPORT_GET_SQL[] =
    "SELECT " REPORT_FEATURE(STAFF_FIELDS("$3", "$4")) "::text" REPORT_FROM
    " CROSS JOIN LATERAL (SELECT " STAFF_OF("$3", "$4") " OR " REPORTER("$2", "$5") " AS full) v"
    " WHERE r.id = $1::bigint AND (p.public OR v.full)";

const char REPORT_LIST_SQL[] =
    "WITH page AS (SELECT r.id, " REPORT_FEATURE(STAFF_FIELDS("$2", "$3")) " AS f" REPORT_FROM
    "   CROSS JOIN LATERAL (SELECT " STAFF_OF("$2", "$3") " OR " REPORTER("$1", "NULL")
    "     AS full) v"
    "   WHERE (p.public OR v.full)"
    "     AND ($4::float8 IS NULL OR r.geom && ST_MakeEnvelope($4::float8, $5::float8,"
    "          $6::float8, $7::float8, 4326))"
    "     AND ($8::text IS NULL OR r.status = $8::text)"
    "     AND ($9::text IS NULL OR p.category = $9::text)"
    "     AND ($10::text IS NULL OR p.department = $10::text)"
    "     AND ($11::timestamptz IS NULL OR r.created_at >= $11::timestamptz)"
    "     AND ($12::timestamptz IS NULL OR r.created_at < $12::timestamptz)"
    "     AND ($15::text IS NULL OR polis_search_fold(concat_ws(' ', r.description, r.address))"
    "          LIKE '%' || " SEARCH_LIKE_ESCAPED("$15") " || '%'"
    "          OR r.id::text = " SEARCH_FOLDED("$15") ")"
    "     AND ($16::bigint IS NULL OR r.assignee_id = $16::bigint)"
    "     AND ($17::boolean IS NULL OR report_overdue(r.status, r.due_at) = $17::boolean)"
    "     AND ($13::bigint = 0 OR r.id < $13::bigint)"
    "   ORDER BY r.id DESC LIMIT $14::int + 1),"
    " shown AS (SELECT * FROM page ORDER BY id DESC LIMIT $14::int)"
    " SELECT coalesce((SELECT jsonb_agg(f ORDER BY id DESC) FROM shown), '[]')::text,"
    "  (SELECT count(*) FROM page) > $14::int, (SELECT min(id) FROM shown)";

/* The reporter sees their own reports whole (v.full); the last history
 * event is the public part only, like the timeline shown to a reporter. */
const char REPORT_MINE_SQL[] =
    "WITH page AS (SELECT r.id, " REPORT_FEATURE(
        "|| jsonb_build_object('following', EXISTS (SELECT 1 FROM report_followers fo"
        "     WHERE fo.report_id = r.id AND fo.user_id = $1::bigint),"
        "   'last_event', (SELECT jsonb_build_object('id', h.id, 'at', h.at,"
        "       'from', h.from_status, 'to', h.to_status, 'actor', h.actor_role,"
        "       'department', hd.code, 'public_comment', h.public_comment)"
        "     FROM report_history h LEFT JOIN departments hd ON hd.id = h.department_id"
        "     WHERE h.report_id = r.id ORDER BY h.id DESC LIMIT 1))") " AS f" REPORT_FROM
    "   CROSS JOIN (SELECT true AS full) v"
    "   WHERE r.user_id = $1::bigint AND ($2::bigint = 0 OR r.id < $2::bigint)"
    "   ORDER BY r.id DESC LIMIT $3::int + 1),"
    " shown AS (SELECT * FROM page ORDER BY id DESC LIMIT $3::int)"
    " SELECT coalesce((SELECT jsonb_agg(f ORDER BY id DESC) FROM shown), '[]')::text,"
    "  (SELECT count(*) FROM page) > $3::int, (SELECT min(id) FROM shown)";

/* The box around the point (box) holds every point within $4 metres, with
 * room to spare: a degree of latitude is at least 110,574 m and a degree of
 * longitude at least 111,319 m x cos(latitude) on the WGS 84 spheroid, so
 * reports_geom_gist finds the candidates and ST_DWithin on geography, as
 * before, decides (sql/030 dropped the geography index). Near a pole the
 * box spans every longitude. */
const char REPORT_NEARBY_SQL[] =
    "WITH pt AS (SELECT ST_SetSRID(ST_MakePoint($2::float8, $1::float8), 4326)::geography AS g,"
    "   $4::float8 / 110000 AS dlat),"
    " box AS (SELECT ST_Expand(pt.g::geometry, CASE WHEN abs($1::float8) + pt.dlat >= 89 THEN 360"
    "     ELSE $4::float8 / (111000 * cos(radians(abs($1::float8) + pt.dlat))) END, pt.dlat) AS b"
    "   FROM pt),"
    " hits AS (SELECT r.id, ST_Distance(r.geom::geography, pt.g) AS dist,"
    "   " REPORT_FEATURE("|| jsonb_build_object('distance_m',"
                         " round(ST_Distance(r.geom::geography, pt.g)::numeric, 1))") " AS f"
    REPORT_FROM " CROSS JOIN pt CROSS JOIN box"
    "   CROSS JOIN LATERAL (SELECT " STAFF_OF("$6", "$7") " OR " REPORTER("$5", "NULL")
    "     AS full) v"
    "   JOIN boundaries m ON m.id = r.municipality_id AND m.level = 'municipality'"
    "   WHERE p.category = $3 AND m.code = $8"
    "     AND report_status_is_open(r.status)"
    "     AND r.geom && box.b AND ST_DWithin(r.geom::geography, pt.g, $4::float8)"
    "     AND (p.public OR v.full)"
    "   ORDER BY dist, r.id LIMIT $9::int)"
    " SELECT EXISTS (SELECT 1 FROM report_categories c JOIN boundaries m"
    "         ON m.id = c.municipality_id AND m.level = 'municipality'"
    "         WHERE c.code = $3 AND m.code = $8),"
    "  coalesce((SELECT jsonb_agg(f ORDER BY dist, id) FROM hits), '[]')::text";

const char REPORT_SUPPORT_SQL[] =
    "WITH t AS (SELECT r.id, r.support_count FROM reports r"
    "   JOIN report_public_fields pf ON pf.id = r.id"
    "   WHERE r.id = $1::bigint AND (pf.public OR " STAFF_OF("$3", "$4")
    "     OR coalesce(r.user_id = $2::bigint, false))),"
    " s AS (INSERT INTO report_supports (report_id, user_id) SELECT id, $2::bigint FROM t"
    "       ON CONFLICT DO NOTHING RETURNING report_id),"
    " f AS (INSERT INTO report_followers (report_id, user_id) SELECT id, $2::bigint FROM t"
    "       ON CONFLICT DO NOTHING),"
    " u AS (UPDATE reports SET support_count = support_count + 1"
    "       WHERE id IN (SELECT report_id FROM s) RETURNING support_count)"
    " SELECT t.id, coalesce((SELECT support_count FROM u), t.support_count),"
    "  EXISTS (SELECT 1 FROM s) FROM t";

const char REPORT_TRANSITION_LOAD_SQL[] =
    "SELECT r.status, r.department_id, r.user_id, NOT pf.public,"
    "  coalesce(r.resolved_at > now() - interval '30 days', false),"
    "  (SELECT nd.id FROM departments nd JOIN boundaries b ON b.id = nd.municipality_id"
    "    WHERE b.level = 'municipality' AND b.code = $4 AND nd.code = $2),"
    "  EXISTS (SELECT 1 FROM reports o WHERE o.id = $3::bigint)"
    " FROM reports r JOIN report_public_fields pf ON pf.id = r.id WHERE r.id = $1::bigint";

const char REPORT_TRANSITION_SQL[] =
    "WITH r AS (UPDATE reports SET status = $3,"
    "     department_id = coalesce($4::bigint, department_id),"
    /* an assignee belongs to the department: a move leaves the report unassigned */
    "     assignee_id = CASE WHEN $4::bigint <> department_id THEN NULL ELSE assignee_id END,"
    "     duplicate_of = CASE WHEN $3 = 'duplicate' THEN $5::bigint ELSE duplicate_of END,"
    "     updated_at = now(),"
    "     resolved_at = CASE WHEN $3 = $2 THEN resolved_at"
    "       WHEN report_status_is_open($3) THEN NULL"
    "       WHEN $3 = 'closed' THEN resolved_at ELSE now() END"
    "   WHERE id = $1::bigint AND status = $2 RETURNING id, status, department_id),"
    " h AS (INSERT INTO report_history (report_id, actor_user_id, actor_role, from_status,"
    "         to_status, department_id, duplicate_of, public_comment, internal_note)"
    "       SELECT id, $6::bigint, $7, $2, status, department_id,"
    "         CASE WHEN $3 = 'duplicate' THEN $5::bigint END, $8, $9 FROM r"
    "       RETURNING id, at)"
    " SELECT r.id, r.status, (SELECT code FROM departments WHERE id = r.department_id),"
    "  h.id, to_json(h.at)#>>'{}' FROM r, h";

const char REPORT_HISTORY_SQL[] =
    "SELECT json_build_object('report_id', r.id, 'status', r.status, 'events',"
    "  coalesce((SELECT jsonb_agg(jsonb_build_object('id', h.id, 'at', h.at,"
    "      'from', h.from_status, 'to', h.to_status, 'actor', h.actor_role,"
    "      'department', hd.code, 'duplicate_of', h.duplicate_of,"
    "      'public_comment', h.public_comment)"
    "    || CASE WHEN v.staff THEN jsonb_build_object('internal_note', h.internal_note)"
    "       ELSE '{}'::jsonb END ORDER BY h.id)"
    "    FROM report_history h LEFT JOIN departments hd ON hd.id = h.department_id"
    "    WHERE h.report_id = r.id), '[]'::jsonb))::text"
    " FROM reports r JOIN report_public_fields pf ON pf.id = r.id"
    " CROSS JOIN LATERAL (SELECT " STAFF_OF("$3", "$4") " AS staff,"
    "   " REPORTER("$2", "$5") " AS reporter) v"
    " WHERE r.id = $1::bigint AND (pf.public OR v.staff OR v.reporter)";

const char INBOX_PAGE_SQL[] =
    /* one entry per row, as the live stream sends it too (sql/024_inbox_stream.sql) */
    "WITH page AS (SELECT e.id, e.entry AS j FROM inbox_entries e"
    "   WHERE e.user_id = $1::bigint AND ($2::bigint = 0 OR e.id < $2::bigint)"
    "   ORDER BY e.id DESC LIMIT $3::int + 1),"
    " shown AS (SELECT * FROM page ORDER BY id DESC LIMIT $3::int)"
    " SELECT inbox_unread($1::bigint),"
    "  coalesce((SELECT json_agg(j ORDER BY id DESC) FROM shown), '[]')::text,"
    "  (SELECT count(*) FROM page) > $3::int, (SELECT min(id) FROM shown)";

const char INBOX_READ_SQL[] =
    "UPDATE inbox SET read_at = coalesce(read_at, now())"
    " WHERE id = $1::bigint AND user_id = $2::bigint RETURNING id";
