package io.vireo.scheduler;

import io.vireo.common.VireoException;
import io.vireo.scheduler.snapshot.LabelNames;
import java.util.HashSet;
import java.util.Set;

/**
 * Labels (traits or aggregates) a host must all have ({@code required}) and must have none of ({@code forbidden}).
 *
 * <p>Invariants: at most {@link #MAX_LABELS} names in each set, every name valid by {@link LabelNames}, no name in both.
 */
public record LabelRequirement(Set<String> required, Set<String> forbidden) {
    public static final int MAX_LABELS = 64;
    public static final LabelRequirement NONE = new LabelRequirement(Set.of(), Set.of());

    public LabelRequirement {
        required = Set.copyOf(required);
        forbidden = Set.copyOf(forbidden);
        LabelNames.requireAll("required", required, MAX_LABELS);
        LabelNames.requireAll("forbidden", forbidden, MAX_LABELS);
        Set<String> both = new HashSet<>(required);
        both.retainAll(forbidden);
        if (!both.isEmpty()) {
            throw VireoException.invalid("forbidden", "labels both required and forbidden: " + both);
        }
    }

    public static LabelRequirement required(String... names) {
        return new LabelRequirement(Set.of(names), Set.of());
    }

    public static LabelRequirement forbidden(String... names) {
        return new LabelRequirement(Set.of(), Set.of(names));
    }

    public boolean isEmpty() {
        return required.isEmpty() && forbidden.isEmpty();
    }
}
