-- Pending VMs held by a placement pass of one server replica (PostgresVmRepository.takePending): the pass takes the
-- oldest pending VMs not held by another replica (FOR UPDATE SKIP LOCKED, a gang whole), writes its holder and the
-- instant the hold lapses, and clears both when the pass ends. A replica that dies mid-pass loses nothing: its holds
-- lapse. Placement itself stays the conditional claim; the hold only keeps replicas from racing for the same VMs.

ALTER TABLE vms
    ADD COLUMN placement_holder     uuid,
    ADD COLUMN placement_held_until timestamptz;
