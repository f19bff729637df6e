#include "gis/events_sql.h"

#include "common/stringify.h"
#include "gis/event_recurrence.h"

/* Admins, and staff of the served municipality's department 'tourism'. */
#define TOURISM(adm, deps, muni)                                                             \
    "(" adm "::boolean OR EXISTS (SELECT 1 FROM departments td JOIN boundaries tb"            \
    " ON tb.id = td.municipality_id WHERE tb.level = 'municipality' AND tb.code = " muni     \
    " AND td.code = 'tourism' AND td.id = ANY (" deps "::bigint[])))"

#define LOCAL(ts, tz) "events_local_rfc3339(" ts ", " tz ")"
/* The members starts_at and ends_at of row r (an event or an occurrence) as
 * local times of the event e's zone. */
#define LOCAL_SPAN(r)                                                                        \
    "'starts_at', " LOCAL(r ".starts_at", "e.tzid") ", 'ends_at', " LOCAL(r ".ends_at", "e.tzid")

/* The event e as a Feature; occ is a FROM item of its occurrences
 * (starts_at, ends_at), of which the next 20 are shown. */
#define EVENT_FEATURE(occ)                                                                   \
    "jsonb_build_object('type', 'Feature', 'id', e.id,"                                     \
    " 'geometry', ST_AsGeoJSON(e.geom, 7)::jsonb,"                                           \
    " 'properties', jsonb_build_object('title_el', e.title_el, 'title_en', e.title_en,"     \
    "   'titles', e.titles, 'description_el', e.description_el,"                             \
    "   'description_en', e.description_en, 'descriptions', e.descriptions,"                 \
    "   " LOCAL_SPAN("e") ", 'tzid', e.tzid, 'rrule', e.rrule,"                             \
    "   'category', e.category, 'venue_poi_id', e.venue_poi_id, 'venue_name', e.venue_name," \
    "   'free', e.free, 'price', e.price, 'organiser', e.organiser, 'url', e.url,"           \
    "   'status', e.status, 'demo', e.demo, 'published_at', e.published_at,"                \
    "   'created_at', e.created_at, 'updated_at', e.updated_at,"                            \
    "   'expanded_until', e.expanded_until)"                                                 \
    "  || jsonb_build_object('occurrences', (SELECT coalesce(jsonb_agg(jsonb_build_object("  \
    "       " LOCAL_SPAN("n") ") ORDER BY n.starts_at), '[]'::jsonb)"                     \
    "     FROM (SELECT x.starts_at, x.ends_at FROM " occ " x WHERE x.ends_at > now()"        \
    "           ORDER BY x.starts_at LIMIT 20) n)))"

#define STORED_OCCURRENCES "(SELECT starts_at, ends_at FROM event_occurrences WHERE event_id = e.id)"

/* Inserts the occurrences of the event row(s) ev ($occ local starts, cut at
 * $until), each as long on the wall clock as the event itself (never less
 * than a second, should a DST change swallow it). */
#define OCCURRENCES_INSERT(ev, occ, until)                                                   \
    "INSERT INTO event_occurrences (event_id, starts_at, ends_at)"                           \
    " SELECT v.id, s AT TIME ZONE v.tzid,"                                                   \
    "   greatest((s + ((v.ends_at AT TIME ZONE v.tzid) - (v.starts_at AT TIME ZONE v.tzid)))" \
    "     AT TIME ZONE v.tzid, (s AT TIME ZONE v.tzid) + interval '1 second')"               \
    " FROM " ev " v, unnest(" occ "::timestamp[]) s"                                         \
    " WHERE " until "::timestamptz IS NULL OR s AT TIME ZONE v.tzid <= " until "::timestamptz" \
    " RETURNING starts_at, ends_at"

#define EXPANDED_UNTIL(complete)                                                             \
    "CASE WHEN " complete "::boolean THEN NULL"                                              \
    " ELSE now() + interval '1 day' * " STRINGIFY(EVENT_HORIZON_DAYS) " END"

/* Title and venue name in language lang, else English, else Greek. */
#define IN_LANG(t, el, en, other, lang)                                                     \
    "coalesce(CASE " lang " WHEN 'el' THEN " t "." el " WHEN 'en' THEN " t "." en            \
    " ELSE " t "." other "->>" lang " END, " t "." en ", " t "." el ")"

