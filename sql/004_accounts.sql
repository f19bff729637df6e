-- Accounts: users and their roles, sessions, API keys, one-time tokens
-- (email confirmation, password reset), the outbox of messages to send,
-- and the audit log of staff and admin writes.
-- Secrets are never stored in clear: passwords as argon2id strings, session
-- ids, API keys and one-time tokens as SHA-256 digests.

CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE users (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email               citext NOT NULL UNIQUE CHECK (length(email) <= 254),
    password_hash       text NOT NULL,          -- libsodium crypto_pwhash_str (argon2id)
    role                text NOT NULL CHECK (role IN ('citizen', 'staff', 'admin')),
    display_name        text CHECK (length(display_name) <= 200),
    phone               text CHECK (length(phone) <= 40),
    email_confirmed_at  timestamptz,
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_departments (
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    department_id bigint NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, department_id)
);

CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY,              -- SHA-256 of the cookie value
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   text NOT NULL,
    client_ip    inet,
    user_agent   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,           -- absolute expiry
    revoked_at   timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_keys (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    prefix       text NOT NULL,                  -- shown in lists to tell keys apart
    key_hash     bytea NOT NULL UNIQUE,          -- SHA-256 of the key
    scopes       text[] NOT NULL CHECK (cardinality(scopes) > 0
                                        AND scopes <@ ARRAY['read', 'report', 'staff']),
    created_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE user_tokens (
    token_hash bytea PRIMARY KEY,                -- SHA-256 of the token mailed
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text NOT NULL CHECK (purpose IN ('confirm', 'reset')),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);

-- Every outgoing message; a later issue delivers them.
CREATE TABLE outbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint REFERENCES users (id) ON DELETE SET NULL,
    recipient  text NOT NULL,
    subject    text NOT NULL,
    body       text NOT NULL,
    status     text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    actor_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
    actor_key_id  bigint REFERENCES api_keys (id) ON DELETE SET NULL,
    actor_label   text NOT NULL,                 -- email or "cli", kept if the user goes
    action        text NOT NULL,                 -- e.g. "user.create", "key.revoke"
    entity        text NOT NULL,
    entity_id     text,
    before        jsonb,
    after         jsonb,
    client_ip     inet
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
