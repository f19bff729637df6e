-- Layer management (issue 21): admins describe an imported layer (titles,
-- description, keywords, licence, attribution), flip its visibility, and
-- delete it. The server's role may not drop tables (no DDL), so deleting
-- goes through polis_layer_drop, which runs with the owner's rights and can
-- only drop a table of schema layers that the catalogue names: the
-- catalogue row goes first (its trigger bumps the layer's version and
-- announces ':catalogue', so every process drops it from tiles and OGC API),
-- then the table, in the caller's transaction.
ALTER TABLE layer_catalogue
    ADD COLUMN keywords text[] NOT NULL DEFAULT '{}',
    ADD COLUMN attribution text;

CREATE FUNCTION polis_layer_drop(lname text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    DELETE FROM public.layer_catalogue WHERE name = lname;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    EXECUTE format('DROP TABLE IF EXISTS layers.%I', lname);
    RETURN true;
END $$;
-- only the roles granted it by default (scripts/db: the application role)
REVOKE EXECUTE ON FUNCTION polis_layer_drop(text) FROM PUBLIC;
