#include "gis/report_messages_sql.h"
#include "gis/notify_fanout_sql.h"

#define STAFF_OF(adm, deps) "(" adm "::boolean OR r.department_id = ANY (" deps "::bigint[]))"
#define REPORTER(uid, sec)                                                                  \
    "(coalesce(r.user_id = " uid "::bigint, false) OR coalesce(r.secret_hash = " sec        \
    "::bytea, false) OR " REPORT_TRACK_TOKEN_OK(sec) ")"

#define PARTIES                                                                              \
    " FROM reports r JOIN report_categories c ON c.id = r.category_id"                       \
    " JOIN departments d ON d.id = r.department_id"                                          \
    " CROSS JOIN LATERAL (SELECT " STAFF_OF("$3", "$4") " AS staff, "                        \
    REPORTER("$2", "$5") " AS reporter) v"                                                   \
    " WHERE r.id = $1::bigint"

const char REPORT_MESSAGE_POST_SQL[] =
    "WITH t AS (SELECT r.id, NOT c.private OR v.staff OR v.reporter AS visible,"
    "     v.staff OR v.reporter AS party,"
    "     CASE WHEN v.reporter THEN 'reporter'"
    "       WHEN r.department_id = ANY ($4::bigint[]) THEN 'staff' ELSE 'admin' END AS role"
    PARTIES "),"
    " m AS (INSERT INTO report_messages (report_id, author_user_id, author_role, body)"
    "       SELECT id, $2::bigint, role, $6 FROM t WHERE party"
    "       RETURNING id, at, author_role)"
    " SELECT t.visible, t.party, m.id, to_json(m.at)#>>'{}',"
    "  CASE m.author_role WHEN 'reporter' THEN 'reporter' WHEN 'staff' THEN 'staff'"
    "    WHEN 'admin' THEN 'staff' END"
    " FROM t LEFT JOIN m ON true";

const char REPORT_MESSAGE_LIST_SQL[] =
    "SELECT NOT c.private OR v.staff OR v.reporter, v.staff OR v.reporter,"
    "  CASE WHEN v.staff OR v.reporter THEN jsonb_build_object('report_id', r.id,"
    "   'messages', coalesce((SELECT jsonb_agg(jsonb_build_object('id', m.id, 'at', m.at,"
    "       'from', CASE WHEN m.author_role = 'reporter' THEN 'reporter' ELSE 'staff' END,"
    "       'body', m.body)"
    "     || CASE WHEN m.author_role = 'reporter' THEN '{}'::jsonb"
    "        ELSE jsonb_build_object('department', d.code, 'department_name_el', d.name_el,"
    "          'department_name_en', d.name_en,"
    "          'author', CASE WHEN v.staff THEN coalesce(au.display_name, au.email::text)"
    "                    ELSE d.name_el END)"
    "          || CASE WHEN v.staff THEN jsonb_build_object('staff_user_id', m.author_user_id,"
    "               'staff_name', au.display_name) ELSE '{}'::jsonb END END"
    "     ORDER BY m.id)"
    "     FROM report_messages m LEFT JOIN users au ON au.id = m.author_user_id"
    "     WHERE m.report_id = r.id), '[]'::jsonb))::text END"
    PARTIES;
