#include "auth/keys_sql.h"

#define KEY_PUBLIC_JSON(k)                                                                   \
    "json_build_object('id', " k ".id, 'name', " k ".name, 'prefix', " k ".prefix,"           \
    " 'scopes', " k ".scopes, 'created_at', " k ".created_at, 'last_used_at', " k ".last_used_at)"

const char KEY_CREATE_SQL[] =
    "WITH owner AS (SELECT id, role FROM users WHERE id = $1::bigint),"
    " k AS (INSERT INTO api_keys (user_id, name, prefix, key_hash, scopes, created_by)"
    "       SELECT id, $2, $3, $4::bytea, $5::text[], $6::bigint FROM owner"
    "       WHERE role <> 'citizen' OR NOT ('staff' = ANY ($5::text[]))"
    "       RETURNING id, user_id, name, prefix, scopes, created_at, last_used_at),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "                              entity_id, after, client_ip)"
    "       SELECT $6::bigint, $7::bigint, $8, 'key.create', 'api_key', k.id::text,"
    "              jsonb_build_object('id', k.id, 'user_id', k.user_id, 'name', k.name,"
    "                                 'prefix', k.prefix, 'scopes', to_jsonb(k.scopes)),"
    "              $9::inet FROM k)"
    " SELECT (SELECT role FROM owner), (SELECT " KEY_PUBLIC_JSON("k") "::text FROM k)";

const char KEY_LIST_SQL[] =
    "SELECT coalesce(json_agg(" KEY_PUBLIC_JSON("k") " ORDER BY k.id), '[]'::json)::text"
    " FROM api_keys k WHERE k.user_id = $1::bigint AND k.revoked_at IS NULL";

const char KEY_REVOKE_SQL[] =
    "WITH k AS (UPDATE api_keys SET revoked_at = now()"
    "           WHERE id = $1::bigint AND user_id = $2::bigint AND revoked_at IS NULL"
    "           RETURNING id, user_id, name, prefix, scopes),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "                              entity_id, before, after, client_ip)"
    "       SELECT $3::bigint, $4::bigint, $5, 'key.revoke', 'api_key', k.id::text,"
    "              jsonb_build_object('id', k.id, 'user_id', k.user_id, 'name', k.name,"
    "                                 'prefix', k.prefix, 'scopes', to_jsonb(k.scopes),"
    "                                 'revoked', false),"
    "              jsonb_build_object('revoked', true), $6::inet FROM k)"
    " SELECT id FROM k";

const char KEY_OWNER_SQL[] = "SELECT id, role FROM users WHERE email = $1";
