-- DEMO DATA: real schools of the city of Serres, entered by hand with
-- APPROXIMATE coordinates (placed in the city, not surveyed), no ministry
-- codes, addresses or phone numbers. The real registry comes in with
-- `polis schools import`. Only loaded when the served municipality
-- (current_setting('polis.municipality'), set by `polis demo load`) is
-- Serres, 9054. Safe to run again: rows are matched on (municipality,
-- level, name) and updated. `polis demo load` then derives provisional
-- zones from them (polis schools derive-zones).

INSERT INTO schools (name_el, name_en, level, geom, municipality_id, demo, source)
SELECT s.name_el, s.name_en, s.level, ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326), b.id,
       true, 'demo'
FROM boundaries b
CROSS JOIN (VALUES
    ('1ος Παιδικός Σταθμός Δήμου Σερρών', '1st Municipal Nursery of Serres', 'nursery',
     41.0890, 23.5570),
    ('1ο Νηπιαγωγείο Σερρών',     '1st Kindergarten of Serres',    'kindergarten',    41.0935, 23.5530),
    ('1ο Δημοτικό Σχολείο Σερρών', '1st Primary School of Serres', 'primary',         41.0925, 23.5480),
    ('2ο Δημοτικό Σχολείο Σερρών', '2nd Primary School of Serres', 'primary',         41.0870, 23.5520),
    ('5ο Δημοτικό Σχολείο Σερρών', '5th Primary School of Serres', 'primary',         41.0980, 23.5560),
    ('1ο Γυμνάσιο Σερρών',         '1st Gymnasio of Serres',        'lower_secondary', 41.0900, 23.5445),
    ('3ο Γυμνάσιο Σερρών',         '3rd Gymnasio of Serres',        'lower_secondary', 41.0960, 23.5590),
    ('1ο Γενικό Λύκειο Σερρών',    '1st General Lyceum of Serres',  'upper_secondary', 41.0915, 23.5510),
    ('2ο Γενικό Λύκειο Σερρών',    '2nd General Lyceum of Serres',  'upper_secondary', 41.0850, 23.5460),
    ('1ο ΕΠΑΛ Σερρών',             '1st EPAL of Serres',            'vocational',      41.0800, 23.5400)
) AS s (name_el, name_en, level, lat, lon)
WHERE b.level = 'municipality' AND b.code = current_setting('polis.municipality')
  AND b.code = '9054'
ON CONFLICT (municipality_id, level, name_el) WHERE ref IS NULL DO UPDATE
    SET name_en = EXCLUDED.name_en, geom = EXCLUDED.geom, demo = true, source = 'demo',
        updated_at = now()
    WHERE (schools.name_en, schools.demo, schools.source) IS DISTINCT FROM
          (EXCLUDED.name_en, true, 'demo')
       OR NOT ST_Equals(schools.geom, EXCLUDED.geom);
