#include "auth/password_sql.h"

#include "auth/accounts_sql.h"

const char PASSWORD_CURRENT_SQL[] =
    "SELECT password_hash, email FROM users WHERE id = $1::bigint";

const char PASSWORD_CHANGE_SQL[] =
    "WITH u AS (UPDATE users SET password_hash = $3, password_changed_at = now()"
    "           WHERE id = $1::bigint AND password_hash = $2 RETURNING id, email),"
    " r AS (UPDATE sessions SET revoked_at = now()"
    "       WHERE user_id IN (SELECT id FROM u) AND revoked_at IS NULL),"
    " s AS (INSERT INTO sessions (token_hash, user_id, csrf_token, client_ip, user_agent,"
    "                             expires_at)"
    "       SELECT $4::bytea, id, $5, $6::inet, $7, now() + make_interval(hours => $8::int)"
    "       FROM u WHERE $4::bytea IS NOT NULL),"
    " t AS (UPDATE user_tokens SET used_at = now()"
    "       WHERE user_id IN (SELECT id FROM u) AND purpose = 'reset' AND used_at IS NULL),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "                              entity_id, client_ip)"
    "       SELECT id, $9::bigint, email, 'user.password_change', 'user', id::text, $6::inet"
    "       FROM u)"
    " SELECT " USER_JSON("x") "::text FROM users x JOIN u ON u.id = x.id";

const char RESET_REQUEST_SQL[] =
    "WITH u AS (SELECT id, email FROM users WHERE email = $1),"
    " t AS (INSERT INTO user_tokens (token_hash, user_id, purpose, expires_at)"
    "       SELECT $2::bytea, id, 'reset', now() + interval '1 hour' FROM u),"
    " m AS (INSERT INTO outbox (user_id, recipient, subject, body, token)"
    "       SELECT id, email, 'Επαναφορά κωδικού / Password reset', $3, $4 FROM u)"
    " SELECT count(*) FROM u";

const char RESET_LOOKUP_SQL[] =
    "SELECT u.email FROM user_tokens t JOIN users u ON u.id = t.user_id"
    " WHERE t.token_hash = $1::bytea AND t.purpose = 'reset' AND t.used_at IS NULL"
    "   AND t.expires_at > now()";

const char RESET_APPLY_SQL[] =
    "WITH t AS (UPDATE user_tokens SET used_at = now()"
    "           WHERE token_hash = $1::bytea AND purpose = 'reset' AND used_at IS NULL"
    "             AND expires_at > now() RETURNING user_id),"
    " u AS (UPDATE users SET password_hash = $2, password_changed_at = now(),"
    "              email_confirmed_at = coalesce(email_confirmed_at, now())"
    "       FROM t WHERE users.id = t.user_id RETURNING users.id, users.email),"
    " r AS (UPDATE sessions SET revoked_at = now()"
    "       WHERE user_id IN (SELECT id FROM u) AND revoked_at IS NULL),"
    " k AS (UPDATE api_keys SET revoked_at = now()"
    "       WHERE user_id IN (SELECT id FROM u) AND revoked_at IS NULL RETURNING id),"
    " o AS (UPDATE user_tokens SET used_at = now()"
    "       WHERE user_id IN (SELECT id FROM u) AND purpose = 'reset' AND used_at IS NULL"
    "         AND token_hash <> $1::bytea),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_label, action, entity, entity_id,"
    "                              after, client_ip)"
    "       SELECT id, email, 'user.password_reset', 'user', id::text,"
    "              jsonb_build_object('api_keys_revoked',"
    "                  (SELECT coalesce(jsonb_agg(k.id ORDER BY k.id), '[]') FROM k)),"
    "              $3::inet FROM u)"
    " SELECT id FROM u";
