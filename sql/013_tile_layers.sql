-- Tile layers beyond boundaries (tiles/layers.c, tiles/registry.c):
--  * reports: a Web Mercator copy of each report's point, indexed, so that a
--    tile (or a cluster of a city-wide tile) filters in its own CRS; every
--    write to reports, and every change of a category (its private flag),
--    bumps the layer 'reports' and announces it on polis_layers.
--  * imported layers: every public row of layer_catalogue is a tile layer
--    named like the layer. A change of a catalogue row (an import, a replace,
--    an append, a visibility flip) bumps that layer's version, announces the
--    layer and then ':catalogue' (not a layer name: names match ^[a-z]) so
--    that every polis process reloads its list of tile layers. The tile query
--    reads ST_Transform(geom, 3857), indexed here on every layer table.

ALTER TABLE reports
    ADD COLUMN geom_3857 geometry(Point, 3857)
        GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED;
CREATE INDEX reports_geom_3857_gist ON reports USING gist (geom_3857);

INSERT INTO layer_versions (layer) VALUES ('reports') ON CONFLICT DO NOTHING;

CREATE TRIGGER reports_layer_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reports
    FOR EACH STATEMENT EXECUTE FUNCTION polis_layer_changed('reports');
CREATE TRIGGER report_categories_layer_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON report_categories
    FOR EACH STATEMENT EXECUTE FUNCTION polis_layer_changed('reports');

-- The GIST index the tile query of layers.<name> uses, unless the table has
-- one on ST_Transform already. A table that cannot take it (a geometry PROJ
-- cannot put in Web Mercator) keeps its data: its tiles are only slower.
CREATE FUNCTION polis_layer_tile_index(lname text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    rel regclass := to_regclass(format('layers.%I', lname));
BEGIN
    IF rel IS NULL OR EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = rel
                              AND pg_get_indexdef(i.indexrelid) ILIKE '%st_transform(geom, 3857)%') THEN
        RETURN;
    END IF;
    BEGIN
        EXECUTE format('CREATE INDEX ON layers.%I USING gist (ST_Transform(geom, 3857))', lname);
    EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'layer %: no Web Mercator index for its tiles: %', lname, SQLERRM;
    END;
END $$;

CREATE FUNCTION polis_layer_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lname text := CASE WHEN TG_OP = 'DELETE' THEN OLD.name ELSE NEW.name END;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM polis_layer_tile_index(NEW.name);
    END IF;
    INSERT INTO layer_versions AS v (layer) VALUES (lname)
        ON CONFLICT (layer) DO UPDATE SET version = v.version + 1, changed_at = now();
    PERFORM pg_notify('polis_layers', lname);
    PERFORM pg_notify('polis_layers', ':catalogue');
    RETURN NULL;
END $$;

CREATE TRIGGER layer_catalogue_changed
    AFTER INSERT OR UPDATE OR DELETE ON layer_catalogue
    FOR EACH ROW EXECUTE FUNCTION polis_layer_catalogue_changed();

-- the layers imported before this migration
SELECT polis_layer_tile_index(name) FROM layer_catalogue;
INSERT INTO layer_versions (layer) SELECT name FROM layer_catalogue ON CONFLICT DO NOTHING;

-- Which attribute columns of a layer its tiles carry: NULL (the default) for
-- all of them (imported layers are municipal open data), else only these.
-- An import keeps it (the importer does not write it).
ALTER TABLE layer_catalogue ADD COLUMN tile_attributes text[];
