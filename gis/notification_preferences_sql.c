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
