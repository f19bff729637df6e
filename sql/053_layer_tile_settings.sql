-- Tile settings of an imported layer (issue 21), set by admins with
-- PATCH /api/v1/layers/{name} (member "tiles") and read by the tile
-- registry (tiles/registry.c) on every catalogue change: a change of the row
-- bumps the layer's version (sql/026), so cached tiles and every process's
-- registry follow.
--  * tile_minzoom, tile_maxzoom: the zooms with tiles (outside them a tile is
--    204 and is not built); 0..22, the zooms /tiles serves (tiles/tile_math.h).
--  * tile_simplify_px: simplification tolerance of lines and polygons, in
--    pixels of a 256-pixel tile; 0.0625 (one unit of the 4096 MVT grid) is
--    what the tiles did before these settings.
--  * tile_min_size_px: at each zoom, a polygon smaller than a square of this
--    many pixels a side, or a line shorter than this many pixels, is left
--    out of the tile; 0 keeps all.
--  * tile_feature_limit: at most this many features a tile (the largest
--    first); NULL: the default (TILE_FEATURE_LIMIT_DEFAULT, 5000).
--  * department_id: the department that owns the layer; NULL: none.
-- tile_attributes (sql/013) is the attribute whitelist.
ALTER TABLE layer_catalogue
    ADD COLUMN tile_minzoom integer NOT NULL DEFAULT 0
        CONSTRAINT layer_catalogue_tile_minzoom CHECK (tile_minzoom BETWEEN 0 AND 22),
    ADD COLUMN tile_maxzoom integer NOT NULL DEFAULT 18
        CONSTRAINT layer_catalogue_tile_maxzoom CHECK (tile_maxzoom BETWEEN 0 AND 22),
    ADD COLUMN tile_simplify_px double precision NOT NULL DEFAULT 0.0625
        CONSTRAINT layer_catalogue_tile_simplify_px CHECK (tile_simplify_px BETWEEN 0 AND 16),
    ADD COLUMN tile_min_size_px double precision NOT NULL DEFAULT 0
        CONSTRAINT layer_catalogue_tile_min_size_px CHECK (tile_min_size_px BETWEEN 0 AND 256),
    ADD COLUMN tile_feature_limit integer
        CONSTRAINT layer_catalogue_tile_feature_limit CHECK (tile_feature_limit BETWEEN 1 AND 50000),
    ADD CONSTRAINT layer_catalogue_tile_zooms CHECK (tile_minzoom <= tile_maxzoom);

ALTER TABLE layer_catalogue
    ADD COLUMN department_id bigint REFERENCES departments (id) ON DELETE SET NULL;
