package io.vireo.scheduler.plugins.helper;

import io.vireo.scheduler.LabelRequirement;
import io.vireo.scheduler.framework.Status;
import io.vireo.scheduler.snapshot.BitMatrix;
import io.vireo.scheduler.snapshot.Catalog;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LabelRequirement} compiled against a {@link Catalog}: masks of required and forbidden bits, matched against
 * each host's words of a {@link BitMatrix}, and one shared rejection status per label for explanations.
 *
 * <p>Invariants: masks have the catalog's words per host; forbidden labels the catalog lacks are dropped (no host has
 * them); a required label it lacks makes {@link #preFilterStatus()} UNSCHEDULABLE. Immutable and thread-safe.
 */
public final class LabelMatch {
    private static final LabelMatch NOTHING_TO_CHECK =
            new LabelMatch(Status.SKIP, new long[0], new long[0], List.of(), List.of(), List.of(), List.of());

    private final Status preFilterStatus;
    private final long[] required;
    private final long[] forbidden;
    private final int[] requiredBits;
    private final Status[] missing;
    private final int[] forbiddenBits;
    private final Status[] present;

    private LabelMatch(
            Status preFilterStatus,
            long[] required,
            long[] forbidden,
            List<Integer> requiredBits,
            List<Status> missing,
            List<Integer> forbiddenBits,
            List<Status> present) {
        this.preFilterStatus = preFilterStatus;
        this.required = required;
        this.forbidden = forbidden;
        this.requiredBits = requiredBits.stream().mapToInt(Integer::intValue).toArray();
        this.missing = missing.toArray(Status[]::new);
        this.forbiddenBits = forbiddenBits.stream().mapToInt(Integer::intValue).toArray();
        this.present = present.toArray(Status[]::new);
    }

    /** Compiles {@code requirement}; {@code noun} ("trait", "aggregate") words the reasons. */
    public static LabelMatch compile(String plugin, String noun, LabelRequirement requirement, Catalog catalog) {
        if (requirement.isEmpty()) {
            return NOTHING_TO_CHECK;
        }
        int words = BitMatrix.wordsFor(catalog.size());
        long[] required = new long[words];
        long[] forbidden = new long[words];
        List<Integer> requiredBits = new ArrayList<>();
        List<Status> missing = new ArrayList<>();
        List<Integer> forbiddenBits = new ArrayList<>();
        List<Status> present = new ArrayList<>();
        Status status = Status.SUCCESS;
        for (String name : requirement.required().stream().sorted().toList()) {
            int bit = catalog.indexOf(name);
            if (bit < 0) {
                status = Status.unschedulable(plugin, "no host has " + noun + " " + name);
                break;
            }
            required[bit >>> 6] |= 1L << bit;
            requiredBits.add(bit);
            missing.add(Status.unschedulable(plugin, "missing " + noun + " " + name));
        }
        for (String name : requirement.forbidden().stream().sorted().toList()) {
            int bit = catalog.indexOf(name);
            if (bit >= 0) {
                forbidden[bit >>> 6] |= 1L << bit;
                forbiddenBits.add(bit);
                present.add(Status.unschedulable(plugin, "has forbidden " + noun + " " + name));
            }
        }
        if (status.isSuccess() && requiredBits.isEmpty() && forbiddenBits.isEmpty()) {
            status = Status.SKIP;
        }
        return new LabelMatch(status, required, forbidden, requiredBits, missing, forbiddenBits, present);
    }

    /** SUCCESS, SKIP (nothing to check) or UNSCHEDULABLE (a required label no host has). */
    public Status preFilterStatus() {
        return preFilterStatus;
    }

    /** SUCCESS, or the status of the first missing required label, else of the first forbidden label present. */
    public Status check(BitMatrix bits, int host) {
        for (int i = 0; i < requiredBits.length; i++) {
            if (!bits.has(host, requiredBits[i])) {
                return missing[i];
            }
        }
        for (int i = 0; i < forbiddenBits.length; i++) {
            if (bits.has(host, forbiddenBits[i])) {
                return present[i];
            }
        }
        return Status.SUCCESS;
    }

    /** Keeps the hosts of {@code hosts[0..count)} that match, in order; returns how many. */
    @SuppressWarnings("ShortCircuitBoolean") // branch-free on purpose: hot loop
    public int retain(BitMatrix bits, int[] hosts, int count) {
        if (required.length == 1) {
            return retainOneWord(bits, hosts, count);
        }
        int kept = 0;
        for (int i = 0; i < count; i++) {
            int host = hosts[i];
            boolean matches = true;
            for (int w = 0; w < required.length; w++) {
                long word = bits.word(host, w);
                matches &= (word & required[w]) == required[w] & (word & forbidden[w]) == 0;
            }
            hosts[kept] = host;
            kept += matches ? 1 : 0;
        }
        return kept;
    }

    @SuppressWarnings("ShortCircuitBoolean") // branch-free on purpose: hot loop
    private int retainOneWord(BitMatrix bits, int[] hosts, int count) {
        long requiredWord = required[0];
        long forbiddenWord = forbidden[0];
        int kept = 0;
        for (int i = 0; i < count; i++) {
            int host = hosts[i];
            long word = bits.word(host, 0);
            hosts[kept] = host;
            kept += ((word & requiredWord) == requiredWord & (word & forbiddenWord) == 0) ? 1 : 0;
        }
        return kept;
    }
}
