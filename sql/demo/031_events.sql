-- DEMO DATA, not real: a few plausible events in Serres (only when the
-- served municipality, current_setting('polis.municipality'), is 9054
-- Serres), published, flagged demo. Dates are relative to the day of
-- loading, in Europe/Athens wall time: a weekly farmers' market from this
-- week's Saturday on (no end: expanded up to the horizon), a museum night
-- on the first Friday of each of the next twelve months, a summer festival
-- concert on the next 15 July and a three-day children's play from the
-- next 27 December. The venue is a published POI found by name when the
-- demo POIs (030_pois.sql) are there, else a point. Occurrences are not
-- written here: `polis demo load` expands them after the demo SQL, in the
-- same transaction, with the code the API uses (gis/event_refresh.h).
-- Safe to run again: an event is skipped when a demo event has its title.

WITH t AS (SELECT (now() AT TIME ZONE 'Europe/Athens')::date AS today),
d AS (
    SELECT
        -- Saturday of this ISO week (weeks start on Monday)
        date_trunc('week', t.today)::date + 5 AS saturday,
        -- the first Friday (ISO day 5) of next month
        (date_trunc('month', t.today) + interval '1 month')::date
            + ((12 - extract(isodow FROM date_trunc('month', t.today) + interval '1 month')::int) % 7)
            AS first_friday,
        make_date(extract(year FROM t.today)::int
                  + CASE WHEN t.today < make_date(extract(year FROM t.today)::int, 7, 15)
                         THEN 0 ELSE 1 END, 7, 15) AS festival,
        make_date(extract(year FROM t.today)::int
                  + CASE WHEN t.today < make_date(extract(year FROM t.today)::int, 12, 27)
                         THEN 0 ELSE 1 END, 12, 27) AS christmas
    FROM t
),
v AS (
    SELECT 'Λαϊκή αγορά παραγωγών (demo)' AS title_el,
           'Farmers'' market (demo)' AS title_en,
           'Κάθε Σάββατο πρωί: φρούτα, λαχανικά, τυριά, μέλι και κρασί από παραγωγούς του νομού Σερρών.' AS description_el,
           'Every Saturday morning: fruit, vegetables, cheese, honey and wine from producers of the Serres region.' AS description_en,
           d.saturday + time '08:00' AS starts, d.saturday + time '14:00' AS ends,
           'FREQ=WEEKLY;BYDAY=SA' AS rrule, 'market' AS category,
           '%Ελευθερίας%' AS poi_like, 'Πλατεία Ελευθερίας' AS venue_name,
           41.0917 AS lat, 23.5494 AS lon, true AS free, NULL AS price,
           'Δήμος Σερρών' AS organiser
    FROM d
    UNION ALL
    SELECT 'Βραδιά στο Μπεζεστένι (demo)', 'Night at the Bezesteni museum (demo)',
           'Το Αρχαιολογικό Μουσείο Σερρών ανοιχτό ως αργά, με ξενάγηση και μουσική.',
           'The Archaeological Museum of Serres open late, with a guided tour and music.',
           d.first_friday + time '19:00', d.first_friday + time '22:00',
           'FREQ=MONTHLY;BYDAY=1FR;COUNT=12', 'exhibition',
           '%Αρχαιολογικό Μουσείο%', 'Μπεζεστένι (Αρχαιολογικό Μουσείο Σερρών)', 41.0914, 23.5471,
           true, NULL,
           'Αρχαιολογικό Μουσείο Σερρών'
    FROM d
    UNION ALL
    SELECT 'Συναυλία στο Κάστρο — Φεστιβάλ Σερρών (demo)',
           'Concert at the Castle — Serres Festival (demo)',
           'Καλοκαιρινή συναυλία στην Ακρόπολη των Σερρών, με θέα την πόλη.',
           'A summer concert at the Acropolis of Serres, overlooking the town.',
           d.festival + time '21:30', d.festival + time '23:30', NULL, 'concert',
           '%Ακρόπολη%', 'Ακρόπολη Σερρών (Κουλάς)', 41.0975, 23.5553, false, '10 €, φοιτητές 5 €',
           'Δήμος Σερρών'
    FROM d
    UNION ALL
    SELECT 'Χριστουγεννιάτικη παράσταση για παιδιά (demo)',
           'Christmas play for children (demo)',
           'Παιδική θεατρική παράσταση τρεις μέρες μετά τα Χριστούγεννα.',
           'A children''s play on the three days after Christmas.',
           d.christmas + time '11:00', d.christmas + time '12:30', 'FREQ=DAILY;COUNT=3', 'children',
           '%Θέατρο%', 'Δημοτικό Θέατρο Σερρών', 41.0880, 23.5461, true, NULL,
           'ΔΗΠΕΘΕ Σερρών'
    FROM d
)
INSERT INTO events (title_el, title_en, description_el, description_en, starts_at, ends_at,
                    tzid, rrule, category, venue_poi_id, venue_name, geom, free, price,
                    organiser, status, demo, published_at)
SELECT v.title_el, v.title_en, v.description_el, v.description_en,
       v.starts AT TIME ZONE 'Europe/Athens', v.ends AT TIME ZONE 'Europe/Athens',
       'Europe/Athens', v.rrule, v.category, poi.id, v.venue_name,
       coalesce(ST_PointOnSurface(poi.geom), ST_SetSRID(ST_MakePoint(v.lon, v.lat), 4326)),
       v.free, v.price, v.organiser, 'published', true, now()
FROM v
LEFT JOIN LATERAL (SELECT p.id, p.geom FROM pois p
                   WHERE p.status = 'published' AND p.name_el ILIKE v.poi_like
                   ORDER BY p.id LIMIT 1) poi ON true
WHERE current_setting('polis.municipality') = '9054'
  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.demo AND e.title_el = v.title_el);
