#include "services/protocol_sql.h"

const char PROTOCOL_REGISTER_SQL[] =
    "WITH m AS (SELECT id AS municipality_id FROM boundaries"
    "   WHERE level = 'municipality' AND code = $1),"
    PROTOCOL_TAKE_NUMBER("m") ","
    " e AS (INSERT INTO protocol_entries (municipality_id, year, number, direction, subject,"
    "         correspondent, channel, registered_by, registered_by_label)"
    "       SELECT municipality_id, year, number, $2, $3, $4, $5, $6::bigint, $8 FROM num"
    "       RETURNING *),"
    " j AS (SELECT e.id, " PROTOCOL_ENTRY_JSON("e") " AS v FROM e),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "         entity_id, after, client_ip)"
    "       SELECT $6::bigint, $7::bigint, $8, 'protocol.register', 'protocol_entry',"
    "         j.id::text, j.v, $9::inet FROM j)"
    " SELECT (SELECT v::text FROM j)";

#define PROTOCOL_FILTER                                                                      \
    " FROM protocol_entries e JOIN boundaries b ON b.id = e.municipality_id"                 \
    " WHERE b.level = 'municipality' AND b.code = $1"                                        \
    "   AND ($2::int IS NULL OR e.year = $2::int)"                                           \
    "   AND ($3::text IS NULL OR e.direction = $3::text)"

const char PROTOCOL_LIST_SQL[] =
    "WITH page AS (SELECT e.id, " PROTOCOL_ENTRY_JSON("e") " AS j" PROTOCOL_FILTER
    "     AND ($4::text IS NULL OR e.channel = $4::text)"
    "     AND ($5::bigint = 0 OR e.id < $5::bigint)"
    "   ORDER BY e.id DESC LIMIT $6::int + 1),"
    " shown AS (SELECT * FROM page ORDER BY id DESC LIMIT $6::int),"
    " per AS (SELECT e.channel, count(*) AS n" PROTOCOL_FILTER " GROUP BY e.channel)"
    " SELECT coalesce((SELECT jsonb_agg(j ORDER BY id DESC) FROM shown), '[]')::text,"
    "  (SELECT count(*) FROM page) > $6::int, (SELECT min(id) FROM shown),"
    "  (SELECT jsonb_object_agg(c.channel, coalesce(per.n, 0))"
    "   FROM unnest(ARRAY['web', 'counter', 'phone', 'post', 'email']) c (channel)"
    "   LEFT JOIN per ON per.channel = c.channel)::text";
