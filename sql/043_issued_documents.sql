-- E-services (issue 17): the documents polis issued, signed PDFs
-- (services/answer_document.h), so that anyone holding one can check it at
-- POLIS_PUBLIC_URL/verify/{code} (api/verify.c): what was issued, when, to
-- whom (masked) and the SHA-256 of the signed file.
--
-- code: the verification code printed on the document and in its QR code,
-- 16 characters of base32 (80 random bits: services/verification_code.c).
-- kind: an answer to an application, or a receipt. Every document is an
-- outgoing entry of the protocol book (its number is printed on it);
-- application_id links the application it answers, if any.
-- addressee: the full name as printed; the public page shows it masked
-- (polis_mask_name), computed when shown.
-- file_name: the signed PDF under POLIS_VAR/documents, written (temporary
-- name, fsync, rename) before the row; sha256 and bytes are of that file.
CREATE TABLE issued_documents (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code              text NOT NULL UNIQUE CHECK (code ~ '^[A-Z2-7]{16}$'),
    kind              text NOT NULL CHECK (kind IN ('answer', 'receipt')),
    protocol_entry_id bigint NOT NULL REFERENCES protocol_entries (id),
    application_id    bigint REFERENCES applications (id) ON DELETE SET NULL,
    title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    addressee         text NOT NULL CHECK (length(addressee) BETWEEN 1 AND 300),
    issued_at         timestamptz NOT NULL DEFAULT now(),
    sha256            text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    bytes             bigint NOT NULL CHECK (bytes > 0),
    file_name         text NOT NULL UNIQUE CHECK (file_name ~ '^[A-Z2-7]{16}\.pdf$')
);
CREATE INDEX issued_documents_protocol_entry ON issued_documents (protocol_entry_id);
CREATE INDEX issued_documents_application ON issued_documents (application_id)
    WHERE application_id IS NOT NULL;

-- A name as the public may see it: the initials of all words but the last,
-- the first three letters of the last (one when it is shorter than five)
-- and five asterisks, whatever its length: 'Γεώργιος Παπαδόπουλος' is
-- 'Γ. Παπ*****'.
CREATE FUNCTION polis_mask_name(full_name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce((SELECT string_agg(left(x, 1) || '.', ' ' ORDER BY i)
                     FROM unnest(w[1:n - 1]) WITH ORDINALITY AS t (x, i)) || ' ', '')
           || left(w[n], CASE WHEN length(w[n]) >= 5 THEN 3 ELSE 1 END) || '*****'
    FROM (SELECT w, cardinality(w) AS n
          FROM regexp_split_to_array(btrim(full_name), '\s+') AS w) s
$$;
