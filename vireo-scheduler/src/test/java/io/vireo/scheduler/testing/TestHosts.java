package io.vireo.scheduler.testing;

import io.vireo.model.Resources;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.snapshot.ClusterSnapshot;
import io.vireo.scheduler.snapshot.HostInventory;
import io.vireo.scheduler.snapshot.ResourceClass;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Short ways to write hosts and requests in table-driven tests; ids derive from names, so tables stay readable. */
public final class TestHosts {
    private TestHosts() {}

    public static UUID id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /** An UP host named {@code name} with these totals, nothing used, no overcommit. */
    public static HostInventory.Builder host(String name, long vcpus, long memoryMib, long diskGib) {
        return HostInventory.builder(id(name), name)
                .resource(ResourceClass.VCPU, vcpus, 0)
                .resource(ResourceClass.MEMORY_MIB, memoryMib, 0)
                .resource(ResourceClass.DISK_GIB, diskGib, 0);
    }

    /** A plain 16-VCPU, 64 GiB, 1 TiB host. */
    public static HostInventory.Builder host(String name) {
        return host(name, 16, 65_536, 1_024);
    }

    public static ClusterSnapshot snapshot(HostInventory.Builder... hosts) {
        return ClusterSnapshot.of(
                List.of(hosts).stream().map(HostInventory.Builder::build).toList());
    }

    public static PlacementRequest.Builder request(int vcpus, long memoryMib, long diskGib) {
        return PlacementRequest.builder(id("vm"), new Resources(vcpus, memoryMib, diskGib));
    }

    /** A small VM: 1 VCPU, 1 GiB, 10 GiB. */
    public static PlacementRequest.Builder request() {
        return request(1, 1_024, 10);
    }
}
