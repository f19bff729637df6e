-- The basemap (issue 19): OpenStreetMap data read by `polis basemap import`
-- (gis/basemap_import.c) with GDAL's OSM driver, and what the geocoder
-- (gis/geocode_sql.c) searches. Every table is replaced as a whole by one
-- import, in one transaction. Names: `name` as tagged (Greek in Greece),
-- `name_latin` from name:en, else int_name, else the ELOT 743
-- transliteration of name, so a Latin label always exists.
CREATE SCHEMA basemap;

-- The Latin label of a name: name:en, else int_name, else (Greek names) the
-- ELOT 743 transliteration with capitals (polis_greek_latin, sql/015),
-- else the name itself.
CREATE FUNCTION basemap.latin_name(name text, name_en text, int_name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(nullif(name_en, ''), nullif(int_name, ''),
        CASE WHEN name ~ '[Ͱ-Ͽ]' THEN initcap(polis_greek_latin(name)) ELSE name END)
$$;

-- The search key of a named thing: its name and Latin name folded
-- (polis_search_fold: lower case, no accents, Greek also transliterated).
-- Immutable as polis_poi_search_key is (concat_ws alone is only stable).
CREATE FUNCTION basemap.search_key(name text, name_latin text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT polis_search_fold(concat_ws(' ', name, name_latin))
$$;

-- Roads: class from highway=* (motorway, trunk, primary, secondary,
-- tertiary, minor, service, path), the tag itself kept in highway.
CREATE TABLE basemap.roads (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    osm_id      bigint NOT NULL,
    class       text NOT NULL,
    highway     text NOT NULL,
    name        text,
    name_latin  text,
    geom        geometry(MultiLineString, 4326) NOT NULL
);
CREATE INDEX basemap_roads_geom ON basemap.roads USING gist (geom);

CREATE TABLE basemap.rail (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    osm_id      bigint NOT NULL,
    class       text NOT NULL,              -- railway=* (rail, tram, subway, ...)
    name        text,
    geom        geometry(MultiLineString, 4326) NOT NULL
);
CREATE INDEX basemap_rail_geom ON basemap.rail USING gist (geom);

CREATE TABLE basemap.water_lines (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    osm_id      bigint NOT NULL,
    class       text NOT NULL,              -- waterway=* (river, stream, canal, ...)
    name        text,
    name_latin  text,
    geom        geometry(MultiLineString, 4326) NOT NULL
);
CREATE INDEX basemap_water_lines_geom ON basemap.water_lines USING gist (geom);

CREATE TABLE basemap.water_areas (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    osm_id      bigint NOT NULL,
    class       text NOT NULL,              -- water, riverbank, reservoir, ...
    name        text,
    name_latin  text,
    geom        geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX basemap_water_areas_geom ON basemap.water_areas USING gist (geom);

-- Land use and green areas: landuse=*, leisure=park/garden/..., natural=wood/...
CREATE TABLE basemap.landuse (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    osm_id      bigint NOT NULL,
    class       text NOT NULL,
    name        text,
    geom        geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX basemap_landuse_geom ON basemap.landuse USING gist (geom);

CREATE TABLE basemap.buildings (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    osm_id      bigint NOT NULL,
    class       text NOT NULL,              -- building=* (yes, house, school, ...)
    name        text,
    housenumber text,
    geom        geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX basemap_buildings_geom ON basemap.buildings USING gist (geom);

-- Places: city, town, village, suburb (and the smaller ones OSM has).
CREATE TABLE basemap.places (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    osm_id      bigint NOT NULL,
    class       text NOT NULL,
    name        text NOT NULL,
    name_latin  text,
    search_key  text NOT NULL GENERATED ALWAYS AS (basemap.search_key(name, name_latin)) STORED,
    geom        geometry(Point, 4326) NOT NULL
);
CREATE INDEX basemap_places_geom ON basemap.places USING gist (geom);
CREATE INDEX basemap_places_search ON basemap.places USING gin (search_key gin_trgm_ops);

-- Addresses: nodes and areas (their point on surface) with addr:street and
-- addr:housenumber. number is the housenumber's leading integer (12 of
-- "12Α"), what interpolation counts with; street_norm the street folded
-- (polis_search_norm), what ties an address to its street.
CREATE TABLE basemap.addresses (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    osm_id      bigint NOT NULL,
    street      text NOT NULL,
    housenumber text NOT NULL,
    postcode    text,
    number      integer,
    street_norm text NOT NULL GENERATED ALWAYS AS (polis_search_norm(street)) STORED,
    geom        geometry(Point, 4326) NOT NULL
);
CREATE INDEX basemap_addresses_geom ON basemap.addresses USING gist (geom);
CREATE INDEX basemap_addresses_street ON basemap.addresses (street_norm, number);

-- Streets: the named roads merged per name and neighbourhood (pieces of the
-- same name closer than ~200 m are one street), what the geocoder finds a
-- street and interpolates house numbers on. Derived by the import.
CREATE TABLE basemap.streets (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    name_latin  text,
    name_norm   text NOT NULL GENERATED ALWAYS AS (polis_search_norm(name)) STORED,
    search_key  text NOT NULL GENERATED ALWAYS AS (basemap.search_key(name, name_latin)) STORED,
    geom        geometry(Geometry, 4326) NOT NULL
);
CREATE INDEX basemap_streets_geom ON basemap.streets USING gist (geom);
CREATE INDEX basemap_streets_search ON basemap.streets USING gin (search_key gin_trgm_ops);
CREATE INDEX basemap_streets_name ON basemap.streets (name_norm);
