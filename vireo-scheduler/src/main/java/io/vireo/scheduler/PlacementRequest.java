package io.vireo.scheduler;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.model.Resources;
import io.vireo.scheduler.snapshot.LabelNames;
import io.vireo.scheduler.snapshot.ResourceClass;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One VM to place: how much it needs ({@code resources} of the standard classes, {@code customResources} of others
 * such as {@code GPU}), hosts it must not land on (for example the one it is leaving), the traits and aggregates its
 * host must (not) have, the availability zones it may run in (empty: any), its server group, and the one host it must
 * land on, if any ({@code requiredHost}: for example the host holding its volume's data).
 *
 * <p>Invariants: custom resources name no standard class and are positive; at most {@link #MAX_EXCLUDED_HOSTS}
 * excluded hosts, {@link #MAX_CUSTOM_RESOURCES} custom classes and {@link #MAX_ZONES} zones, every zone name valid.
 */
public record PlacementRequest(
        UUID vmId,
        Resources resources,
        Set<UUID> excludedHosts,
        Map<ResourceClass, Long> customResources,
        LabelRequirement traits,
        Set<String> availabilityZones,
        LabelRequirement aggregates,
        ServerGroup serverGroup,
        @Nullable RequiredHost requiredHost) {
    public static final int MAX_EXCLUDED_HOSTS = 10_000;
    public static final int MAX_CUSTOM_RESOURCES = 16;
    public static final int MAX_ZONES = 64;

    public PlacementRequest {
        requireNonNull(vmId, "vmId is null");
        requireNonNull(resources, "resources is null");
        excludedHosts = Set.copyOf(excludedHosts);
        customResources = Map.copyOf(customResources);
        requireNonNull(traits, "traits is null");
        availabilityZones = Set.copyOf(availabilityZones);
        requireNonNull(aggregates, "aggregates is null");
        requireNonNull(serverGroup, "serverGroup is null");
        if (excludedHosts.size() > MAX_EXCLUDED_HOSTS) {
            throw VireoException.invalid("excludedHosts", "at most " + MAX_EXCLUDED_HOSTS + " hosts");
        }
        if (customResources.size() > MAX_CUSTOM_RESOURCES) {
            throw VireoException.invalid("customResources", "at most " + MAX_CUSTOM_RESOURCES + " classes");
        }
        customResources.forEach((resourceClass, amount) -> {
            if (resourceClass.isStandard() || amount <= 0) {
                throw VireoException.invalid(
                        "customResources",
                        resourceClass + "=" + amount + ": need a custom class and a positive amount");
            }
        });
        LabelNames.requireAll("availabilityZones", availabilityZones, MAX_ZONES);
    }

    /** A request that requires no particular host. */
    public PlacementRequest(
            UUID vmId,
            Resources resources,
            Set<UUID> excludedHosts,
            Map<ResourceClass, Long> customResources,
            LabelRequirement traits,
            Set<String> availabilityZones,
            LabelRequirement aggregates,
            ServerGroup serverGroup) {
        this(vmId, resources, excludedHosts, customResources, traits, availabilityZones, aggregates, serverGroup, null);
    }

    public PlacementRequest(UUID vmId, Resources resources, Set<UUID> excludedHosts) {
        this(
                vmId,
                resources,
                excludedHosts,
                Map.of(),
                LabelRequirement.NONE,
                Set.of(),
                LabelRequirement.NONE,
                ServerGroup.NONE);
    }

    public PlacementRequest(UUID vmId, Resources resources) {
        this(vmId, resources, Set.of());
    }

    public static Builder builder(UUID vmId, Resources resources) {
        return new Builder(vmId, resources);
    }

    /** The amount of every class this VM asks for, standard and custom (zero amounts included for standard ones). */
    public Map<ResourceClass, Long> demand() {
        Map<ResourceClass, Long> demand = new LinkedHashMap<>();
        demand.put(ResourceClass.VCPU, (long) resources.vcpus());
        demand.put(ResourceClass.MEMORY_MIB, resources.memoryMib());
        demand.put(ResourceClass.DISK_GIB, resources.diskGib());
        demand.putAll(customResources);
        return demand;
    }

    /** A copy of this request for another VM, such as the next member of a gang. */
    public PlacementRequest withVmId(UUID otherVmId) {
        return new PlacementRequest(
                otherVmId,
                resources,
                excludedHosts,
                customResources,
                traits,
                availabilityZones,
                aggregates,
                serverGroup,
                requiredHost);
    }

    /** Builds a {@link PlacementRequest}; everything but the VM and its resources starts empty. */
    public static final class Builder {
        private final UUID vmId;
        private final Resources resources;
        private final Set<UUID> excludedHosts = new HashSet<>();
        private final Map<ResourceClass, Long> customResources = new HashMap<>();
        private LabelRequirement traits = LabelRequirement.NONE;
        private final Set<String> availabilityZones = new HashSet<>();
        private LabelRequirement aggregates = LabelRequirement.NONE;
        private ServerGroup serverGroup = ServerGroup.NONE;
        private @Nullable RequiredHost requiredHost;

        private Builder(UUID vmId, Resources resources) {
            this.vmId = requireNonNull(vmId, "vmId is null");
            this.resources = requireNonNull(resources, "resources is null");
        }

        public Builder excludeHost(UUID hostId) {
            excludedHosts.add(requireNonNull(hostId, "hostId is null"));
            return this;
        }

        public Builder customResource(ResourceClass resourceClass, long amount) {
            customResources.put(requireNonNull(resourceClass, "resourceClass is null"), amount);
            return this;
        }

        public Builder traits(LabelRequirement value) {
            this.traits = requireNonNull(value, "traits is null");
            return this;
        }

        public Builder availabilityZone(String zone) {
            availabilityZones.add(requireNonNull(zone, "zone is null"));
            return this;
        }

        public Builder aggregates(LabelRequirement value) {
            this.aggregates = requireNonNull(value, "aggregates is null");
            return this;
        }

        public Builder serverGroup(ServerGroup value) {
            this.serverGroup = requireNonNull(value, "serverGroup is null");
            return this;
        }

        public Builder requiredHost(RequiredHost value) {
            this.requiredHost = requireNonNull(value, "requiredHost is null");
            return this;
        }

        public PlacementRequest build() {
            return new PlacementRequest(
                    vmId,
                    resources,
                    excludedHosts,
                    customResources,
                    traits,
                    availabilityZones,
                    aggregates,
                    serverGroup,
                    requiredHost);
        }
    }
}