const char EVENT_LIST_SQL[] =
    "WITH f AS (SELECT CASE WHEN $1::text IS NULL THEN now()"
    "     WHEN length($1) = 10 THEN $1::date::timestamp AT TIME ZONE $3"
    "     ELSE $1::timestamptz END AS f),"
    " b AS (SELECT f.f, CASE WHEN $2::text IS NULL THEN f.f + interval '1 year'"
    "     WHEN length($2) = 10 THEN ($2::date + 1)::timestamp AT TIME ZONE $3"
    "     ELSE $2::timestamptz END AS t FROM f),"
    " page AS (SELECT o.id, o.starts_at, jsonb_build_object('type', 'Feature',"
    "     'id', e.id || '-' || extract(epoch FROM o.starts_at)::bigint,"
    "     'geometry', ST_AsGeoJSON(e.geom, 7)::jsonb,"
    "     'properties', jsonb_build_object('event_id', e.id,"
    "       'title', " IN_LANG("e", "title_el", "title_en", "titles", "$9") ","
    "       " LOCAL_SPAN("o") ", 'tzid', e.tzid,"
    "       'category', e.category, 'recurring', e.rrule IS NOT NULL, 'status', e.status,"
    "       'venue_name', coalesce(e.venue_name, "
    IN_LANG("p", "name_el", "name_en", "names", "$9") "),"
    "       'venue_poi_id', p.id, 'free', e.free, 'price', e.price,"
    "       'organiser', e.organiser, 'url', e.url)) AS f"
    "   FROM b, event_occurrences o JOIN events e ON e.id = o.event_id"
    "   LEFT JOIN pois p ON p.id = e.venue_poi_id AND p.status = 'published'"
    "   WHERE b.t >= b.f AND b.t <= b.f + interval '1 year 1 day'"
    "     AND o.ends_at > b.f AND o.starts_at < b.t"
    "     AND ((e.status = 'published' AND $13::text = 'published') OR ("
    TOURISM("$14", "$15", "$16") " AND ($13::text IS NULL OR e.status = $13::text)))"
    "     AND ($4::text IS NULL OR e.category = $4::text)"
    "     AND ($5::float8 IS NULL OR e.geom && ST_MakeEnvelope($5::float8, $6::float8,"
    "          $7::float8, $8::float8, 4326))"
    "     AND ($10::bigint IS NULL OR (o.starts_at, o.id) > (to_timestamp($10::bigint),"
    "          $11::bigint))"
    "   ORDER BY o.starts_at, o.id LIMIT $12::int + 1),"
    " shown AS (SELECT * FROM page ORDER BY starts_at, id LIMIT $12::int)"
    " SELECT b.t < b.f, b.t > b.f + interval '1 year 1 day',"
    "  coalesce((SELECT jsonb_agg(f ORDER BY starts_at, id) FROM shown), '[]')::text,"
    "  (SELECT count(*) FROM page) > $12::int,"
    "  (SELECT extract(epoch FROM starts_at)::bigint || '_' || id FROM shown"
    "    ORDER BY starts_at DESC, id DESC LIMIT 1),"
    "  " TOURISM("$14", "$15", "$16")
    " FROM b";

const char EVENT_GET_SQL[] =
    "SELECT " EVENT_FEATURE(STORED_OCCURRENCES) "::text FROM events e"
    " WHERE e.id = $1::bigint AND (e.status = 'published' OR " TOURISM("$2", "$3", "$4") ")";

/* a local wall time from RFC 3339 (an instant) or a date-time without
 * offset (already local); NULL keeps cur's */
#define LOCAL_INPUT(p, col)                                                                  \
    "CASE WHEN " p "::text IS NULL THEN (SELECT " col " FROM cur) AT TIME ZONE z.tz"         \
    " WHEN " p " ~* '(z|[+-][0-9]{2}:[0-9]{2})$' THEN " p "::timestamptz AT TIME ZONE z.tz"   \
    " ELSE " p "::timestamp END"

