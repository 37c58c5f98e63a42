-- Alerts (ADR 24): the active ones, pending or firing, so that a restarted server or another replica carries on
-- where the last evaluation stopped. A resolved alert is deleted (its firing and resolve are in the events).
CREATE TABLE alerts (
    key               text PRIMARY KEY,
    rule              text NOT NULL,
    label_names       text[] NOT NULL,
    label_values      text[] NOT NULL,
    annotation_names  text[] NOT NULL,
    annotation_values text[] NOT NULL,
    state             text NOT NULL CHECK (state IN ('PENDING', 'FIRING')),
    active_at         timestamptz NOT NULL,
    fired_at          timestamptz,
    CHECK ((state = 'FIRING') = (fired_at IS NOT NULL)),
    CHECK (cardinality(label_names) = cardinality(label_values)),
    CHECK (cardinality(annotation_names) = cardinality(annotation_values))
);

-- what the alert rules read every evaluation: VMs in a transitional state, and migrations that failed lately
CREATE INDEX vms_unsettled ON vms (updated_at)
    WHERE state IN ('PENDING', 'SCHEDULED', 'STARTING', 'STOPPING', 'REBOOTING', 'DELETING');
CREATE INDEX migrations_failed ON migrations (finished_at) WHERE state = 'FAILED';
