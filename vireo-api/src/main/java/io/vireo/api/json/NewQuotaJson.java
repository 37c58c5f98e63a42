package io.vireo.api.json;

import io.vireo.common.VireoException;
import io.vireo.model.ProjectQuota;
import io.vireo.model.QuotaResource;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

@Doc("Limits to change: a number sets the limit, -1 makes the resource unlimited, absent leaves it as it is. A limit"
        + " below what is used is accepted: it refuses new creates and takes nothing away.")
public record NewQuotaJson(
        @Doc(value = "VMs.", minimum = -1, maximum = ProjectQuota.MAX_LIMIT) @Nullable
        Long instances,

        @Doc(value = "vCPUs.", minimum = -1, maximum = ProjectQuota.MAX_LIMIT) @Nullable
        Long vcpus,

        @Doc(value = "Memory, MiB.", minimum = -1, maximum = ProjectQuota.MAX_LIMIT) @Nullable
        Long memoryMib,

        @Doc(value = "VMs' root disks, GiB.", minimum = -1, maximum = ProjectQuota.MAX_LIMIT) @Nullable
        Long diskGib,

        @Doc(value = "Volumes.", minimum = -1, maximum = ProjectQuota.MAX_LIMIT) @Nullable
        Long volumes,

        @Doc(value = "Volumes' sizes, GiB.", minimum = -1, maximum = ProjectQuota.MAX_LIMIT) @Nullable
        Long volumeGib) {
    /** The value that means "unlimited". */
    public static final long UNLIMITED = -1;

    public NewQuotaJson {
        if (instances == null
                && vcpus == null
                && memoryMib == null
                && diskGib == null
                && volumes == null
                && volumeGib == null) {
            throw VireoException.invalid("name at least one limit to change");
        }
    }

    /** The changes: a limit, or empty for unlimited; 400 for a value that is neither. */
    public Map<QuotaResource, OptionalLong> changes() {
        Map<QuotaResource, OptionalLong> changes = new EnumMap<>(QuotaResource.class);
        put(changes, QuotaResource.INSTANCES, instances);
        put(changes, QuotaResource.VCPUS, vcpus);
        put(changes, QuotaResource.MEMORY_MIB, memoryMib);
        put(changes, QuotaResource.DISK_GIB, diskGib);
        put(changes, QuotaResource.VOLUMES, volumes);
        put(changes, QuotaResource.VOLUME_GIB, volumeGib);
        return changes;
    }

    private static void put(Map<QuotaResource, OptionalLong> changes, QuotaResource resource, @Nullable Long value) {
        if (value == null) {
            return;
        }
        if (value == UNLIMITED) {
            changes.put(resource, OptionalLong.empty());
        } else if (value >= 0 && value <= ProjectQuota.MAX_LIMIT) {
            changes.put(resource, OptionalLong.of(value));
        } else {
            throw VireoException.invalid(
                    resource.key(), "must be 0-" + ProjectQuota.MAX_LIMIT + ", or -1 for unlimited: " + value);
        }
    }
}
