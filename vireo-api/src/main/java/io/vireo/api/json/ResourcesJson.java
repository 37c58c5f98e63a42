package io.vireo.api.json;

import io.vireo.model.Resources;

@Doc("An amount of the three resource classes Vireo allocates.")
public record ResourcesJson(
        @Doc("Virtual CPUs.") int vcpus,
        @Doc("Memory in MiB.") long memoryMib,
        @Doc("Disk in GiB.") long diskGib) {
    public static ResourcesJson of(Resources resources) {
        return new ResourcesJson(resources.vcpus(), resources.memoryMib(), resources.diskGib());
    }
}
