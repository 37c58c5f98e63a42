-- Identity: users (people and service accounts) with one role in one project, and API tokens stored as the SHA-256 of
-- their text (the text itself is shown once and never stored). A token acts as its user with the user's role as it is
-- at each request: the API reads the token and its user on every request, so a revocation, a deleted user or a
-- lowered role holds at once on every replica. The built-in administrator is seeded without a password; the server
-- sets one at its first start (DATA_DIR/admin-password).

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    name          text COLLATE "C" NOT NULL UNIQUE,
    project_id    uuid NOT NULL REFERENCES projects (id),
    role          text NOT NULL CHECK (role IN ('ADMIN', 'PROJECT_ADMIN', 'MEMBER', 'READER')),
    kind          text NOT NULL CHECK (kind IN ('PERSON', 'SERVICE_ACCOUNT')),
    created_at    timestamptz NOT NULL,
    -- pbkdf2-sha256$<iterations>$<salt>$<hash>; null for service accounts and for a person who cannot log in yet
    password_hash text,
    CONSTRAINT users_admins_in_admin_project
        CHECK (role <> 'ADMIN' OR project_id = '00000000-0000-4000-8000-000000000001'),
    CONSTRAINT users_service_accounts_without_password CHECK (kind = 'PERSON' OR password_hash IS NULL)
);

CREATE INDEX users_project ON users (project_id, name);

INSERT INTO users (id, name, project_id, role, kind, created_at)
VALUES ('00000000-0000-4000-8000-000000000002', 'admin', '00000000-0000-4000-8000-000000000001', 'ADMIN', 'PERSON',
        now());

CREATE TABLE api_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sha256      text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    description text NOT NULL CHECK (length(description) <= 200),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    CONSTRAINT api_tokens_expire_after_creation CHECK (expires_at > created_at)
);

CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);
CREATE INDEX api_tokens_expiry ON api_tokens (expires_at);
