#include "notify/change_feed_sql.h"

/* an entry of inbox_entries e as its owner's stream sends it: the entry
 * with the owner's count of unread entries */
#define ENTRY_WITH_UNREAD                                                                  \
    "(e.entry::jsonb || jsonb_build_object('unread', (SELECT count(*) FROM inbox u"       \
    "   WHERE u.user_id = e.user_id AND u.read_at IS NULL)))::text"

const char FEED_START_SQL[] = "SELECT coalesce(max(id), 0) FROM inbox";

/* One count of unread entries per owner in the page, not one per entry: the
 * entries of a read share its snapshot, so an owner's count is the same for
 * each of them, and counting it per entry cost O(unread) per event (a busy
 * department's staff with thousands unread: the feed fell behind). */
const char FEED_READ_SQL[] =
    "WITH snap AS (SELECT pg_current_snapshot() AS s),"
    " page AS (SELECT e.id, e.user_id, e.entry FROM inbox_entries e"
    "   WHERE e.id > $1::bigint ORDER BY e.id LIMIT $2::int),"
    " unread AS (SELECT u.user_id, count(*) AS n FROM inbox u"
    "   WHERE u.read_at IS NULL AND u.user_id IN (SELECT user_id FROM page) GROUP BY u.user_id)"
    " SELECT pg_snapshot_xmin(snap.s)::text, pg_snapshot_xmax(snap.s)::text,"
    "  n.id, n.user_id, n.data"
    " FROM snap LEFT JOIN LATERAL (SELECT p.id, p.user_id,"
    "   (p.entry::jsonb || jsonb_build_object('unread', coalesce(c.n, 0)))::text AS data"
    "   FROM page p LEFT JOIN unread c ON c.user_id = p.user_id) n ON true"
    " ORDER BY n.id";

const char STREAM_RESUME_SQL[] =
    "SELECT e.id, " ENTRY_WITH_UNREAD " FROM inbox_entries e"
    " WHERE e.user_id = $1::bigint AND e.id > $2::bigint ORDER BY e.id";
