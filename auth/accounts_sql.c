#include "auth/accounts_sql.h"

#define USER_DEPARTMENT_IDS(uid)                                                             \
    "coalesce((SELECT string_agg(d.department_id::text, ',' ORDER BY d.department_id)"      \
    " FROM user_departments d WHERE d.user_id = " uid "), '')"

const char SESSION_LOOKUP_SQL[] =
    "WITH s AS (SELECT token_hash, user_id, csrf_token, last_seen_at FROM sessions"
    "           WHERE token_hash = $1::bytea AND revoked_at IS NULL AND expires_at > now()"
    "             AND last_seen_at > now() - make_interval(secs => $2::int)),"
    " touch AS (UPDATE sessions SET last_seen_at = now() FROM s"
    "           WHERE sessions.token_hash = s.token_hash"
    "             AND s.last_seen_at < now() - interval '1 minute')"
    " SELECT u.id, u.email, u.role, s.csrf_token, " USER_DEPARTMENT_IDS("u.id")
    " FROM s JOIN users u ON u.id = s.user_id";

const char API_KEY_LOOKUP_SQL[] =
    "WITH k AS (SELECT id, user_id, scopes, last_used_at FROM api_keys"
    "           WHERE key_hash = $1::bytea AND revoked_at IS NULL),"
    " touch AS (UPDATE api_keys SET last_used_at = now() FROM k WHERE api_keys.id = k.id"
    "           AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute'))"
    " SELECT u.id, u.email, u.role, k.id, array_to_string(k.scopes, ','), "
    USER_DEPARTMENT_IDS("u.id") " FROM k JOIN users u ON u.id = k.user_id";

const char USER_REGISTER_SQL[] =
    "WITH new_user AS ("
    "   INSERT INTO users (email, password_hash, role, display_name, phone, language)"
    "   VALUES ($1, $2, 'citizen', $3, $4, coalesce($9, 'el')) ON CONFLICT (email) DO NOTHING"
    "   RETURNING id, email),"
    " token AS (INSERT INTO user_tokens (token_hash, user_id, purpose, expires_at)"
    "   SELECT $5::bytea, id, 'confirm', now() + interval '48 hours' FROM new_user),"
    " mail AS (INSERT INTO outbox (user_id, recipient, subject, body, token)"
    "   SELECT id, email, 'Επιβεβαίωση λογαριασμού / Confirm your account', $6, $8"
    "   FROM new_user"
    "   UNION ALL"
    "   SELECT u.id, u.email, 'Απόπειρα εγγραφής / Registration attempt', $7, NULL FROM users u"
    "   WHERE u.email = $1 AND NOT EXISTS (SELECT 1 FROM new_user))"
    " SELECT count(*) FROM new_user";

const char USER_CONFIRM_SQL[] =
    "WITH t AS (UPDATE user_tokens SET used_at = now()"
    "           WHERE token_hash = $1::bytea AND purpose = 'confirm' AND used_at IS NULL"
    "             AND expires_at > now() RETURNING user_id)"
    " UPDATE users SET email_confirmed_at = coalesce(email_confirmed_at, now())"
    " FROM t WHERE users.id = t.user_id RETURNING users.id";

const char USER_LOGIN_LOOKUP_SQL[] =
    "SELECT id, password_hash, email_confirmed_at IS NOT NULL FROM users WHERE email = $1";

const char SESSION_CREATE_SQL[] =
    "WITH s AS (INSERT INTO sessions (token_hash, user_id, csrf_token, client_ip, user_agent,"
    "                                 expires_at)"
    "           VALUES ($1::bytea, $2::bigint, $3, $4::inet, $5,"
    "                   now() + make_interval(hours => $6::int)) RETURNING user_id),"
    " upgrade AS (UPDATE users SET password_hash = $7::text"
    "             WHERE id = $2::bigint AND $7::text IS NOT NULL AND password_hash = $8)"
    " SELECT " USER_JSON("u") "::text FROM users u JOIN s ON s.user_id = u.id";

const char SESSION_REVOKE_SQL[] =
    "UPDATE sessions SET revoked_at = now() WHERE token_hash = $1::bytea AND revoked_at IS NULL";

const char USER_ME_SQL[] = "SELECT " USER_JSON("u") "::text FROM users u WHERE u.id = $1::bigint";

const char USER_UPDATE_SQL[] =
    "UPDATE users u SET language = coalesce($2, u.language) WHERE u.id = $1::bigint"
    " RETURNING " USER_JSON("u") "::text";
