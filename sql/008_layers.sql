-- Imported municipal layers (`polis import`): each layer is its own table in
-- schema `layers` (fid bigint primary key, typed attribute columns, geom in
-- EPSG:4326 with a GIST index), described by one row of layer_catalogue.
-- The catalogue is the only source of identifiers the server puts into SQL:
-- a request names a layer, the server looks the row up and quotes the
-- stored names.

CREATE SCHEMA IF NOT EXISTS layers;

CREATE TABLE layer_catalogue (
    -- the table's name in schema layers, and the OGC collection id;
    -- 'boundaries' is the built-in collection and cannot be taken
    name          text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$' AND name <> 'boundaries'),
    title_el      text NOT NULL,
    title_en      text NOT NULL,
    description   text,
    licence       text,
    source        text NOT NULL,   -- file base name and layer, e.g. 'x.zip:layer'
    source_srs    text,            -- CRS the source was read in, e.g. 'EPSG:2100'
    visibility    text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'staff')),
    feature_count bigint NOT NULL DEFAULT 0 CHECK (feature_count >= 0),
    extent        box2d,           -- lon/lat; NULL when no feature has a geometry
    -- [{"name": column, "type": SQL type, "source_name": field in the source}]
    attributes    jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(attributes) = 'array'),
    geometry_type text NOT NULL DEFAULT 'GEOMETRY',  -- e.g. 'MULTIPOLYGON', 'POINT'
    time_column   text,            -- first date/timestamptz attribute, for temporal extent
    time_min      timestamptz,
    time_max      timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