const char EVENT_WRITE_CHECK_SQL[] =
    "WITH cur AS (SELECT * FROM events WHERE id = $4::bigint),"
    " z AS (SELECT coalesce($7::text, (SELECT tzid FROM cur)) AS tz),"
    " l AS (SELECT date_trunc('second', " LOCAL_INPUT("$5", "starts_at") ") AS s,"
    "   date_trunc('second', " LOCAL_INPUT("$6", "ends_at") ") AS en FROM z)"
    " SELECT " TOURISM("$1", "$2", "$3") ", ($4::bigint IS NULL OR EXISTS (SELECT 1 FROM cur)),"
    "  z.tz, to_char(l.s, 'YYYY-MM-DD HH24:MI:SS'), to_char(l.en, 'YYYY-MM-DD HH24:MI:SS'),"
    "  coalesce(l.en > l.s, false),"
    "  ($8::bigint IS NULL OR EXISTS (SELECT 1 FROM pois WHERE id = $8::bigint"
    "    AND status <> 'archived')),"
    "  (SELECT rrule FROM cur)"
    " FROM z, l";

/* the point of a venue: lat/lon of j, else the POI's */
#define VENUE_POINT(j, poi)                                                                  \
    "coalesce(ST_SetSRID(ST_MakePoint((" j "->>'lon')::float8, (" j "->>'lat')::float8), 4326)," \
    " (SELECT ST_PointOnSurface(geom) FROM pois WHERE id = " poi "))"

const char EVENT_CREATE_SQL[] =
    "WITH r AS (SELECT * FROM jsonb_populate_record(NULL::events, $1::jsonb)),"
    " e AS (INSERT INTO events (title_el, title_en, titles, description_el, description_en,"
    "         descriptions, starts_at, ends_at, tzid, rrule, category, venue_poi_id,"
    "         venue_name, geom, free, price, organiser, url, created_by, expanded_until)"
    "       SELECT r.title_el, r.title_en, coalesce(r.titles, '{}'), r.description_el,"
    "         r.description_en, coalesce(r.descriptions, '{}'),"
    "         ($1::jsonb->>'starts_local')::timestamp AT TIME ZONE r.tzid,"
    "         ($1::jsonb->>'ends_local')::timestamp AT TIME ZONE r.tzid, r.tzid, r.rrule,"
    "         r.category, r.venue_poi_id, r.venue_name,"
    "         " VENUE_POINT("$1::jsonb", "r.venue_poi_id") ", coalesce(r.free, false),"
    "         r.price, r.organiser, r.url, $5::bigint, " EXPANDED_UNTIL("$4") " FROM r"
    "       RETURNING *),"
    " o AS (" OCCURRENCES_INSERT("e", "$2", "$3") "),"
    " j AS (SELECT e.id, " EVENT_FEATURE("o") " AS v FROM e),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "         entity_id, after, client_ip)"
    "       SELECT $5::bigint, $6::bigint, $7, 'event.create', 'event', j.id::text, j.v,"
    "         $8::inet FROM j)"
    " SELECT id, v::text FROM j";

const char EVENT_UPDATE_SQL[] =
    "WITH old AS (SELECT e.id, " EVENT_FEATURE(STORED_OCCURRENCES) " AS v FROM events e"
    "   WHERE e.id = $1::bigint),"
    " r AS (SELECT (jsonb_populate_record(t, $2::jsonb)).* FROM events t WHERE t.id = $1::bigint),"
    " e AS (UPDATE events t SET title_el = r.title_el, title_en = r.title_en,"
    "         titles = coalesce(r.titles, '{}'), description_el = r.description_el,"
    "         description_en = r.description_en, descriptions = coalesce(r.descriptions, '{}'),"
    "         starts_at = ($2::jsonb->>'starts_local')::timestamp AT TIME ZONE r.tzid,"
    "         ends_at = ($2::jsonb->>'ends_local')::timestamp AT TIME ZONE r.tzid,"
    "         tzid = r.tzid, rrule = r.rrule, category = r.category,"
    "         venue_poi_id = r.venue_poi_id, venue_name = r.venue_name,"
    "         geom = CASE WHEN $2::jsonb ? 'lat' OR ($2::jsonb ? 'venue_poi_id'"
    "                       AND r.venue_poi_id IS NOT NULL)"
    "                THEN " VENUE_POINT("$2::jsonb", "r.venue_poi_id") " ELSE t.geom END,"
    "         free = coalesce(r.free, false), price = r.price, organiser = r.organiser,"
    "         url = r.url, updated_at = now(), expanded_until = " EXPANDED_UNTIL("$5")
    "       FROM r WHERE t.id = r.id RETURNING t.*),"
    " d AS (DELETE FROM event_occurrences WHERE event_id IN (SELECT id FROM e)),"
    " o AS (" OCCURRENCES_INSERT("e", "$3", "$4") "),"
    " j AS (SELECT e.id, " EVENT_FEATURE("o") " AS v FROM e),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "         entity_id, before, after, client_ip)"
    "       SELECT $6::bigint, $7::bigint, $8, 'event.update', 'event', j.id::text,"
    "         (SELECT v FROM old), j.v, $9::inet FROM j)"
    " SELECT v::text FROM j";

