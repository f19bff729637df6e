-- Sign-in with an identity provider (issue 17): OpenID Connect / OAuth 2.0
-- authorization code with PKCE (api/oidc.c, auth/oidc_*.c).
--
-- user_identities: who the provider says a polis account is. One row per
-- (issuer, subject): the provider's stable id of the person. verified_name
-- and tax_number are what the provider asserted at the last sign-in (the
-- tax number checked in C with services/afm.h before it is stored); they
-- prefill applications. label: the provider's button text (POLIS_OIDC_LABEL)
-- at that sign-in, shown with them.
CREATE TABLE user_identities (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    issuer        text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 1023),
    subject       text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
    label         text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    verified_name text CHECK (length(verified_name) <= 300),
    tax_number    text CHECK (tax_number ~ '^[0-9]{9}$'),
    email         text CHECK (length(email) <= 254),
    first_seen    timestamptz NOT NULL DEFAULT now(),
    last_seen     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (issuer, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

-- oidc_logins: the sign-ins started and not finished. In the database so
-- that any polis process behind a load balancer can finish what another
-- started. state_hash: SHA-256 of the state sent to the provider (the state
-- itself is never stored: a read of this table cannot finish a sign-in);
-- nonce and the PKCE code_verifier are sent (or derived from) later, so
-- they are kept as is. used_at: set by the one callback that may use it.
CREATE TABLE oidc_logins (
    state_hash    bytea PRIMARY KEY CHECK (length(state_hash) = 32),
    nonce         text NOT NULL CHECK (length(nonce) BETWEEN 16 AND 128),
    code_verifier text NOT NULL CHECK (code_verifier ~ '^[A-Za-z0-9._~-]{43,128}$'),
    return_to     text NOT NULL CHECK (return_to ~ '^/' AND length(return_to) <= 1000),
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL DEFAULT now() + interval '10 minutes',
    used_at       timestamptz
);
CREATE INDEX oidc_logins_expires ON oidc_logins (expires_at);
