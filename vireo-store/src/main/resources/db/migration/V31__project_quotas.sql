-- Project quotas (ADR 17): one row per project with a limit per resource (NULL: unlimited) and what the project uses.
--
-- Usage is charged by triggers, in the transaction of the write itself: inserting a VM charges its project one
-- instance and the VM's vCPUs, memory and root disk; the VM's state becoming DELETED releases them; inserting a volume
-- charges one volume and its size; deleting it releases them. Whatever code path writes the VM or the volume, the
-- usage follows, and a charge past a limit raises SQLSTATE VQ001, so the write is refused and rolled back whole. The
-- charge is one UPDATE of the project's row, which locks it until commit: concurrent creates in a project queue on
-- that row and re-check the limit against the committed usage, so they never overshoot. A write charges one project
-- only, so two charges never wait for each other's rows (no deadlock).
--
-- No foreign key to projects: VMs and volumes carry none either (V1), and a charge for a project without a row makes
-- one, unlimited. Deleting a project deletes its row (it owns nothing then).
CREATE TABLE project_quotas (
    project_id       uuid PRIMARY KEY,
    instances_limit  bigint CHECK (instances_limit >= 0),
    vcpus_limit      bigint CHECK (vcpus_limit >= 0),
    memory_mib_limit bigint CHECK (memory_mib_limit >= 0),
    disk_gib_limit   bigint CHECK (disk_gib_limit >= 0),
    volumes_limit    bigint CHECK (volumes_limit >= 0),
    volume_gib_limit bigint CHECK (volume_gib_limit >= 0),
    instances_used   bigint NOT NULL DEFAULT 0 CHECK (instances_used >= 0),
    vcpus_used       bigint NOT NULL DEFAULT 0 CHECK (vcpus_used >= 0),
    memory_mib_used  bigint NOT NULL DEFAULT 0 CHECK (memory_mib_used >= 0),
    disk_gib_used    bigint NOT NULL DEFAULT 0 CHECK (disk_gib_used >= 0),
    volumes_used     bigint NOT NULL DEFAULT 0 CHECK (volumes_used >= 0),
    volume_gib_used  bigint NOT NULL DEFAULT 0 CHECK (volume_gib_used >= 0)
);

-- Existing projects keep no limits; their usage is what they hold now.
INSERT INTO project_quotas (project_id) SELECT id FROM projects;
INSERT INTO project_quotas (project_id) SELECT DISTINCT project_id FROM vms WHERE state <> 'DELETED'
    ON CONFLICT DO NOTHING;
INSERT INTO project_quotas (project_id) SELECT DISTINCT project_id FROM volumes ON CONFLICT DO NOTHING;
UPDATE project_quotas q SET instances_used = u.instances, vcpus_used = u.vcpus, memory_mib_used = u.memory_mib,
                            disk_gib_used = u.disk_gib
    FROM (SELECT project_id, count(*) AS instances, sum(vcpus) AS vcpus, sum(memory_mib) AS memory_mib,
                 sum(disk_gib) AS disk_gib
          FROM vms WHERE state <> 'DELETED' GROUP BY project_id) u
    WHERE q.project_id = u.project_id;
UPDATE project_quotas q SET volumes_used = u.volumes, volume_gib_used = u.volume_gib
    FROM (SELECT project_id, count(*) AS volumes, sum(size_gib) AS volume_gib FROM volumes GROUP BY project_id) u
    WHERE q.project_id = u.project_id;

-- Adds the deltas to the project's usage, then refuses (SQLSTATE VQ001, DETAIL 'resource limit used requested') if a
-- resource the charge raises is now past its limit. Releases (negative deltas) are never refused.
CREATE FUNCTION vireo_charge_quota(project uuid, d_instances bigint, d_vcpus bigint, d_memory_mib bigint,
                                   d_disk_gib bigint, d_volumes bigint, d_volume_gib bigint) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    q project_quotas%ROWTYPE;
