package io.vireo.scheduler.framework;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Why no host could take a VM: for each plugin that rejected hosts, in profile order, how many and for which reasons,
 * e.g. {@code no valid host among 10,000 hosts: ResourceFit: 9,812 hosts (MEMORY_MIB short); HostState: 188 hosts
 * (host DOWN)}. Each host is counted once, against the first filter that rejected it.
 *
 * <p>Invariants: {@code 0 <= member < gangSize}; each rejection's count is the sum of its reasons' counts; the counts
 * add up to at most {@code hostCount}.
 */
public record Explanation(int hostCount, int member, int gangSize, List<Rejection> rejections) {
    public Explanation {
        rejections = List.copyOf(rejections);
        if (hostCount < 0 || member < 0 || member >= gangSize) {
            throw new IllegalArgumentException("bad explanation: " + hostCount + " hosts, member " + member);
        }
    }

    /** Hosts one plugin rejected, by reason, the most frequent reason first. */
    public record Rejection(String plugin, int hosts, List<Reason> reasons) {
        public Rejection {
            requireNonNull(plugin, "plugin is null");
            reasons = List.copyOf(reasons);
        }
    }

    public record Reason(String reason, int hosts) {
        public Reason {
            requireNonNull(reason, "reason is null");
        }
    }

    /** Hosts rejected per plugin, in profile order. */
    public Map<String, Integer> countsByPlugin() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        rejections.forEach(rejection -> counts.put(rejection.plugin(), rejection.hosts()));
        return Collections.unmodifiableMap(counts);
    }

    /** The explanation for a person. */
    public String text() {
        StringBuilder text = new StringBuilder();
        if (gangSize > 1) {
            text.append(
                    String.format(Locale.ROOT, "gang of %d VMs, none placed: member %d found ", gangSize, member + 1));
        }
        if (hostCount == 0) {
            return text.append("no valid host: the cluster has no hosts").toString();
        }
        text.append(String.format(Locale.ROOT, "no valid host among %,d hosts", hostCount));
        String separator = ": ";
        for (Rejection rejection : rejections) {
            text.append(separator).append(rejection.plugin()).append(": ");
            text.append(
                    String.format(Locale.ROOT, "%,d host%s (", rejection.hosts(), rejection.hosts() == 1 ? "" : "s"));
            appendReasons(text, rejection);
            text.append(')');
            separator = "; ";
        }
        return text.toString();
    }

    private static void appendReasons(StringBuilder text, Rejection rejection) {
        if (rejection.reasons().size() == 1) {
            text.append(rejection.reasons().get(0).reason());
            return;
        }
        String separator = "";
        for (Reason reason : rejection.reasons()) {
            text.append(separator).append(reason.reason());
            text.append(String.format(Locale.ROOT, ": %,d", reason.hosts()));
            separator = ", ";
        }
    }

    @Override
    public String toString() {
        return text();
    }
}
