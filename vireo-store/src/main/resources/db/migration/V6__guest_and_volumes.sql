-- Cloud-init and data volumes. A VM's guest spec is fixed at creation: its SSH public keys and user data (given by the
-- user, checked by the API, stored as is) and the data volumes attached to it, each with its size and whether it is
-- deleted with the VM. The attachment is recorded twice on purpose: on the VM (vm_volume_*, an ordered, immutable
-- part of its spec that the agent needs) and on the volume (volumes.vm_id, which keeps a volume on at most one VM).

ALTER TABLE vms
    ADD COLUMN ssh_keys               text[] NOT NULL DEFAULT '{}',
    ADD COLUMN user_data              text,
    ADD COLUMN volume_ids             uuid[] NOT NULL DEFAULT '{}',
    ADD COLUMN volume_sizes_gib       bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN volume_delete_with_vm  boolean[] NOT NULL DEFAULT '{}',
    ADD CONSTRAINT vms_volume_arrays_match CHECK (
        cardinality(volume_sizes_gib) = cardinality(volume_ids)
        AND cardinality(volume_delete_with_vm) = cardinality(volume_ids));

CREATE TABLE volumes (
    id                    uuid PRIMARY KEY,
    project_id            uuid NOT NULL,
    name                  text COLLATE "C" NOT NULL,
    created_at            timestamptz NOT NULL,
    size_gib              bigint NOT NULL CHECK (size_gib >= 1),
    -- The VM it is attached to; set only in the VM's create transaction, cleared when the VM is deleted.
    vm_id                 uuid REFERENCES vms (id),
    delete_on_termination boolean NOT NULL DEFAULT true,
    -- Where a kept volume's file stays (volumes are local to a host); null while it never held data.
    host_id               uuid REFERENCES hosts (id),
    CONSTRAINT volumes_project_name_unique UNIQUE (project_id, name)
);

CREATE INDEX volumes_vm ON volumes (vm_id) WHERE vm_id IS NOT NULL;
