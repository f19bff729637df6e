-- The basemap as a tile layer (issue 19, tiles/layers.c: layer 'basemap'):
--  * a Web Mercator copy of each table's geometry, GIST-indexed, so that a
--    tile selects in its own CRS through an index (as boundaries and reports);
--  * the view basemap.water, the lines and areas as one MVT layer 'water';
--  * every change of a basemap table (an import deletes and refills them all,
--    in one transaction) appends a change of the layer 'basemap', which every
--    polis process reads after the import's wake (sql/026_write_path.sql), so
--    cached basemap tiles are never served after a re-import.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['roads', 'rail', 'water_lines', 'water_areas', 'landuse', 'buildings',
                             'places', 'addresses']
    LOOP
        EXECUTE format('ALTER TABLE basemap.%I ADD COLUMN geom_3857 geometry(Geometry, 3857)'
                       ' GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED', t);
        EXECUTE format('CREATE INDEX %I ON basemap.%I USING gist (geom_3857)',
                       'basemap_' || t || '_geom_3857', t);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON basemap.%I REFERENCING NEW TABLE AS'
                       ' changed_rows FOR EACH STATEMENT EXECUTE FUNCTION'
                       ' polis_layer_changed(''basemap'')', t || '_tiles_ins', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON basemap.%I REFERENCING NEW TABLE AS'
                       ' changed_rows FOR EACH STATEMENT EXECUTE FUNCTION'
                       ' polis_layer_changed(''basemap'')', t || '_tiles_upd', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON basemap.%I REFERENCING OLD TABLE AS'
                       ' changed_rows FOR EACH STATEMENT EXECUTE FUNCTION'
                       ' polis_layer_changed(''basemap'')', t || '_tiles_del', t);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON basemap.%I'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION polis_layer_changed(''basemap'')',
                       t || '_tiles_trunc', t);
    END LOOP;
END $$;

-- Feature ids of the two tables kept apart: even for lines, odd for areas.
CREATE VIEW basemap.water AS
    SELECT id * 2 AS id, 'line' AS kind, class, name, name_latin, geom, geom_3857
    FROM basemap.water_lines
    UNION ALL
    SELECT id * 2 + 1, 'area', class, name, name_latin, geom, geom_3857
    FROM basemap.water_areas;

-- A known version from the start: a layer with no row counts as changed at
-- every wake (http/layer_listener.c), which would empty its cache each time.
INSERT INTO layer_version_base (layer) VALUES ('basemap') ON CONFLICT DO NOTHING;
