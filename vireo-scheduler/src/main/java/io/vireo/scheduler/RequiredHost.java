package io.vireo.scheduler;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/**
 * The one host a VM must land on, and why (for example "the host holding volume 'data1'": a volume's data is a file
 * on one host). The reason appears in the explanation when that host cannot take the VM.
 *
 * @param reason a noun phrase naming the host's role, at most {@link #MAX_REASON_LENGTH} characters
 */
public record RequiredHost(UUID hostId, String reason) {
    public static final int MAX_REASON_LENGTH = 200;

    public RequiredHost {
        requireNonNull(hostId, "hostId is null");
        requireNonNull(reason, "reason is null");
        if (reason.isBlank() || reason.length() > MAX_REASON_LENGTH) {
            throw new IllegalArgumentException("reason must be 1-" + MAX_REASON_LENGTH + " characters");
        }
    }
}