const char EVENT_STATUS_SQL[] =
    "WITH allowed AS (SELECT " TOURISM("$3", "$4", "$5") " AS yes),"
    " old AS (SELECT e.id, e.status, " EVENT_FEATURE(STORED_OCCURRENCES) " AS v FROM events e"
    "   WHERE e.id = $1::bigint),"
    " e AS (UPDATE events t SET status = $2,"
    "         published_at = CASE WHEN $2 = 'published' THEN now() ELSE t.published_at END,"
    "         published_by = CASE WHEN $2 = 'published' THEN $6::bigint ELSE t.published_by END,"
    "         archived_at = CASE WHEN $2 = 'archived' THEN now() ELSE t.archived_at END,"
    "         updated_at = now()"
    "       FROM old, allowed WHERE t.id = old.id AND allowed.yes AND old.status <> $2"
    "       RETURNING t.*),"
    " j AS (SELECT e.id, " EVENT_FEATURE(STORED_OCCURRENCES) " AS v FROM e),"
    " a AS (INSERT INTO audit_log (actor_user_id, actor_key_id, actor_label, action, entity,"
    "         entity_id, before, after, client_ip)"
    "       SELECT $6::bigint, $7::bigint, $8,"
    "         CASE $2 WHEN 'published' THEN 'event.publish' ELSE 'event.archive' END,"
    "         'event', j.id::text, (SELECT v FROM old), j.v, $9::inet FROM j)"
    " SELECT (SELECT yes FROM allowed), EXISTS (SELECT 1 FROM old), (SELECT status FROM old),"
    "  (SELECT v::text FROM j)";

const char EVENT_ICAL_SQL[] =
    "SELECT e.id, to_char(e.starts_at AT TIME ZONE e.tzid, 'YYYYMMDD\"T\"HH24MISS'),"
    "  to_char(e.ends_at AT TIME ZONE e.tzid, 'YYYYMMDD\"T\"HH24MISS'), e.tzid, e.rrule,"
    "  " IN_LANG("e", "title_el", "title_en", "titles", "$1") ","
    "  " IN_LANG("e", "description_el", "description_en", "descriptions", "$1") ","
    "  coalesce(e.venue_name, " IN_LANG("p", "name_el", "name_en", "names", "$1") "),"
    "  round(ST_Y(e.geom)::numeric, 6), round(ST_X(e.geom)::numeric, 6), e.url,"
    "  to_char(e.updated_at AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS\"Z\"'), e.category"
    " FROM events e LEFT JOIN pois p ON p.id = e.venue_poi_id AND p.status = 'published'"
    " WHERE e.status = 'published' AND EXISTS (SELECT 1 FROM event_occurrences o"
    "   WHERE o.event_id = e.id AND o.ends_at > now() - interval '90 days')"
    " ORDER BY e.starts_at, e.id";

const char EVENT_REFRESH_LIST_SQL[] =
    "SELECT e.id, to_char(e.starts_at AT TIME ZONE e.tzid, 'YYYY-MM-DD HH24:MI:SS'), e.rrule"
    " FROM events e WHERE e.status <> 'archived' AND (e.expanded_until IS NOT NULL"
    "   OR NOT EXISTS (SELECT 1 FROM event_occurrences o WHERE o.event_id = e.id))"
    " ORDER BY e.id";

const char EVENT_REFRESH_SQL[] =
    "WITH e AS (UPDATE events SET expanded_until = " EXPANDED_UNTIL("$4")
    "   WHERE id = $1::bigint RETURNING *),"
    " d AS (DELETE FROM event_occurrences WHERE event_id IN (SELECT id FROM e)),"
    " o AS (" OCCURRENCES_INSERT("e", "$2", "$3") ")"
    " SELECT count(*) FROM o";
