package io.vireo.scheduler.testing;

import static java.util.Objects.requireNonNull;

import io.vireo.common.IdGenerator;
import io.vireo.model.Resources;
import io.vireo.scheduler.LabelRequirement;
import io.vireo.scheduler.PlacementRequest;
import io.vireo.scheduler.ServerGroup;
import io.vireo.scheduler.ServerGroupPolicy;
import io.vireo.scheduler.snapshot.HostInventory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;

/** Random requests against a cluster from {@link ClusterGenerator}: sizes, GPUs, traits, zones, aggregates, groups. */
public final class RequestGenerator {
    private final RandomGenerator random;
    private final IdGenerator ids;

    public RequestGenerator(RandomGenerator random) {
        this.random = requireNonNull(random, "random is null");
        this.ids = IdGenerator.seeded(random);
    }

    public PlacementRequest request(List<HostInventory> hosts) {
        PlacementRequest.Builder request = PlacementRequest.builder(
                ids.next(), new Resources(1 + random.nextInt(16), 512L << random.nextInt(8), 10 + random.nextInt(200)));
        if (random.nextInt(5) == 0) {
            request.customResource(ClusterGenerator.GPU, 1 + random.nextInt(2));
        }
        request.traits(labels(ClusterGenerator.TRAITS));
        if (random.nextInt(10) < 3) {
            request.availabilityZone(pick(ClusterGenerator.ZONES));
        }
        request.aggregates(labels(ClusterGenerator.AGGREGATES));
        if (!hosts.isEmpty() && random.nextInt(5) == 0) {
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                request.excludeHost(hosts.get(random.nextInt(hosts.size())).id());
            }
        }
        return request.serverGroup(group(hosts)).build();
    }

    /** Up to one required and one forbidden label, never the same; sometimes one no host has. */
    private LabelRequirement labels(List<String> pool) {
        int roll = random.nextInt(10);
        if (roll < 6) {
            return LabelRequirement.NONE;
        }
        String required = random.nextInt(20) == 0 ? "unknown.label" : pick(pool);
        String forbidden = pick(pool);
        return switch (roll) {
            case 6, 7 -> LabelRequirement.required(required);
            case 8 -> LabelRequirement.forbidden(forbidden);
            default ->
                required.equals(forbidden)
                        ? LabelRequirement.required(required)
                        : new LabelRequirement(Set.of(required), Set.of(forbidden));
        };
    }

    private ServerGroup group(List<HostInventory> hosts) {
        ServerGroupPolicy[] policies = ServerGroupPolicy.values();
        ServerGroupPolicy policy =
                random.nextBoolean() ? ServerGroupPolicy.NONE : policies[random.nextInt(policies.length)];
        if (policy == ServerGroupPolicy.NONE) {
            return ServerGroup.NONE;
        }
        List<UUID> members = new ArrayList<>();
        // mostly a few members; sometimes a crowded group with about one or two members per host
        int count = hosts.isEmpty()
                ? 0
                : random.nextInt(10) < 7 ? random.nextInt(6) : hosts.size() + random.nextInt(hosts.size());
        for (int i = count; i > 0; i--) {
            members.add(
                    random.nextInt(10) == 0
                            ? ids.next()
                            : hosts.get(random.nextInt(hosts.size())).id());
        }
        if (policy == ServerGroupPolicy.AFFINITY && random.nextBoolean()) {
            members.replaceAll(any -> members.get(0)); // a healthy affinity group: every member on one host
        }
        return new ServerGroup(policy, 1 + random.nextInt(3), members);
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
