#include "auth/audit_sql.h"

const char AUDIT_PAGE_SQL[] =
    "SELECT l.id, json_build_object('id', l.id, 'at', l.at, 'actor_user_id', l.actor_user_id,"
    "   'actor_key_id', l.actor_key_id, 'actor_label', l.actor_label, 'action', l.action,"
    "   'entity', l.entity, 'entity_id', l.entity_id, 'before', l.before, 'after', l.after,"
    "   'client_ip', host(l.client_ip))::text"
    " FROM audit_log l WHERE $1::bigint = 0 OR l.id < $1::bigint"
    " ORDER BY l.id DESC LIMIT $2::int";
