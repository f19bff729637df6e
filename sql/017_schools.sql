-- Schools and school zones (issue 6): which school of each level serves an
-- address. Schools come from the ministry's registry (polis schools import)
-- or the demo; zones are either real ones a municipality publishes (polis
-- schools import-zones, provisional = false) or provisional ones derived from
-- the schools (polis schools derive-zones: Voronoi cells clipped to the
-- municipality, source 'derived').
--
-- Integrity enforced here:
--  * a zone's level is its school's level: (school_id, level) is a foreign
--    key to schools (id, level), so a zone of another level cannot exist;
--  * a provisional zone never overlaps another zone of the same level and
--    municipality (by more than 1 m², the noise of clipping): a deferred
--    constraint trigger checks at commit, so a transaction may replace a
--    level's zones in any order. Across municipalities it is not checked:
--    the municipal boundaries themselves overlap by slivers (130 pairs of
--    the 326, up to 0.04 km²), and the lookup answers with the nearest.
--    Real zones may overlap each other (some areas are served by two
--    schools); the lookup then answers with the nearest school.

-- The levels, in the order people go through them; the codes are also
-- listed in gis/schools_sql.c (school_levels) for request validation.
CREATE TABLE school_levels (
    code       text PRIMARY KEY CHECK (code ~ '^[a-z][a-z_]{1,39}$'),
    sort_order integer NOT NULL UNIQUE,
    name_el    text NOT NULL,
    name_en    text NOT NULL
);
INSERT INTO school_levels (code, sort_order, name_el, name_en) VALUES
    ('nursery',         1, 'Παιδικός / Βρεφονηπιακός Σταθμός', 'Nursery (day care)'),
    ('kindergarten',    2, 'Νηπιαγωγείο',                      'Kindergarten'),
    ('primary',         3, 'Δημοτικό Σχολείο',                 'Primary school'),
    ('lower_secondary', 4, 'Γυμνάσιο',                         'Lower secondary school (Gymnasio)'),
    ('upper_secondary', 5, 'Γενικό Λύκειο',                    'Upper secondary school (General Lyceum)'),
    ('vocational',      6, 'Επαγγελματικό Λύκειο (ΕΠΑΛ)',      'Vocational upper secondary school (EPAL)');

CREATE TABLE schools (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref             text UNIQUE CHECK (length(ref) BETWEEN 1 AND 40),  -- the ministry's code
    name_el         text NOT NULL CHECK (length(name_el) BETWEEN 1 AND 300),
    name_en         text CHECK (length(name_en) BETWEEN 1 AND 300),
    level           text NOT NULL REFERENCES school_levels (code),
    address         text CHECK (length(address) <= 300),
    phone           text CHECK (length(phone) <= 40),
    email           text CHECK (length(email) <= 254),
    website         text CHECK (length(website) <= 500),
    geom            geometry(Point, 4326) NOT NULL,
    geom_3857       geometry(Point, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    municipality_id bigint NOT NULL REFERENCES boundaries (id),
    demo            boolean NOT NULL DEFAULT false,       -- hand-entered demo data
    source          text NOT NULL CHECK (length(source) BETWEEN 1 AND 300),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, level)                                    -- the target of school_zones' key
);
-- what makes a school without a ministry code the same school on re-import
CREATE UNIQUE INDEX schools_name_without_ref ON schools (municipality_id, level, name_el)
    WHERE ref IS NULL;
CREATE INDEX schools_geom_gist ON schools USING gist (geom);
CREATE INDEX schools_geom_3857_gist ON schools USING gist (geom_3857);
CREATE INDEX schools_municipality_level ON schools (municipality_id, level);
CREATE INDEX schools_level ON schools (level, id);

CREATE TABLE school_zones (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id       bigint NOT NULL,
    level           text NOT NULL,
    municipality_id bigint NOT NULL REFERENCES boundaries (id),
    geom            geometry(MultiPolygon, 4326) NOT NULL
                    CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
    geom_3857       geometry(MultiPolygon, 3857)
                    GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    provisional     boolean NOT NULL,
    source          text NOT NULL CHECK (length(source) BETWEEN 1 AND 300),
    created_at      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (school_id, level) REFERENCES schools (id, level)
        ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX school_zones_geom_gist ON school_zones USING gist (geom);
CREATE INDEX school_zones_geom_3857_gist ON school_zones USING gist (geom_3857);
CREATE INDEX school_zones_school ON school_zones (school_id);
CREATE INDEX school_zones_municipality_level ON school_zones (municipality_id, level);

-- Checks the row as it is at commit (it may have been changed or deleted
-- since the event that queued the check).
CREATE FUNCTION school_zones_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    me school_zones;
    other record;
BEGIN
    SELECT * INTO me FROM school_zones WHERE id = NEW.id;
    IF NOT FOUND OR NOT me.provisional THEN
        RETURN NULL;
    END IF;
    SELECT z.id, z.school_id, z.provisional INTO other FROM school_zones z
    WHERE z.id <> me.id AND z.level = me.level AND z.municipality_id = me.municipality_id
      AND z.geom && me.geom
      AND ST_Relate(z.geom, me.geom, '2********')
      AND ST_Area(ST_Intersection(z.geom, me.geom)::geography) > 1
    ORDER BY z.id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'exclusion_violation',
            MESSAGE = format('provisional %s zone %s (school %s) overlaps %s zone %s (school %s)',
                             me.level, me.id, me.school_id,
                             CASE WHEN other.provisional THEN 'provisional' ELSE 'imported' END,
                             other.id, other.school_id),
            HINT = 'zones of one level must not overlap; derive-zones replaces the provisional '
                   'zones of a level as a whole';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER school_zones_no_overlap
    AFTER INSERT OR UPDATE OF geom, level, provisional ON school_zones
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION school_zones_no_overlap();

-- Tiles (tiles/layers.c): the zone tiles carry their school's names, so a
-- change of a school bumps both layers.
INSERT INTO layer_versions (layer) VALUES ('schools'), ('school_zones') ON CONFLICT DO NOTHING;
CREATE TRIGGER schools_layer_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON schools
    FOR EACH STATEMENT EXECUTE FUNCTION polis_layer_changed('schools');
CREATE TRIGGER schools_zone_layer_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON schools
    FOR EACH STATEMENT EXECUTE FUNCTION polis_layer_changed('school_zones');
CREATE TRIGGER school_zones_layer_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON school_zones
    FOR EACH STATEMENT EXECUTE FUNCTION polis_layer_changed('school_zones');
