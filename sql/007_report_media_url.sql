-- Open311 clients send a photo as a link (media_url) rather than a file;
-- it is kept with the report and shown in Open311 answers.
ALTER TABLE reports ADD COLUMN media_url text
    CHECK (length(media_url) <= 2000 AND media_url ~ '^https?://[^[:space:]]+$');
