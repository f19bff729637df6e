-- The write path (issue 16): a user's write no longer sends a NOTIFY in its
-- transaction (PostgreSQL serialises the commits of transactions that
-- NOTIFY), no longer updates one hot row per layer (every filing waited for
-- the previous one's commit on layer_versions' 'reports' row), and no longer
-- fans out to followers and subscribers inside the filing. A write's triggers
-- only append rows; after the commit the process that wrote sends one
-- NOTIFY polis_changes on its own (notify/change_wake.h), and every process
-- reads what is new from the tables: the tile cache the layer versions
-- (http/layer_listener.c), the fan-out job the queue below
-- (jobs/notify_fanout.h), which writes the inbox and outbox rows.

-- 1. Layer versions by appending. A statement that changes a layer appends
-- one row to layer_changes; a layer's version is its folded base plus the
-- number of its change rows, so every commit that changed it makes the
-- version grow (whatever order the ids commit in), and concurrent writers
-- never wait for each other. The fan-out job folds the rows into the base
-- now and then (polis_fold_layer_changes), which leaves every version as it
-- was. layer_versions, which the listener and the POI export read, is now
-- that sum.
ALTER TABLE layer_versions RENAME TO layer_version_base;

CREATE TABLE layer_changes (
    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    layer text NOT NULL,
    at    timestamptz NOT NULL DEFAULT now()
);

CREATE VIEW layer_versions AS
    SELECT coalesce(b.layer, c.layer) AS layer,
           coalesce(b.version, 1) + coalesce(c.n, 0) AS version,
           greatest(b.changed_at, c.at) AS changed_at
    FROM layer_version_base b
    FULL JOIN (SELECT layer, count(*) AS n, max(at) AS at FROM layer_changes GROUP BY layer) c
        ON c.layer = b.layer;

CREATE OR REPLACE FUNCTION polis_layer_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM changed_rows) THEN
        RETURN NULL;
    END IF;
    INSERT INTO layer_changes (layer) VALUES (TG_ARGV[0]);
    RETURN NULL;
END $$;

-- A change of the catalogue: the layer's version moves; the listener reads
-- the catalogue again on every wake, so no ':catalogue' message is needed.
CREATE OR REPLACE FUNCTION polis_layer_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO layer_changes (layer) VALUES (OLD.name);
    ELSE
        PERFORM polis_layer_tile_index(NEW.name);
        INSERT INTO layer_changes (layer) VALUES (NEW.name);
    END IF;
    RETURN NULL;
END $$;

-- Moves the change rows into the base, in one statement: a reader sees the
-- rows or the new base, never both or neither. Returns the layers folded.
CREATE FUNCTION polis_fold_layer_changes() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    folded_layers bigint;
BEGIN
    -- one fold at a time across every polis process: two folds would wait on
    -- each other's deleted rows and base rows, in no agreed order
    IF NOT pg_try_advisory_xact_lock(hashtext('polis_fold_layer_changes')) THEN
        RETURN 0;
    END IF;
    WITH folded AS (DELETE FROM layer_changes RETURNING layer, at),
    per AS (SELECT layer, count(*) AS n, max(at) AS at FROM folded GROUP BY layer),
    up AS (INSERT INTO layer_version_base AS b (layer, version, changed_at)
           SELECT layer, 1 + n, at FROM per ORDER BY layer
           ON CONFLICT (layer) DO UPDATE
               SET version = b.version + excluded.version - 1, changed_at = excluded.changed_at
           RETURNING 1)
    SELECT count(*) INTO folded_layers FROM up;
    RETURN folded_layers;
END $$;

-- 2. Fan-out off the request path. A history event or a message only queues
-- its id; the job claims queue rows with FOR UPDATE SKIP LOCKED (one process
-- per row, and a row whose transaction has not committed yet is simply not
-- seen until it has), writes the inbox and outbox rows and deletes them, in
-- one transaction. No foreign keys: the job joins, and a row whose report
-- was deleted meanwhile fans out to no one.
CREATE TABLE notify_queue (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    history_id bigint,
    message_id bigint,
    CHECK ((history_id IS NULL) <> (message_id IS NULL))
);

DROP TRIGGER report_history_to_inbox ON report_history;
DROP FUNCTION report_history_to_inbox();
DROP TRIGGER report_message_to_inbox ON report_messages;
DROP FUNCTION report_message_to_inbox();

-- A history event or a message (the table the trigger is on says which).
CREATE FUNCTION report_event_queued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO notify_queue (history_id, message_id)
    VALUES (CASE WHEN TG_TABLE_NAME = 'report_history' THEN NEW.id END,
            CASE WHEN TG_TABLE_NAME = 'report_messages' THEN NEW.id END);
    RETURN NULL;
END $$;
CREATE TRIGGER report_history_queued AFTER INSERT ON report_history
    FOR EACH ROW EXECUTE FUNCTION report_event_queued();
CREATE TRIGGER report_message_queued AFTER INSERT ON report_messages
    FOR EACH ROW EXECUTE FUNCTION report_event_queued();

-- 3. The link in a mail to an anonymous reporter. The report's own secret is
-- only known at filing (reports.secret_hash is its SHA-256), so each such
-- mail carries a token of its own, kept here as a digest like the secret,
-- which opens the same report as the secret does.
CREATE TABLE report_track_tokens (
    token_hash bytea PRIMARY KEY,                 -- SHA-256 of the token in the mail
    report_id  bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_track_tokens_report ON report_track_tokens (report_id);
