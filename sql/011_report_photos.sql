-- Photos of citizen reports (issue 5): at most 5 per report. The bytes live
-- in files under $POLIS_VAR/photos/<report id>/<file_name>, never in the web
-- root; they were sniffed from their magic bytes and stripped of Exif/XMP
-- (location) before they were written. A row exists only for a file that
-- was written and fsynced first.
CREATE TABLE report_photos (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id   bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    file_name   text NOT NULL UNIQUE CHECK (file_name ~ '^[a-f0-9]{32}\.(jpg|png|webp)$'),
    media_type  text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp')),
    bytes       integer NOT NULL CHECK (bytes > 0),
    sha256      bytea NOT NULL CHECK (length(sha256) = 32),
    width       integer CHECK (width > 0),
    height      integer CHECK (height > 0),
    uploaded_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_photos_report ON report_photos (report_id, id);

-- At most 5 photos per report, also under concurrent uploads: the report row
-- is locked first, and the count (a fresh snapshot in READ COMMITTED) sees
-- every committed photo; a sixth is skipped (the INSERT returns no row).
CREATE FUNCTION report_photos_limit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM reports WHERE id = NEW.report_id FOR NO KEY UPDATE;
    IF (SELECT count(*) FROM report_photos WHERE report_id = NEW.report_id) >= 5 THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER report_photos_limit BEFORE INSERT ON report_photos
    FOR EACH ROW EXECUTE FUNCTION report_photos_limit();
