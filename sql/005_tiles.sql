-- Vector tiles (tiles/): a Web Mercator copy of each tiled geometry, so a
-- tile query filters with an index in the tile's own CRS instead of
-- reprojecting the whole layer; and a version per layer that every write
-- bumps, announced on the channel polis_layers so that every polis process
-- drops its cached tiles of that layer (LISTEN/NOTIFY, tiles/layer_listener.c).

ALTER TABLE boundaries
    ADD COLUMN geom_3857 geometry(MultiPolygon, 3857)
        GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED;
CREATE INDEX boundaries_geom_3857_gist ON boundaries USING gist (geom_3857);

-- One row per tiled layer (the names of tiles/layers.c). version only grows;
-- a process that lost its LISTEN connection re-reads it on reconnect to find
-- out what changed while it was not listening.
CREATE TABLE layer_versions (
    layer      text PRIMARY KEY,
    version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO layer_versions (layer) VALUES ('boundaries');

-- Statement-level: an import of thousands of rows is one bump, and the
-- notification is only delivered when (and if) the transaction commits.
-- TG_ARGV[0] is the layer name, so a new layer's table needs one trigger.
CREATE FUNCTION polis_layer_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO layer_versions AS v (layer) VALUES (TG_ARGV[0])
        ON CONFLICT (layer) DO UPDATE SET version = v.version + 1, changed_at = now();
    PERFORM pg_notify('polis_layers', TG_ARGV[0]);
    RETURN NULL;
END $$;

CREATE TRIGGER boundaries_layer_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON boundaries
    FOR EACH STATEMENT EXECUTE FUNCTION polis_layer_changed('boundaries');
