package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import io.vireo.controller.port.IdempotencyKey;
import io.vireo.model.HaPolicy;
import io.vireo.scheduler.snapshot.LabelNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A validated-at-the-edge request to create a VM; names are checked again here. {@code serverGroup} names a group of the caller's project;
 * {@code traits} are required trait names, or forbidden ones with a leading {@code !}; {@code guest} holds the SSH
 * keys, user data and data volumes; {@code ha} is the VM's HA policy, or null for the server's default.
 */
public record CreateVmRequest(
        String name,
        String flavor,
        String image,
        @Nullable String idempotencyKey,
        @Nullable String serverGroup,
        @Nullable String availabilityZone,
        List<String> traits,
        GuestRequest guest,
        @Nullable HaPolicy ha) {
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = IdempotencyKey.MAX_LENGTH;
    /** The most traits one VM may name. */
    public static final int MAX_TRAITS = 64;

    public CreateVmRequest {
        requireNonNull(name, "name is null");
        requireNonNull(flavor, "flavor is null");
        requireNonNull(image, "image is null");
        traits = List.copyOf(traits);
        requireNonNull(guest, "guest is null");
    }

    /** A request with the server's default HA policy. */
    public CreateVmRequest(
            String name,
            String flavor,
            String image,
            @Nullable String idempotencyKey,
            @Nullable String serverGroup,
            @Nullable String availabilityZone,
            List<String> traits,
            GuestRequest guest) {
        this(name, flavor, image, idempotencyKey, serverGroup, availabilityZone, traits, guest, null);
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

    /**
     * The request's idempotency key with the fingerprint of this request made {@code count} times, or null without a
     * key.
     */
    public @Nullable IdempotencyKey idempotency(int count) {
        return idempotencyKey == null ? null : new IdempotencyKey(idempotencyKey, fingerprint(count));
    }

    /**
     * The SHA-256 (lowercase hex) of this request's canonical form with {@code count}: every field but the idempotency
     * key, each length-prefixed, in a fixed order, so two requests have one fingerprint exactly when they ask for the
     * same thing, however their JSON was written (whitespace, field order, defaults written out or left out). Traits are
     * a set and sorted; SSH keys and volumes keep their order, which the guest sees.
     */
    public String fingerprint(int count) {
        StringBuilder canonical = new StringBuilder("vireo.create-vm.v1\n");
        field(canonical, "name", name);
        field(canonical, "flavor", flavor);
        field(canonical, "image", image);
        field(canonical, "serverGroup", serverGroup);
        field(canonical, "availabilityZone", availabilityZone);
        list(canonical, "traits", traits.stream().sorted().toList());
        list(canonical, "sshKeys", guest.sshKeys());
        field(canonical, "userData", guest.userData());
        list(canonical, "volumes", guest.volumes());
        field(canonical, "keepVolumes", Boolean.toString(guest.keepVolumes()));
        field(canonical, "haPolicy", ha == null ? null : ha.mode().name());
        field(canonical, "haPriority", ha == null ? null : Integer.toString(ha.priority()));
        field(canonical, "count", Integer.toString(count));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void field(StringBuilder canonical, String field, @Nullable String value) {
        canonical.append(field).append('=');
        if (value == null) {
            canonical.append("null\n");
        } else {
            canonical.append(value.length()).append(':').append(value).append('\n');
        }
    }

    private static void list(StringBuilder canonical, String field, List<String> values) {
        canonical.append(field).append("=[").append(values.size()).append("]\n");
        for (String value : values) {
            field(canonical, "-", value);
        }
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
