-- Agents enrolled with join tokens and mutual TLS (ADR 15).
--
-- certificate_authority: the one CA every replica signs with. Its private key is sealed (AES-256-GCM) under a
-- key-encryption key kept in a 0600 file on each replica, never in the database: a copy of the database alone cannot
-- sign. The singleton column makes a second row impossible, so replicas starting together keep the first CA stored.
CREATE TABLE certificate_authority (
    singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    certificate_der bytea NOT NULL,
    sealed_key      bytea NOT NULL,
    created_at      timestamptz NOT NULL
);

-- host_join_tokens: one-time credentials for enrolling a host, stored by the SHA-256 of their secret. A token is used
-- once (used_at), before expires_at; host_id set: it re-enrolls that existing host.
CREATE TABLE host_join_tokens (
    id              uuid PRIMARY KEY,
    secret_sha256   text NOT NULL UNIQUE CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL CHECK (expires_at > created_at),
    host_id         uuid,
    used_at         timestamptz,
    used_by_host_id uuid,
    used_by_name    text,
    CHECK ((used_at IS NULL) = (used_by_host_id IS NULL) AND (used_at IS NULL) = (used_by_name IS NULL))
);
CREATE INDEX host_join_tokens_usable ON host_join_tokens (expires_at) WHERE used_at IS NULL;

-- host_certificates: every certificate issued to a host's agent. An agent is admitted only with a recorded, unrevoked
-- certificate; revoking a host's certificates (its deletion, its re-enrollment) locks out the old keys at once.
CREATE TABLE host_certificates (
    serial     text PRIMARY KEY CHECK (serial ~ '^[0-9a-f]{1,64}$'),
    host_id    uuid NOT NULL,
    issued_at  timestamptz NOT NULL,
    not_after  timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX host_certificates_host ON host_certificates (host_id) WHERE revoked_at IS NULL;
