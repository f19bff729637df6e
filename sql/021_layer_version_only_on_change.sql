-- A statement that changes no row (support of a report that does not exist,
-- publishing a POI one may not) no longer bumps its layer's version: each
-- such refused request dropped every process's tile cache of the layer.
-- Statement-level still (an import of thousands of rows is one bump); the
-- transition table tells whether any row changed. PostgreSQL allows one
-- event per trigger with transition tables, so each table gets four.
CREATE OR REPLACE FUNCTION polis_layer_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM changed_rows) THEN
        RETURN NULL;
    END IF;
    INSERT INTO layer_versions AS v (layer) VALUES (TG_ARGV[0])
        ON CONFLICT (layer) DO UPDATE SET version = v.version + 1, changed_at = now();
    PERFORM pg_notify('polis_layers', TG_ARGV[0]);
    RETURN NULL;
END $$;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT tg.tgname, tg.tgrelid::regclass AS tbl,
                    convert_from(substring(tg.tgargs FROM 1 FOR position('\x00'::bytea IN tg.tgargs) - 1), 'UTF8') AS layer
               FROM pg_trigger tg
              WHERE tg.tgfoid = 'polis_layer_changed'::regproc AND NOT tg.tgisinternal
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', t.tgname, t.tbl);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS changed_rows'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION polis_layer_changed(%L)',
                       t.tgname || '_ins', t.tbl, t.layer);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING NEW TABLE AS changed_rows'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION polis_layer_changed(%L)',
                       t.tgname || '_upd', t.tbl, t.layer);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS changed_rows'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION polis_layer_changed(%L)',
                       t.tgname || '_del', t.tbl, t.layer);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION polis_layer_changed(%L)',
                       t.tgname || '_trunc', t.tbl, t.layer);
    END LOOP;
END $$;
