package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.scheduler.snapshot.LabelNames;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A validated-at-the-edge request to create a VM; names are checked again here. {@code serverGroup} names a group of the caller's project;
 * {@code traits} are required trait names, or forbidden ones with a leading {@code !}; {@code guest} holds the SSH
 * keys, user data and data volumes.
 */
public record CreateVmRequest(
        String name,
        String flavor,
        String image,
        @Nullable String idempotencyKey,
        @Nullable String serverGroup,
        @Nullable String availabilityZone,
        List<String> traits,
        GuestRequest guest) {
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;
    /** The most traits one VM may name. */
    public static final int MAX_TRAITS = 64;

    public CreateVmRequest {
        requireNonNull(name, "name is null");
        requireNonNull(flavor, "flavor is null");
        requireNonNull(image, "image is null");
        traits = List.copyOf(traits);
        requireNonNull(guest, "guest is null");
    }

    public CreateVmRequest(String name, String flavor, String image, @Nullable String idempotencyKey) {
        this(name, flavor, image, idempotencyKey, null, null, List.of());
    }

    /** A request without SSH keys, user data or volumes. */
    public CreateVmRequest(
            String name,
            String flavor,
            String image,
            @Nullable String idempotencyKey,
            @Nullable String serverGroup,
            @Nullable String availabilityZone,
            List<String> traits) {
        this(name, flavor, image, idempotencyKey, serverGroup, availabilityZone, traits, GuestRequest.NONE);
    }

    /** Checks a trait list: at most {@link #MAX_TRAITS}, each a label name with an optional leading '!'. */
    public static List<String> requireTraits(String field, List<String> traits) {
        if (traits.size() > MAX_TRAITS) {
            throw VireoException.invalid(field, "at most " + MAX_TRAITS + " traits, got " + traits.size());
        }
        Set<String> seen = new HashSet<>();
        for (String trait : traits) {
            requireNonNull(trait, "trait is null");
            String name = LabelNames.require(field, bare(trait));
            if (!seen.add(name)) {
                throw VireoException.invalid(field, "trait '" + name + "' is named twice");
            }
        }
        return traits;
    }

    /** Checks an availability zone name. */
    public static String requireZone(String field, String zone) {
        return LabelNames.require(field, zone);
    }

    /** Whether the trait is forbidden (written with a leading '!'). */
    public static boolean forbidden(String trait) {
        return trait.startsWith("!");
    }

    /** The trait's name without its '!'. */
    public static String bare(String trait) {
        return forbidden(trait) ? trait.substring(1) : trait;
    }
}
