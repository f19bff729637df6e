-- Events (issue 6): what the tourism office announces, in Greek and English
-- (other languages in titles/descriptions), once or recurring (an RFC 5545
-- RRULE), at a POI or at a point. Like POIs an event is a draft until the
-- tourism office (staff of department 'tourism') or an admin publishes it;
-- only published events are ever shown to the public.
--
-- starts_at/ends_at are the first occurrence; tzid is the zone whose wall
-- clock the rule repeats in (a weekly 19:00 stays at 19:00 local across the
-- DST change). Only zones the iCalendar feed has a VTIMEZONE for are
-- accepted (server/ical_format.c): for now Europe/Athens.

CREATE TABLE events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_el        text NOT NULL CHECK (length(title_el) BETWEEN 1 AND 300),
    title_en        text CHECK (length(title_en) BETWEEN 1 AND 300),
    -- other languages: {"de": "...", "bg": "..."}
    titles          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(titles) = 'object'),
    description_el  text CHECK (length(description_el) <= 20000),
    description_en  text CHECK (length(description_en) <= 20000),
    descriptions    jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(descriptions) = 'object'),
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    tzid            text NOT NULL DEFAULT 'Europe/Athens' CHECK (tzid IN ('Europe/Athens')),
    rrule           text CHECK (length(rrule) BETWEEN 6 AND 500),   -- checked by libical first
    category        text NOT NULL CHECK (category IN ('concert', 'theatre', 'festival',
                        'exhibition', 'sport', 'market', 'religious', 'conference',
                        'children', 'other')),
    -- the venue: a POI (whose point is copied into geom at each write) or
    -- just a point; venue_name names a point venue (or overrides the POI's)
    venue_poi_id    bigint REFERENCES pois (id) ON DELETE SET NULL,
    venue_name      text CHECK (length(venue_name) BETWEEN 1 AND 300),
    geom            geometry(Point, 4326) NOT NULL,
    free            boolean NOT NULL DEFAULT false,
    price           text CHECK (length(price) BETWEEN 1 AND 200),   -- "10 €, students 5 €"
    organiser       text CHECK (length(organiser) BETWEEN 1 AND 300),
    url             text CHECK (length(url) <= 500),
    status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    demo            boolean NOT NULL DEFAULT false,       -- hand-entered demo data
    created_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    published_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    published_at    timestamptz,
    archived_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- occurrences were materialised up to this horizon (NULL: all of them)
    expanded_until  timestamptz,
    CHECK (ends_at > starts_at),
    CHECK (status <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX events_geom_gist ON events USING gist (geom);
CREATE INDEX events_status_category ON events (status, category);
CREATE INDEX events_venue_poi ON events (venue_poi_id);

-- Every occurrence of every event, written in the same statement as the
-- event (gis/events_sql.c), so that a date range is plain indexed SQL.
-- Rules without COUNT/UNTIL are expanded up to a horizon (README,
-- gis/event_recurrence.h); `polis events refresh` moves it on.
CREATE TABLE event_occurrences (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id  bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    starts_at timestamptz NOT NULL,
    ends_at   timestamptz NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX event_occurrences_event ON event_occurrences (event_id, starts_at);
CREATE INDEX event_occurrences_starts ON event_occurrences (starts_at, id);
CREATE INDEX event_occurrences_ends ON event_occurrences (ends_at);

-- An instant as RFC 3339 with the offset it has in zone tz:
-- 2026-10-31T19:00:00+02:00.
CREATE FUNCTION events_local_rfc3339(ts timestamptz, tz text) RETURNS text
LANGUAGE sql STABLE STRICT AS $$
    SELECT to_char(ts AT TIME ZONE tz, 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN m < 0 THEN '-' ELSE '+' END
        || lpad((abs(m) / 60)::text, 2, '0') || ':' || lpad((abs(m) % 60)::text, 2, '0')
    FROM (SELECT (extract(epoch FROM (ts AT TIME ZONE tz) - (ts AT TIME ZONE 'UTC')) / 60)::int
          AS m) o
$$;
