-- A record of every import: which file (base name and layer), which
-- version of it (fingerprint: size and modification time), into what, and
-- what came of it. `polis demo load` uses it to skip a file it already
-- imported; it is meant to grow into the catalogue of imported layers.

CREATE TABLE imports (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind              text NOT NULL,   -- target, e.g. 'boundaries:municipality'
    source            text NOT NULL,   -- file base name, e.g. 'x.zip'
    layer             text NOT NULL,   -- layer read from it
    fingerprint       text NOT NULL,   -- 'size:mtime' of the file
    srs               text,            -- CRS the features were read in, e.g. 'EPSG:2100'
    features_read     integer NOT NULL CHECK (features_read >= 0),
    features_written  integer NOT NULL CHECK (features_written >= 0),
    features_repaired integer NOT NULL DEFAULT 0 CHECK (features_repaired >= 0),
    features_rejected integer NOT NULL DEFAULT 0 CHECK (features_rejected >= 0),
    imported_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX imports_kind_source ON imports (kind, source, id DESC);
