-- E-services (issue 17): the documents an applicant attaches to an
-- application (api/application_files.c), each one of the kinds its
-- service's documents[] asks for (document_code is one of their codes,
-- checked by the handler against the service when the file arrives).
--
-- What a file is comes from its bytes only (services/upload_check.c):
-- media_type is what they are, pages a PDF's page count (NULL for images),
-- metadata what the file says about itself: a PDF's Info dictionary
-- (Title, Author, Subject, Creator, Producer, CreationDate, ModDate, as
-- found) or an image's width and height. The bytes are kept as sent under
-- POLIS_VAR/application-files/<file_name> (written under a temporary name,
-- fsync, rename, before the row); sha256 and bytes are of that file.
-- uploaded_while: the application's status then ('draft', or
-- 'info_requested' when staff asked for more).
CREATE TABLE application_files (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    document_code  text NOT NULL CHECK (document_code ~ '^[a-z0-9_]{1,40}$'),
    original_name  text NOT NULL CHECK (length(original_name) BETWEEN 1 AND 255),
    media_type     text NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg',
                                                       'image/png')),
    bytes          bigint NOT NULL CHECK (bytes > 0),
    sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    pages          integer CHECK (pages > 0),
    metadata       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    file_name      text NOT NULL UNIQUE CHECK (file_name ~ '^[0-9a-f]{32}\.(pdf|jpg|png)$'),
    uploaded_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    uploaded_at    timestamptz NOT NULL DEFAULT now(),
    uploaded_while text NOT NULL CHECK (uploaded_while IN ('draft', 'info_requested')),
    CHECK ((media_type = 'application/pdf') = (pages IS NOT NULL))
);
-- an application's files by kind: its listing, and the submission's check
-- that every required document is attached
CREATE INDEX application_files_application ON application_files (application_id, document_code);
