#include "notify/change_feed_sql.h"

/* an entry of inbox_entries e as its owner's stream sends it: the entry
 * with the owner's count of unread entries (kept by sql/038) */
#define ENTRY_WITH_UNREAD                                                                  \
    "(e.entry::jsonb || jsonb_build_object('unread', inbox_unread(e.user_id)))::text"

const char FEED_START_SQL[] = "SELECT coalesce(max(id), 0) FROM inbox";

/* The page's entries with their owners' unread counts, all read in one
 * snapshot: the counts are stored (sql/038), so a read costs the same
 * whatever the owners' backlog. */
const char FEED_READ_SQL[] =
    "WITH snap AS (SELECT pg_current_snapshot() AS s),"
    " page AS (SELECT e.id, e.user_id, e.entry FROM inbox_entries e"
    "   WHERE e.id > $1::bigint ORDER BY e.id LIMIT $2::int)"
    " SELECT pg_snapshot_xmin(snap.s)::text, pg_snapshot_xmax(snap.s)::text,"
    "  n.id, n.user_id, n.data"
    " FROM snap LEFT JOIN LATERAL (SELECT p.id, p.user_id,"
    "   (p.entry::jsonb || jsonb_build_object('unread', coalesce(c.unread, 0)))::text AS data"
    "   FROM page p LEFT JOIN inbox_unread_counts c ON c.user_id = p.user_id) n ON true"
    " ORDER BY n.id";

const char STREAM_RESUME_SQL[] =
    "SELECT e.id, " ENTRY_WITH_UNREAD " FROM inbox_entries e"
    " WHERE e.user_id = $1::bigint AND e.id > $2::bigint ORDER BY e.id";
