package io.vireo.api.json;

import io.vireo.common.VireoException;
import io.vireo.model.HaPolicy;
import org.jspecify.annotations.Nullable;

@Doc("What happens to a VM when its host is fenced (declared dead, its instances ended).")
public record HaPolicyJson(
        @Doc("restart: elsewhere with its disks as they were (needs shared storage; a VM whose disks were local to"
                + " the lost host waits for it, in ERROR); restart-from-image: elsewhere, from its image when its disks"
                + " were local (their data is lost); none: it waits for its host, in ERROR. Default: the server's"
                + " (restart unless its operator set another) when the VM is created without ha.")
        HaModeJson policy,

        @Doc(
                value = "Optional: the order of restarts when many VMs lose their host at once, higher first"
                        + " (default 0).",
                minimum = HaPolicy.MIN_PRIORITY,
                maximum = HaPolicy.MAX_PRIORITY)
        @Nullable
        Integer priority) {
    public HaPolicyJson {
        if (policy == null) {
            throw VireoException.invalid("ha.policy", "is required: restart, restart-from-image or none");
        }
        if (priority != null && (priority < HaPolicy.MIN_PRIORITY || priority > HaPolicy.MAX_PRIORITY)) {
            throw VireoException.invalid(
                    "ha.priority",
                    "must be " + HaPolicy.MIN_PRIORITY + "-" + HaPolicy.MAX_PRIORITY + ", got " + priority);
        }
    }

    public static HaPolicyJson of(HaPolicy policy) {
        return new HaPolicyJson(HaModeJson.of(policy.mode()), policy.priority());
    }

    /** The policy asked for; priority 0 unless given. */
    public HaPolicy toModel() {
        return new HaPolicy(policy.toModel(), priority == null ? 0 : priority);
    }
}
