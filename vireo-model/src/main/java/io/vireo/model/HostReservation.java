package io.vireo.model;

import io.vireo.common.VireoException;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What a host's agent reports keeping for the host itself, per resource class, as Nova's per-compute
 * {@code reserved_host_cpus}, {@code reserved_host_memory_mb} and {@code reserved_host_disk_mb}; null where the agent
 * reports nothing.
 *
 * <p>Precedence of a host's reservation, per class (ADR 10): an operator's per-host policy, then what the agent
 * reports, then the server's default. {@link #applyTo} is the second step over the third; {@link #inForce} is the
 * whole rule.
 *
 * <p>Invariant: no value is negative. Whether a value is below the host's total is checked where it enters
 * ({@link #accepted}), since a host's total may change at each registration.
 *
 * @param vcpus vCPUs reserved, or null
 * @param memoryMib MiB of memory reserved, or null
 * @param diskGib GiB of disk reserved, or null
 */
public record HostReservation(
        @Nullable Integer vcpus,
        @Nullable Long memoryMib,
        @Nullable Long diskGib) {
    /** Nothing reported: the server's default (or an operator's policy) decides every class. */
    public static final HostReservation NONE = new HostReservation(null, null, null);

    public HostReservation {
        if ((vcpus != null && vcpus < 0) || (memoryMib != null && memoryMib < 0) || (diskGib != null && diskGib < 0)) {
            throw VireoException.invalid(
                    "reserved", "a reservation must not be negative: " + vcpus + "/" + memoryMib + "/" + diskGib);
        }
    }

    /**
     * The capacity policy in force on a host: {@code override} if an operator set one, else {@code base} (the
     * server's default) with this reservation in place of the base's for each class it reports.
     */
    public CapacityPolicy inForce(@Nullable CapacityPolicy override, CapacityPolicy base) {
        return override != null ? override : applyTo(base);
    }

    /** {@code policy} with this reservation in place of the policy's own for each class it reports; same ratios. */
    public CapacityPolicy applyTo(CapacityPolicy policy) {
        Resources reserved = policy.reserved();
        return new CapacityPolicy(
                new Resources(
                        vcpus != null ? vcpus : reserved.vcpus(),
                        memoryMib != null ? memoryMib : reserved.memoryMib(),
                        diskGib != null ? diskGib : reserved.diskGib()),
                policy.vcpuRatio(),
                policy.memoryRatio(),
                policy.diskRatio());
    }

    /**
     * {@code policy} with nothing reserved in the classes this reports. A host whose agent's own reservation leaves
     * less than is allocated is not refused at registration: only this policy's effective capacity bounds the
     * allocation there (claims still see the policy in force, so they find no room until VMs leave).
     */
    public CapacityPolicy withoutReportedReservations(CapacityPolicy policy) {
        Resources reserved = policy.reserved();
        return new CapacityPolicy(
                new Resources(
                        vcpus != null ? 0 : reserved.vcpus(),
                        memoryMib != null ? 0 : reserved.memoryMib(),
                        diskGib != null ? 0 : reserved.diskGib()),
                policy.vcpuRatio(),
                policy.memoryRatio(),
                policy.diskRatio());
    }

    /** Per class, this reservation's value, or {@code other}'s where this reports nothing. */
    public HostReservation orElse(HostReservation other) {
        return new HostReservation(
                vcpus != null ? vcpus : other.vcpus,
                memoryMib != null ? memoryMib : other.memoryMib,
                diskGib != null ? diskGib : other.diskGib);
    }

    /** Whether no class is reported. */
    public boolean isEmpty() {
        return vcpus == null && memoryMib == null && diskGib == null;
    }

    /**
     * The reservation made of the values that are acceptable for a host with {@code total}: each must be zero or
     * below the total of its class (and, as the wire carries unsigned numbers, not negative when read as signed). A
     * refused value is left out, as if not reported, and {@code refused} is told why ({@code "memoryMib: ..."}).
     */
    public static HostReservation accepted(
            @Nullable Long vcpus,
            @Nullable Long memoryMib,
            @Nullable Long diskGib,
            Resources total,
            Consumer<String> refused) {
        Long cpu = accepted("vcpus", vcpus, total.vcpus(), refused);
        return new HostReservation(
                cpu == null ? null : Math.toIntExact(cpu),
                accepted("memoryMib", memoryMib, total.memoryMib(), refused),
                accepted("diskGib", diskGib, total.diskGib(), refused));
    }

    private static @Nullable Long accepted(String field, @Nullable Long value, long total, Consumer<String> refused) {
        if (value == null) {
            return null;
        }
        Optional<String> problem = problem(value, total);
        if (problem.isPresent()) {
            refused.accept(field + ": " + problem.get());
            return null;
        }
        return value;
    }

    /**
     * Why a reservation of {@code value} is refused on a class whose total is {@code total}, or empty: it must be zero
     * or below the total (a host reserving all it has could never take a VM). A negative value is an unsigned wire
     * number beyond {@code Long.MAX_VALUE} and is shown as such.
     */
    public static Optional<String> problem(long value, long total) {
        if (value < 0 || (value > 0 && value >= total)) {
            return Optional.of(
                    "must be zero or below the host's total of " + total + ", got " + Long.toUnsignedString(value));
        }
        return Optional.empty();
    }
}
