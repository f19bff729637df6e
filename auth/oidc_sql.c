#include "auth/oidc_sql.h"

const char OIDC_LOGIN_START_SQL[] =
    "WITH old AS (DELETE FROM oidc_logins WHERE expires_at < now() - interval '1 day')"
    " INSERT INTO oidc_logins (state_hash, nonce, code_verifier, return_to)"
    " VALUES ($1::bytea, $2, $3, $4)";

const char OIDC_LOGIN_TAKE_SQL[] =
    "UPDATE oidc_logins SET used_at = now()"
    " WHERE state_hash = $1::bytea AND used_at IS NULL AND expires_at > now()"
    " RETURNING nonce, code_verifier, return_to";

/* Data-modifying CTEs see the table as it was before the statement: `found`
 * and the e-mail check read the old state, and the foreign keys of the
 * rows inserted after `created` are checked at the end of the statement. */
const char OIDC_SIGN_IN_SQL[] =
    "WITH found AS (SELECT user_id FROM user_identities WHERE issuer = $1 AND subject = $2),"
    " mail AS (SELECT CASE WHEN $7::boolean AND $6::text IS NOT NULL"
    "                       AND NOT EXISTS (SELECT 1 FROM users WHERE email = $6::citext)"
    "                      THEN $6::text END AS verified),"
    " created AS (INSERT INTO users (email, password_hash, role, display_name,"
    "                                email_confirmed_at)"
    "             SELECT coalesce(m.verified,"
    "                             'oidc-' || md5($1 || ' ' || $2) || '@identity.invalid'),"
    "                    '!', 'citizen', left($4, 200),"
    "                    CASE WHEN m.verified IS NOT NULL THEN now() END"
    "             FROM mail m WHERE NOT EXISTS (SELECT 1 FROM found)"
    "             RETURNING id, email),"
    " who AS (SELECT user_id AS id FROM found UNION ALL SELECT id FROM created),"
    " ident AS (INSERT INTO user_identities (user_id, issuer, subject, label, verified_name,"
    "                                        tax_number, email)"
    "           SELECT id, $1, $2, $3, $4, $5, $6 FROM who"
    "           ON CONFLICT (issuer, subject) DO UPDATE SET label = excluded.label,"
    "              verified_name = coalesce(excluded.verified_name,"
    "                                       user_identities.verified_name),"
    "              tax_number = coalesce(excluded.tax_number, user_identities.tax_number),"
    "              email = coalesce(excluded.email, user_identities.email), last_seen = now()"
    "           RETURNING user_id),"
    " s AS (INSERT INTO sessions (token_hash, user_id, csrf_token, client_ip, user_agent,"
    "                             expires_at)"
    "       SELECT $8::bytea, user_id, $9, $10::inet, $11,"
    "              now() + make_interval(hours => $12::int) FROM ident RETURNING user_id),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_label, action, entity, entity_id,"
    "                              after, client_ip)"
    "       SELECT s.user_id, coalesce((SELECT email FROM created),"
    "                                  (SELECT email FROM users WHERE id = s.user_id)),"
    "              CASE WHEN EXISTS (SELECT 1 FROM created) THEN 'user.create_oidc'"
    "                   ELSE 'user.sign_in_oidc' END,"
    "              'user', s.user_id::text, jsonb_build_object('issuer', $1, 'subject', $2),"
    "              $10::inet FROM s)"
    " SELECT user_id, EXISTS (SELECT 1 FROM created) FROM s";
