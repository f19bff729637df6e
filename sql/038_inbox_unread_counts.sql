-- Each account's count of unread mailbox entries, kept as the inbox
-- changes instead of counted when asked. The mailbox stream sends the count
-- with every entry, and counting it was O(unread): a department's staff
-- with thousands of unread entries, told of 200 new reports a second, made
-- the stream's reads grow with the backlog until live delivery fell behind
-- by tens of seconds (scripts/bench streams, docs/BENCHMARKS.md).
--
-- Statement-level triggers with transition tables: the fan-out inserts a
-- batch of entries for many accounts in one statement, and each account's
-- counter row is changed once per statement, not once per entry.
CREATE TABLE inbox_unread_counts (
    user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    unread  bigint NOT NULL
);

INSERT INTO inbox_unread_counts (user_id, unread)
SELECT user_id, count(*) FROM inbox WHERE read_at IS NULL GROUP BY user_id;

-- New entries, and entries marked read or unread again, per account in one
-- row change each; ordered by account so two statements never wait on each
-- other's rows in opposite orders.
CREATE FUNCTION inbox_unread_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO inbox_unread_counts AS c (user_id, unread)
    SELECT user_id, count(*) FROM new_rows WHERE read_at IS NULL
    GROUP BY user_id ORDER BY user_id
    ON CONFLICT (user_id) DO UPDATE SET unread = c.unread + excluded.unread;
    RETURN NULL;
END $$;

CREATE FUNCTION inbox_unread_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO inbox_unread_counts AS c (user_id, unread)
    SELECT user_id, sum(delta) FROM
        (SELECT user_id, 1 AS delta FROM new_rows WHERE read_at IS NULL
         UNION ALL
         SELECT user_id, -1 FROM old_rows WHERE read_at IS NULL) changed
    GROUP BY user_id HAVING sum(delta) <> 0 ORDER BY user_id
    ON CONFLICT (user_id) DO UPDATE SET unread = c.unread + excluded.unread;
    RETURN NULL;
END $$;

-- Only an update here: when the account itself is being deleted its
-- counter row goes with it (or is already gone).
CREATE FUNCTION inbox_unread_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE inbox_unread_counts c SET unread = c.unread - gone.n
    FROM (SELECT user_id, count(*) AS n FROM old_rows WHERE read_at IS NULL
          GROUP BY user_id ORDER BY user_id) gone
    WHERE c.user_id = gone.user_id;
    RETURN NULL;
END $$;

CREATE FUNCTION inbox_unread_after_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM inbox_unread_counts;
    RETURN NULL;
END $$;

CREATE TRIGGER inbox_unread_insert AFTER INSERT ON inbox
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION inbox_unread_after_insert();
CREATE TRIGGER inbox_unread_update AFTER UPDATE ON inbox
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION inbox_unread_after_update();
CREATE TRIGGER inbox_unread_delete AFTER DELETE ON inbox
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION inbox_unread_after_delete();
CREATE TRIGGER inbox_unread_truncate AFTER TRUNCATE ON inbox
    FOR EACH STATEMENT EXECUTE FUNCTION inbox_unread_after_truncate();

-- The one way to read it (0 for an account without a row).
CREATE FUNCTION inbox_unread(account bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT unread FROM inbox_unread_counts WHERE user_id = account), 0)
$$;
