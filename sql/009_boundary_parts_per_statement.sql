-- boundary_parts (the pieces point-in-polygon lookups test) was kept in step
-- row by row; a full import of Greece spent most of its time there. Per
-- statement, with transition tables, the same work is one set-based pass.

DROP TRIGGER boundaries_subdivide ON boundaries;
DROP FUNCTION boundaries_subdivide();

CREATE FUNCTION boundaries_parts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO boundary_parts (boundary_id, geom)
        SELECT n.id, (ST_Dump(ST_Subdivide(n.geom, 128))).geom FROM inserted_rows n;
    RETURN NULL;
END $$;

CREATE FUNCTION boundaries_parts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH reshaped AS (
            SELECT n.id, n.geom FROM updated_rows n JOIN previous_rows o ON o.id = n.id
            WHERE ST_AsBinary(n.geom) <> ST_AsBinary(o.geom)),
        gone AS (DELETE FROM boundary_parts p USING reshaped r WHERE p.boundary_id = r.id)
    INSERT INTO boundary_parts (boundary_id, geom)
        SELECT r.id, (ST_Dump(ST_Subdivide(r.geom, 128))).geom FROM reshaped r;
    RETURN NULL;
END $$;

CREATE TRIGGER boundaries_parts_insert
    AFTER INSERT ON boundaries REFERENCING NEW TABLE AS inserted_rows
    FOR EACH STATEMENT EXECUTE FUNCTION boundaries_parts_insert();
CREATE TRIGGER boundaries_parts_update
    AFTER UPDATE ON boundaries REFERENCING OLD TABLE AS previous_rows NEW TABLE AS updated_rows
    FOR EACH STATEMENT EXECUTE FUNCTION boundaries_parts_update();