BEGIN
    UPDATE project_quotas
       SET instances_used = instances_used + d_instances, vcpus_used = vcpus_used + d_vcpus,
           memory_mib_used = memory_mib_used + d_memory_mib, disk_gib_used = disk_gib_used + d_disk_gib,
           volumes_used = volumes_used + d_volumes, volume_gib_used = volume_gib_used + d_volume_gib
     WHERE project_id = project
    RETURNING * INTO q;
    IF NOT FOUND THEN
        INSERT INTO project_quotas (project_id) VALUES (project) ON CONFLICT DO NOTHING;
        UPDATE project_quotas
           SET instances_used = instances_used + d_instances, vcpus_used = vcpus_used + d_vcpus,
               memory_mib_used = memory_mib_used + d_memory_mib, disk_gib_used = disk_gib_used + d_disk_gib,
               volumes_used = volumes_used + d_volumes, volume_gib_used = volume_gib_used + d_volume_gib
         WHERE project_id = project
        RETURNING * INTO q;
    END IF;
    IF d_instances > 0 AND q.instances_used > q.instances_limit THEN
        RAISE EXCEPTION USING ERRCODE = 'VQ001', MESSAGE = 'quota exceeded',
            DETAIL = format('instances %s %s %s', q.instances_limit, q.instances_used - d_instances, d_instances);
    END IF;
    IF d_vcpus > 0 AND q.vcpus_used > q.vcpus_limit THEN
        RAISE EXCEPTION USING ERRCODE = 'VQ001', MESSAGE = 'quota exceeded',
            DETAIL = format('vcpus %s %s %s', q.vcpus_limit, q.vcpus_used - d_vcpus, d_vcpus);
    END IF;
    IF d_memory_mib > 0 AND q.memory_mib_used > q.memory_mib_limit THEN
        RAISE EXCEPTION USING ERRCODE = 'VQ001', MESSAGE = 'quota exceeded',
            DETAIL = format('memory_mib %s %s %s', q.memory_mib_limit, q.memory_mib_used - d_memory_mib, d_memory_mib);
    END IF;
    IF d_disk_gib > 0 AND q.disk_gib_used > q.disk_gib_limit THEN
        RAISE EXCEPTION USING ERRCODE = 'VQ001', MESSAGE = 'quota exceeded',
            DETAIL = format('disk_gib %s %s %s', q.disk_gib_limit, q.disk_gib_used - d_disk_gib, d_disk_gib);
    END IF;
    IF d_volumes > 0 AND q.volumes_used > q.volumes_limit THEN
        RAISE EXCEPTION USING ERRCODE = 'VQ001', MESSAGE = 'quota exceeded',
            DETAIL = format('volumes %s %s %s', q.volumes_limit, q.volumes_used - d_volumes, d_volumes);
    END IF;
    IF d_volume_gib > 0 AND q.volume_gib_used > q.volume_gib_limit THEN
        RAISE EXCEPTION USING ERRCODE = 'VQ001', MESSAGE = 'quota exceeded',
            DETAIL = format('volume_gib %s %s %s', q.volume_gib_limit, q.volume_gib_used - d_volume_gib, d_volume_gib);
    END IF;
END
$$;

CREATE FUNCTION vireo_charge_vm_quota() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.state <> 'DELETED' THEN
        PERFORM vireo_charge_quota(NEW.project_id, 1, NEW.vcpus, NEW.memory_mib, NEW.disk_gib, 0, 0);
    ELSIF TG_OP = 'UPDATE' AND OLD.state <> 'DELETED' AND NEW.state = 'DELETED' THEN
        PERFORM vireo_charge_quota(OLD.project_id, -1, -OLD.vcpus, -OLD.memory_mib, -OLD.disk_gib, 0, 0);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER vms_charge_quota AFTER INSERT OR UPDATE OF state ON vms
    FOR EACH ROW EXECUTE FUNCTION vireo_charge_vm_quota();

CREATE FUNCTION vireo_charge_volume_quota() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM vireo_charge_quota(NEW.project_id, 0, 0, 0, 0, 1, NEW.size_gib);
    ELSE
        PERFORM vireo_charge_quota(OLD.project_id, 0, 0, 0, 0, -1, -OLD.size_gib);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER volumes_charge_quota AFTER INSERT OR DELETE ON volumes
    FOR EACH ROW EXECUTE FUNCTION vireo_charge_volume_quota();
