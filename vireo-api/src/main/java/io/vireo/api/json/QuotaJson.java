package io.vireo.api.json;

import io.vireo.model.ProjectQuota;
import io.vireo.model.QuotaResource;

@Doc("A project's quota. A VM charges an instance, its vCPUs, memory and root disk from its create until it is"
        + " DELETED; a volume charges one volume and its size until it is deleted.")
public record QuotaJson(
        @Doc("The project's name.") String project,
        QuotaItemJson instances,
        QuotaItemJson vcpus,
        @Doc("Memory, MiB.") QuotaItemJson memoryMib,
        @Doc("VMs' root disks, GiB.") QuotaItemJson diskGib,
        QuotaItemJson volumes,
        @Doc("Volumes' sizes, GiB.") QuotaItemJson volumeGib) {
    public static QuotaJson of(String project, ProjectQuota quota) {
        return new QuotaJson(
                project,
                item(quota, QuotaResource.INSTANCES),
                item(quota, QuotaResource.VCPUS),
                item(quota, QuotaResource.MEMORY_MIB),
                item(quota, QuotaResource.DISK_GIB),
                item(quota, QuotaResource.VOLUMES),
                item(quota, QuotaResource.VOLUME_GIB));
    }

    private static QuotaItemJson item(ProjectQuota quota, QuotaResource resource) {
        return new QuotaItemJson(quota.limits().get(resource), quota.used(resource));
    }
}
