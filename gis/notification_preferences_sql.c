#include "gis/notification_preferences_sql.h"

/* The kinds a user has ($2: staff or admin), and the list of them as JSON,
 * each with the mode chosen (given, stored or the kind's default). */
#define USER_KINDS "(SELECT * FROM notification_kinds WHERE $2::boolean OR NOT staff_only)"
#define LIST_JSON(chosen)                                                                    \
    "json_build_object('items', coalesce(json_agg(json_build_object('kind', k.kind,"         \
    "   'label_el', k.label_el, 'label_en', k.label_en, 'mailbox', true,"                    \
    "   'email', " chosen ", 'default_email', k.default_email) ORDER BY k.position),"        \
    "   '[]'::json))::text"

const char NOTIFICATION_PREFS_LIST_SQL[] =
    "SELECT " LIST_JSON("coalesce(p.email, k.default_email)")
    " FROM " USER_KINDS " k"
    " LEFT JOIN notification_preferences p ON p.kind = k.kind AND p.user_id = $1::bigint";

/* The answer is built from the input over what was stored: the upsert's
 * rows are not visible to the rest of the same statement. */
const char NOTIFICATION_PREFS_SET_SQL[] =
    "WITH input AS (SELECT i.kind, i.email FROM unnest($3::text[], $4::text[]) AS i(kind, email)),"
    " unknown AS (SELECT coalesce(array_agg(i.kind ORDER BY i.kind), '{}') AS kinds"
    "   FROM input i WHERE NOT EXISTS (SELECT 1 FROM " USER_KINDS " k WHERE k.kind = i.kind)),"
    " up AS (INSERT INTO notification_preferences (user_id, kind, email)"
    "   SELECT $1::bigint, i.kind, i.email FROM input i"
    "   WHERE cardinality((SELECT kinds FROM unknown)) = 0"
    "   ON CONFLICT (user_id, kind) DO UPDATE SET email = excluded.email, updated_at = now()"
    "   RETURNING kind)"
    " SELECT (SELECT kinds FROM unknown),"
    "  (SELECT string_agg(kind, ', ' ORDER BY position) FROM " USER_KINDS " k),"
    "  (SELECT CASE WHEN cardinality((SELECT kinds FROM unknown)) = 0 THEN "
    LIST_JSON("coalesce(i.email, p.email, k.default_email)") " END"
    "   FROM " USER_KINDS " k"
    "   LEFT JOIN notification_preferences p ON p.kind = k.kind AND p.user_id = $1::bigint"
    "   LEFT JOIN input i ON i.kind = k.kind)";

/* A one-click token ($1 as given) still unused: what it stops. */
#define UNSUBSCRIBE_TOKEN                                                                    \
    "token_hash = sha256(convert_to($1::text, 'UTF8')) AND used_at IS NULL"

const char UNSUBSCRIBE_FIND_SQL[] =
    "SELECT report_id IS NOT NULL FROM unsubscribe_tokens WHERE " UNSUBSCRIBE_TOKEN;

/* The kinds turned off: the token's, or for a digest's token every kind the
 * user has mailed daily (stored or by default). */
const char UNSUBSCRIBE_SQL[] =
    "WITH t AS (UPDATE unsubscribe_tokens SET used_at = now() WHERE " UNSUBSCRIBE_TOKEN
    "   RETURNING user_id, kind, report_id),"
    " kinds AS (SELECT t.user_id, t.kind FROM t WHERE t.kind IS NOT NULL"
    "   UNION"
    "   SELECT t.user_id, k.kind FROM t CROSS JOIN notification_kinds k"
    "   LEFT JOIN notification_preferences p ON p.user_id = t.user_id AND p.kind = k.kind"
    "   WHERE t.user_id IS NOT NULL AND t.kind IS NULL"
    "     AND coalesce(p.email, k.default_email) = 'daily'),"
    " off AS (INSERT INTO notification_preferences (user_id, kind, email)"
    "   SELECT user_id, kind, 'off' FROM kinds"
    "   ON CONFLICT (user_id, kind) DO UPDATE SET email = 'off', updated_at = now()"
    "   RETURNING kind),"
    " stopped AS (UPDATE reports r"
    "   SET contact_mail_stopped_at = coalesce(r.contact_mail_stopped_at, now())"
    "   FROM t WHERE r.id = t.report_id RETURNING r.id)"
    " SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM off),"
    "  (SELECT count(*) FROM stopped)";
