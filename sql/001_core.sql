-- Core schema: administrative boundaries (municipalities and, when a
-- municipality imports them, its units and communities) and departments.
-- Every geometry is stored in EPSG:4326; the column type enforces the SRID.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE boundaries (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    level       text NOT NULL CHECK (level IN ('municipality', 'unit', 'community')),
    parent_id   bigint REFERENCES boundaries (id) ON DELETE CASCADE,
    -- the ministry code (KWD_YPES) for municipalities; NULL where the source
    -- has none (Mount Athos)
    code        text,
    -- what makes a row the same row across re-imports: the code, or the
    -- source name when there is no code
    natural_key text NOT NULL,
    name_el     text NOT NULL,   -- as people say it: «Δήμος Σερρών»
    name_en     text NOT NULL,   -- English name, or ELOT 743 transliteration
    name_source text NOT NULL,   -- exactly as the source file spells it
    source      text NOT NULL,   -- file (and layer) the row was imported from
    geom        geometry(MultiPolygon, 4326) NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (level, natural_key),
    CHECK (level = 'municipality' OR parent_id IS NOT NULL),
    CHECK (ST_IsValid(geom))
);
CREATE INDEX boundaries_geom_gist ON boundaries USING gist (geom);
CREATE INDEX boundaries_parent ON boundaries (parent_id);
CREATE UNIQUE INDEX boundaries_code ON boundaries (level, code) WHERE code IS NOT NULL;

CREATE VIEW municipalities AS
    SELECT id, code, name_el, name_en, geom FROM boundaries WHERE level = 'municipality';

CREATE TABLE departments (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_id bigint NOT NULL REFERENCES boundaries (id) ON DELETE CASCADE,
    code            text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
    name_el         text NOT NULL,
    name_en         text NOT NULL,
    email           text,
    phone           text,
    UNIQUE (municipality_id, code)
);

-- Point-in-polygon lookups (which municipality contains this point?) test a
-- point against small pieces instead of whole boundaries of thousands of
-- vertices. A trigger keeps the pieces in step with boundaries.
CREATE TABLE boundary_parts (
    boundary_id bigint NOT NULL REFERENCES boundaries (id) ON DELETE CASCADE,
    geom        geometry(Polygon, 4326) NOT NULL
);
CREATE INDEX boundary_parts_geom_gist ON boundary_parts USING gist (geom);
CREATE INDEX boundary_parts_boundary ON boundary_parts (boundary_id);

CREATE FUNCTION boundaries_subdivide() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM boundary_parts WHERE boundary_id = NEW.id;
    INSERT INTO boundary_parts (boundary_id, geom)
        SELECT NEW.id, (ST_Dump(ST_Subdivide(NEW.geom, 128))).geom;
    RETURN NULL;
END $$;
CREATE TRIGGER boundaries_subdivide
    AFTER INSERT OR UPDATE OF geom ON boundaries
    FOR EACH ROW EXECUTE FUNCTION boundaries_subdivide();
