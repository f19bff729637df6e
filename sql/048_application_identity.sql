-- E-services (issue 17): applications prefilled from a verified identity
-- (sql/047). A draft made by an account that signed in with an identity
-- provider keeps what the provider asserted then: the verified name (the
-- answer and the receipt are addressed to it) and tax number (a business
-- application's tax_number defaults to it and cannot be another), and the
-- provider's label to show them with ("verified by TAXISnet"). NULL when
-- the account has no identity; kept as they were when the draft was made.
SELECT polis_lock_tables(ARRAY['applications']::regclass[]);

ALTER TABLE applications
    ADD COLUMN verified_name text CHECK (length(verified_name) <= 300),
    ADD COLUMN verified_tax_number text CHECK (verified_tax_number ~ '^[0-9]{9}$'),
    ADD COLUMN verified_by text CHECK (length(verified_by) BETWEEN 1 AND 100),
    ADD CONSTRAINT applications_verified_by CHECK (verified_by IS NOT NULL
        OR (verified_name IS NULL AND verified_tax_number IS NULL));
