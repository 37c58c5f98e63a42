-- The audit log (ADR 16): who did what to which object, with what outcome, when, from where, under which correlation
-- id. One row per mutating API call (refused ones too) and per automatic action (placement, migration outcomes, host
-- enrollment and registration, hosts marked down).
--
-- Append-only. Role vireo owns its tables, and an owner's rights cannot be taken away with REVOKE, so a trigger
-- refuses every UPDATE, DELETE and TRUNCATE, whoever sends them: statement-level, so that it fires even when no row
-- matches. (An owner can still drop the trigger; that takes DDL, which no code path of Vireo issues, and shows in
-- pg_trigger. The log is evidence against mistakes and the API, not against whoever holds the database role.)
--
-- id orders the log (keyset pagination, newest first). The texts are bounded; the application cuts longer ones.
CREATE TABLE audit_log (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at     timestamptz NOT NULL,
    actor_kind     text NOT NULL
                   CHECK (actor_kind IN ('USER', 'SERVICE_ACCOUNT', 'ADMIN_TOKEN', 'HOST', 'SYSTEM', 'ANONYMOUS')),
    actor_id       uuid,
    actor_name     text COLLATE "C" NOT NULL CHECK (length(actor_name) BETWEEN 1 AND 255),
    project_id     uuid,
    action         text COLLATE "C" NOT NULL CHECK (action ~ '^[a-z][A-Za-z0-9.-]{0,99}$'),
    target_type    text COLLATE "C" CHECK (length(target_type) <= 255),
    target_id      uuid,
    target_name    text COLLATE "C" CHECK (length(target_name) <= 255),
    outcome        text NOT NULL CHECK (outcome IN ('OK', 'DENIED', 'FAILED')),
    http_status    integer CHECK (http_status BETWEEN 100 AND 599),
    error_code     text CHECK (length(error_code) <= 100),
    correlation_id text COLLATE "C" CHECK (length(correlation_id) <= 100),
    source_address text CHECK (length(source_address) <= 100),
    detail         text NOT NULL CHECK (length(detail) <= 1000),
    CHECK (target_type IS NOT NULL OR (target_id IS NULL AND target_name IS NULL))
);

-- One index per filter, each ending in id so that a filtered page is read in order, newest first.
CREATE INDEX audit_log_created_at ON audit_log (created_at);
CREATE INDEX audit_log_actor_name ON audit_log (actor_name, id);
CREATE INDEX audit_log_actor_id ON audit_log (actor_id, id) WHERE actor_id IS NOT NULL;
CREATE INDEX audit_log_project ON audit_log (project_id, id) WHERE project_id IS NOT NULL;
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_target_id ON audit_log (target_id, id) WHERE target_id IS NOT NULL;
CREATE INDEX audit_log_target_name ON audit_log (target_name, id) WHERE target_name IS NOT NULL;
CREATE INDEX audit_log_outcome ON audit_log (outcome, id);
CREATE INDEX audit_log_correlation ON audit_log (correlation_id) WHERE correlation_id IS NOT NULL;

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
