#include "auth/users_sql.h"

const char USER_CREATE_SQL[] =
    "WITH wanted AS (SELECT DISTINCT c AS code FROM jsonb_array_elements_text($5::jsonb) c),"
    " d AS (SELECT dp.id, dp.code, dp.name_el, dp.name_en FROM departments dp"
    "       JOIN boundaries b ON b.id = dp.municipality_id"
    "       WHERE b.level = 'municipality' AND b.code = $6"
    "         AND dp.code IN (SELECT code FROM wanted)),"
    " missing AS (SELECT string_agg(code, ',' ORDER BY code) AS codes FROM wanted"
    "             WHERE code NOT IN (SELECT code FROM d)),"
    " u AS (INSERT INTO users (email, password_hash, role, display_name, email_confirmed_at)"
    "       SELECT $1, $2, $3, $4, now() FROM missing WHERE missing.codes IS NULL"
    "       ON CONFLICT (email) DO NOTHING"
    "       RETURNING id, email, role, display_name, created_at),"
    " ud AS (INSERT INTO user_departments (user_id, department_id)"
    "        SELECT u.id, d.id FROM u CROSS JOIN d),"
    " j AS (SELECT u.id, jsonb_build_object('id', u.id, 'email', u.email, 'role', u.role,"
    "         'display_name', u.display_name, 'email_confirmed', true,"
    "         'created_at', u.created_at,"
    "         'departments', coalesce((SELECT jsonb_agg(jsonb_build_object('id', d.id,"
    "             'code', d.code, 'name_el', d.name_el, 'name_en', d.name_en) ORDER BY d.id)"
    "           FROM d), '[]'::jsonb)) AS v FROM u),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "                              entity_id, after, client_ip)"
    "       SELECT $7::bigint, $8::bigint, $9, 'user.create', 'user', j.id::text, j.v,"
    "              $10::inet FROM j)"
    " SELECT (SELECT codes FROM missing), (SELECT v::text FROM j)";

const char USER_LIST_SQL[] =
    "SELECT u.id, json_build_object('id', u.id, 'email', u.email, 'role', u.role,"
    "   'display_name', u.display_name, 'email_confirmed', u.email_confirmed_at IS NOT NULL,"
    "   'created_at', u.created_at,"
    "   'departments', coalesce((SELECT json_agg(dp.code ORDER BY dp.code)"
    "       FROM user_departments ud JOIN departments dp ON dp.id = ud.department_id"
    "       WHERE ud.user_id = u.id), '[]'::json))::text"
    " FROM users u WHERE u.id > $1::bigint ORDER BY u.id LIMIT $2::int";

const char USER_EXPORT_SQL[] =
    "SELECT json_build_object("
    " 'exported_at', now(),"
    " 'account', json_build_object('id', u.id, 'email', u.email, 'role', u.role,"
    "     'display_name', u.display_name, 'phone', u.phone,"
    "     'email_confirmed_at', u.email_confirmed_at,"
    "     'password_changed_at', u.password_changed_at, 'created_at', u.created_at),"
    " 'departments', coalesce((SELECT json_agg(json_build_object('id', dp.id, 'code', dp.code,"
    "     'name_el', dp.name_el, 'name_en', dp.name_en) ORDER BY dp.id)"
    "     FROM user_departments ud JOIN departments dp ON dp.id = ud.department_id"
    "     WHERE ud.user_id = u.id), '[]'::json),"
    " 'sessions', coalesce((SELECT json_agg(json_build_object('created_at', s.created_at,"
    "     'last_seen_at', s.last_seen_at, 'expires_at', s.expires_at,"
    "     'revoked_at', s.revoked_at, 'client_ip', host(s.client_ip),"
    "     'user_agent', s.user_agent,"
    "     'current', s.token_hash IS NOT DISTINCT FROM $2::bytea) ORDER BY s.created_at)"
    "     FROM sessions s WHERE s.user_id = u.id), '[]'::json),"
    " 'api_keys', coalesce((SELECT json_agg(json_build_object('id', k.id, 'name', k.name,"
    "     'prefix', k.prefix, 'scopes', k.scopes, 'created_at', k.created_at,"
    "     'last_used_at', k.last_used_at, 'revoked_at', k.revoked_at) ORDER BY k.id)"
    "     FROM api_keys k WHERE k.user_id = u.id), '[]'::json),"
    " 'tokens', coalesce((SELECT json_agg(json_build_object('purpose', t.purpose,"
    "     'created_at', t.created_at, 'expires_at', t.expires_at, 'used_at', t.used_at)"
    "     ORDER BY t.created_at) FROM user_tokens t WHERE t.user_id = u.id), '[]'::json),"
    " 'outbox', coalesce((SELECT json_agg(json_build_object('id', o.id,"
    "     'recipient', o.recipient, 'subject', o.subject, 'body', o.body,"
    "     'status', o.status, 'created_at', o.created_at) ORDER BY o.id)"
    "     FROM outbox o WHERE o.user_id = u.id), '[]'::json),"
    " 'audit', coalesce((SELECT json_agg(json_build_object('id', l.id, 'at', l.at,"
    "     'actor_label', l.actor_label, 'action', l.action, 'entity', l.entity,"
    "     'entity_id', l.entity_id, 'before', l.before, 'after', l.after,"
    "     'client_ip', host(l.client_ip)) ORDER BY l.id)"
    "     FROM audit_log l WHERE l.actor_user_id = u.id"
    "        OR (l.entity = 'user' AND l.entity_id = u.id::text)), '[]'::json)"
    ")::text FROM users u WHERE u.id = $1::bigint";

/* The audit log keeps what happened, not who the person was: their email
 * goes from the labels and the before/after of rows about them. */
const char USER_DELETE_SQL[] =
    "WITH gone AS (DELETE FROM users WHERE id = $1::bigint RETURNING id, role, created_at),"
    /* HOOK (reports issue): the user's reports stay, anonymised; when the
     * reports table exists, add here e.g.
     * r AS (UPDATE reports SET user_id = NULL, reporter_name = NULL,
     *       reporter_contact = NULL WHERE user_id IN (SELECT id FROM gone)),
     * and make reports.user_id ON DELETE SET NULL. */
    " o AS (DELETE FROM outbox WHERE user_id IN (SELECT id FROM gone)),"
    " l AS (UPDATE audit_log SET"
    "         actor_label = CASE WHEN actor_user_id = $1::bigint"
    "                            THEN 'deleted user #' || $1::bigint ELSE actor_label END,"
    "         before = CASE WHEN entity = 'user' AND entity_id = $1::bigint::text"
    "                       THEN before - 'email' - 'display_name' - 'phone' ELSE before END,"
    "         after = CASE WHEN entity = 'user' AND entity_id = $1::bigint::text"
    "                      THEN after - 'email' - 'display_name' - 'phone' ELSE after END"
    "       WHERE (actor_user_id = $1::bigint OR (entity = 'user' AND entity_id = $1::bigint::text))"
    "         AND EXISTS (SELECT 1 FROM gone)),"
    " a AS (INSERT INTO audit_log (actor_label, action, entity, entity_id, before, client_ip)"
    "       SELECT 'deleted user #' || id, 'user.delete', 'user', id::text,"
    "              jsonb_build_object('id', id, 'role', role, 'created_at', created_at),"
    "              $2::inet FROM gone)"
    " SELECT count(*) FROM gone";
