package io.vireo.agent.wire;

import io.vireo.common.VireoException;
import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.GuestSpec;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostReservation;
import io.vireo.model.HostUsage;
import io.vireo.model.ImageContent;
import io.vireo.model.ImageDownload;
import io.vireo.model.ImageFormat;
import io.vireo.model.ObservedPower;
import io.vireo.model.ObservedVm;
import io.vireo.model.Resources;
import io.vireo.model.SshPublicKey;
import io.vireo.model.UserData;
import io.vireo.model.VmStats;
import io.vireo.model.Volume;
import io.vireo.model.VolumeAttachment;
import io.vireo.proto.agent.v1.DesiredDelta;
import io.vireo.proto.agent.v1.DesiredSet;
import io.vireo.proto.agent.v1.Register;
import io.vireo.proto.agent.v1.VmDesired;
import io.vireo.proto.agent.v1.VmMetricsSample;
import io.vireo.proto.agent.v1.VmObserved;
import io.vireo.proto.agent.v1.VmReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Static, total conversions between the agent protocol ({@code vireo/agent/v1/agent.proto}) and the domain model, in
 * both directions. Converting a model value to protobuf and back gives an equal value, except that instants keep
 * millisecond precision only (the wire carries {@code started_at_millis}).
 *
 * <p>Reading the wire validates it: a malformed message (an identifier that is not a UUID, an unspecified enum, a
 * negative count) is rejected with a {@link VireoException} of code {@code INVALID_ARGUMENT} naming the field, never
 * turned into a default. Stateless and thread-safe.
 */
public final class ProtoMapping {
    /** The protocol version this build speaks, sent in {@code Register.protocol_version}. */
    public static final int PROTOCOL_VERSION = 1;

    private ProtoMapping() {}

    public static VmDesired toProto(DesiredVm vm) {
        ImageDownload download = vm.imageDownload();
        VmDesired.Builder builder = VmDesired.newBuilder()
                .setVmId(vm.vmId().toString())
                .setName(vm.name())
                .setGeneration(vm.generation())
                .setEpoch(vm.epoch())
                .setDesiredState(toProto(vm.desiredState()))
                .setRebootCount(vm.rebootCount())
                .setVcpus(vm.resources().vcpus())
                .setMemoryMib(vm.resources().memoryMib())
                .setDiskGib(vm.resources().diskGib())
                .setImageId(vm.imageId().toString())
                .setImageName(vm.imageName())
                .setImageFormat(vm.imageFormat().name().toLowerCase(Locale.ROOT))
                .setImageSha256(download == null ? "" : download.sha256())
                .setImageSizeBytes(download == null ? 0 : download.sizeBytes())
                .addAllSshKeys(vm.guest().sshKeys())
                .addAllVolumes(
                        vm.guest().volumes().stream().map(ProtoMapping::toProto).toList());
        String userData = vm.guest().userData();
        if (userData != null) {
            builder.setUserData(userData);
        }
        return builder.build();
    }

    private static io.vireo.proto.agent.v1.VolumeAttachment toProto(VolumeAttachment volume) {
        return io.vireo.proto.agent.v1.VolumeAttachment.newBuilder()
                .setVolumeId(volume.volumeId().toString())
                .setSizeGib(volume.sizeGib())
                .setDeleteOnTermination(volume.deleteOnTermination())
                .build();
    }

    /** The guest part of a desired VM, checked as the server checked it: keys, user data, volume sizes. */
    private static GuestSpec guest(VmDesired vm) {
        if (vm.getSshKeysCount() > SshPublicKey.MAX_KEYS) {
            throw VireoException.invalid("ssh_keys", "at most " + SshPublicKey.MAX_KEYS + " keys");
        }
        if (vm.getVolumesCount() > Volume.MAX_PER_VM) {
            throw VireoException.invalid("volumes", "at most " + Volume.MAX_PER_VM + " volumes");
        }
        List<String> keys = SshPublicKey.requireAll("ssh_keys", vm.getSshKeysList());
        String userData = vm.hasUserData() ? UserData.require("user_data", vm.getUserData()) : null;
        List<VolumeAttachment> volumes = new ArrayList<>();
        for (io.vireo.proto.agent.v1.VolumeAttachment volume : vm.getVolumesList()) {
            long size = volume.getSizeGib();
            if (size < 1 || size > Volume.MAX_SIZE_GIB) {
                throw VireoException.invalid("volumes.size_gib", "must be 1-" + Volume.MAX_SIZE_GIB);
            }
            volumes.add(new VolumeAttachment(
                    uuid("volumes.volume_id", volume.getVolumeId()), size, volume.getDeleteOnTermination()));
        }
        if (volumes.stream().map(VolumeAttachment::volumeId).distinct().count() != volumes.size()) {
            throw VireoException.invalid("volumes", "a volume is listed twice");
        }
        return new GuestSpec(keys, userData, volumes);
    }

    public static DesiredVm fromProto(VmDesired vm) {
        return new DesiredVm(
                uuid("vm_id", vm.getVmId()),
                vm.getName(),
                unsigned("generation", vm.getGeneration()),
                unsigned("epoch", vm.getEpoch()),
                fromProto(vm.getDesiredState()),
                unsigned("reboot_count", vm.getRebootCount()),
                resources(vm.getVcpus(), vm.getMemoryMib(), vm.getDiskGib()),
                uuid("image_id", vm.getImageId()),
                vm.getImageName(),
                imageFormat(vm.getImageFormat()),
                imageDownload(vm.getImageSha256(), vm.getImageSizeBytes()),
                guest(vm));
    }

    private static @Nullable ImageDownload imageDownload(String sha256, long sizeBytes) {
        if (sha256.isEmpty()) {
            return null;
        }
        if (!ImageContent.isSha256(sha256)) {
            throw VireoException.invalid("image_sha256", "must be 64 lowercase hex digits");
        }
        return new ImageDownload(sha256, unsigned("image_size_bytes", sizeBytes));
    }

    public static VmObserved toProto(ObservedVm vm) {
        return VmObserved.newBuilder()
                .setVmId(vm.vmId().toString())
                .setPower(toProto(vm.power()))
                .setGeneration(vm.generation())
                .setRebootCount(vm.rebootCount())
                .setEpoch(vm.epoch())
                .setStartedAtMillis(toMillis(vm.startedAt()))
                .setMessage(vm.message())
                .build();
    }

    public static ObservedVm fromProto(VmObserved vm) {
        return new ObservedVm(
                uuid("vm_id", vm.getVmId()),
                fromProto(vm.getPower()),
                unsigned("generation", vm.getGeneration()),
                unsigned("reboot_count", vm.getRebootCount()),
                unsigned("epoch", vm.getEpoch()),
                fromMillis(vm.getStartedAtMillis()),
                vm.getMessage());
    }

    public static io.vireo.proto.agent.v1.DesiredState toProto(DesiredState state) {
        return switch (state) {
            case RUNNING -> io.vireo.proto.agent.v1.DesiredState.DESIRED_STATE_RUNNING;
            case STOPPED -> io.vireo.proto.agent.v1.DesiredState.DESIRED_STATE_STOPPED;
            case DELETED -> io.vireo.proto.agent.v1.DesiredState.DESIRED_STATE_DELETED;
            case PAUSED -> io.vireo.proto.agent.v1.DesiredState.DESIRED_STATE_PAUSED;
        };
    }

    public static DesiredState fromProto(io.vireo.proto.agent.v1.DesiredState state) {
        return switch (state) {
            case DESIRED_STATE_RUNNING -> DesiredState.RUNNING;
            case DESIRED_STATE_STOPPED -> DesiredState.STOPPED;
            case DESIRED_STATE_DELETED -> DesiredState.DELETED;
            case DESIRED_STATE_PAUSED -> DesiredState.PAUSED;
            case DESIRED_STATE_UNSPECIFIED, UNRECOGNIZED ->
                throw VireoException.invalid("desired_state", "unspecified or unknown: " + state);
        };
    }

    public static io.vireo.proto.agent.v1.ObservedPower toProto(ObservedPower power) {
        return switch (power) {
            case CREATING -> io.vireo.proto.agent.v1.ObservedPower.OBSERVED_POWER_CREATING;
            case RUNNING -> io.vireo.proto.agent.v1.ObservedPower.OBSERVED_POWER_RUNNING;
            case PAUSED -> io.vireo.proto.agent.v1.ObservedPower.OBSERVED_POWER_PAUSED;
            case STOPPED -> io.vireo.proto.agent.v1.ObservedPower.OBSERVED_POWER_STOPPED;
            case ABSENT -> io.vireo.proto.agent.v1.ObservedPower.OBSERVED_POWER_ABSENT;
            case FAILED -> io.vireo.proto.agent.v1.ObservedPower.OBSERVED_POWER_FAILED;
        };
    }

    public static ObservedPower fromProto(io.vireo.proto.agent.v1.ObservedPower power) {
        return switch (power) {
            case OBSERVED_POWER_CREATING -> ObservedPower.CREATING;
            case OBSERVED_POWER_RUNNING -> ObservedPower.RUNNING;
            case OBSERVED_POWER_PAUSED -> ObservedPower.PAUSED;
            case OBSERVED_POWER_STOPPED -> ObservedPower.STOPPED;
            case OBSERVED_POWER_ABSENT -> ObservedPower.ABSENT;
            case OBSERVED_POWER_FAILED -> ObservedPower.FAILED;
            case OBSERVED_POWER_UNSPECIFIED, UNRECOGNIZED ->
                throw VireoException.invalid("power", "unspecified or unknown: " + power);
        };
    }

    public static io.vireo.proto.agent.v1.HostUsage toProto(HostUsage usage) {
        return io.vireo.proto.agent.v1.HostUsage.newBuilder()
                .setCpuPercent(usage.cpuPercent())
                .setMemoryUsedMib(usage.memoryUsedMib())
                .setDiskUsedGib(usage.diskUsedGib())
                .setRunningVms(usage.runningVms())
                .build();
    }

    public static HostUsage fromProto(io.vireo.proto.agent.v1.HostUsage usage) {
        double cpuPercent = usage.getCpuPercent();
        if (!Double.isFinite(cpuPercent) || cpuPercent < 0) {
            throw VireoException.invalid("cpu_percent", "must be a finite, non-negative number: " + cpuPercent);
        }
        return new HostUsage(
                cpuPercent,
                unsigned("memory_used_mib", usage.getMemoryUsedMib()),
                unsigned("disk_used_gib", usage.getDiskUsedGib()),
                unsignedInt("running_vms", usage.getRunningVms()));
    }

    public static VmMetricsSample toProto(VmStats stats) {
        VmMetricsSample.Builder sample = VmMetricsSample.newBuilder()
                .setVmId(stats.vmId().toString())
                .setSampledAtMillis(stats.sampledAt().toEpochMilli())
                .setCpuTimeMillis(stats.cpu().timeMillis())
                .setVcpus(stats.cpu().vcpus())
                .setResidentBytes(stats.memory().residentBytes())
                .setMemoryBytes(stats.memory().guestBytes())
                .setDiskReadBytes(stats.disk().readBytes())
                .setDiskWrittenBytes(stats.disk().writtenBytes())
                .setDiskReadOperations(stats.disk().readOperations())
                .setDiskWriteOperations(stats.disk().writeOperations())
                .setSynthetic(stats.synthetic());
        Double percent = stats.cpu().percent();
        if (percent != null) {
            sample.setCpuPercent(percent);
        }
        Long guestTotal = stats.memory().guestTotalBytes();
        if (guestTotal != null) {
            sample.setGuestMemoryTotalBytes(guestTotal);
        }
        Long guestAvailable = stats.memory().guestAvailableBytes();
        if (guestAvailable != null) {
            sample.setGuestMemoryAvailableBytes(guestAvailable);
        }
        VmStats.Network network = stats.network();
        if (network != null) {
            sample.setNetworkReceivedBytes(network.receivedBytes())
                    .setNetworkTransmittedBytes(network.transmittedBytes());
        }
        return sample.build();
    }

    /** A sample as the agent sent it; a value out of range is refused as INVALID_ARGUMENT. */
    public static VmStats fromProto(VmMetricsSample sample) {
        Double percent = null;
        if (sample.hasCpuPercent()) {
            percent = sample.getCpuPercent();
            if (!(percent >= 0 && percent <= 100)) {
                throw VireoException.invalid("cpu_percent", "must be 0-100: " + percent);
            }
        }
        VmStats.Network network = sample.hasNetworkReceivedBytes() && sample.hasNetworkTransmittedBytes()
                ? new VmStats.Network(
                        unsigned("network_received_bytes", sample.getNetworkReceivedBytes()),
                        unsigned("network_transmitted_bytes", sample.getNetworkTransmittedBytes()))
                : null;
        return new VmStats(
                uuid("vm_id", sample.getVmId()),
                Instant.ofEpochMilli(sample.getSampledAtMillis()),
                new VmStats.Cpu(
                        percent,
                        unsigned("cpu_time_millis", sample.getCpuTimeMillis()),
                        unsignedInt("vcpus", sample.getVcpus())),
                new VmStats.Memory(
                        unsigned("resident_bytes", sample.getResidentBytes()),
                        unsigned("memory_bytes", sample.getMemoryBytes()),
                        sample.hasGuestMemoryTotalBytes()
                                ? unsigned("guest_memory_total_bytes", sample.getGuestMemoryTotalBytes())
                                : null,
                        sample.hasGuestMemoryAvailableBytes()
                                ? unsigned("guest_memory_available_bytes", sample.getGuestMemoryAvailableBytes())
                                : null),
                new VmStats.Disk(
                        unsigned("disk_read_bytes", sample.getDiskReadBytes()),
                        unsigned("disk_written_bytes", sample.getDiskWrittenBytes()),
                        unsigned("disk_read_operations", sample.getDiskReadOperations()),
                        unsigned("disk_write_operations", sample.getDiskWriteOperations())),
                network,
                sample.getSynthetic());
    }

    /** The first message of every stream: the host as the agent sees it, with {@link #PROTOCOL_VERSION}. */
    public static Register toRegister(HostRegistration host, String agentVersion) {
        Register.Builder register = Register.newBuilder()
                .setProtocolVersion(PROTOCOL_VERSION)
                .setHostName(host.name())
                .setCpus(host.capacity().vcpus())
                .setMemoryMib(host.capacity().memoryMib())
                .setDiskGib(host.capacity().diskGib())
                .addAllCapabilities(host.capabilities())
                .setDriver(host.driver())
                .setAgentVersion(agentVersion);
        HostReservation reserved = host.reservation();
        if (reserved.vcpus() != null) {
            register.setReservedVcpus(reserved.vcpus());
        }
        if (reserved.memoryMib() != null) {
            register.setReservedMemoryMib(reserved.memoryMib());
        }
        if (reserved.diskGib() != null) {
            register.setReservedDiskGib(reserved.diskGib());
        }
        return register.build();
    }

    /**
     * The host described by a {@code Register}; its protocol and agent versions are read from the message itself. A
     * reported reservation that is not zero or below its class's total is left out (the server's default applies) and
     * {@code refused} is told why ({@code "memoryMib: must be ..."}): one bad field never refuses the registration.
     */
    public static HostRegistration fromProto(Register register, Consumer<String> refused) {
        Resources capacity = resources(register.getCpus(), register.getMemoryMib(), register.getDiskGib());
        return new HostRegistration(
                register.getHostName(),
                capacity,
                register.getCapabilitiesList(),
                register.getDriver(),
                HostReservation.accepted(
                        register.hasReservedVcpus() ? Integer.toUnsignedLong(register.getReservedVcpus()) : null,
                        register.hasReservedMemoryMib() ? register.getReservedMemoryMib() : null,
                        register.hasReservedDiskGib() ? register.getReservedDiskGib() : null,
                        capacity,
                        refused));
    }

    public static DesiredSet toDesiredSet(Collection<DesiredVm> vms) {
        DesiredSet.Builder set = DesiredSet.newBuilder();
        vms.forEach(vm -> set.addVms(toProto(vm)));
        return set.build();
    }

    public static List<DesiredVm> fromProto(DesiredSet set) {
        return set.getVmsList().stream().map(ProtoMapping::fromProto).toList();
    }

    public static DesiredDelta toDesiredDelta(Collection<DesiredVm> upserts, Collection<UUID> removals) {
        DesiredDelta.Builder delta = DesiredDelta.newBuilder();
        upserts.forEach(vm -> delta.addUpserts(toProto(vm)));
        removals.forEach(vmId -> delta.addRemovals(vmId.toString()));
        return delta.build();
    }

    public static List<DesiredVm> upserts(DesiredDelta delta) {
        return delta.getUpsertsList().stream().map(ProtoMapping::fromProto).toList();
    }

    public static List<UUID> removals(DesiredDelta delta) {
        return delta.getRemovalsList().stream()
                .map(vmId -> uuid("removals", vmId))
                .toList();
    }

    public static VmReport toVmReport(boolean full, Collection<ObservedVm> vms) {
        VmReport.Builder report = VmReport.newBuilder().setFull(full);
        vms.forEach(vm -> report.addVms(toProto(vm)));
        return report.build();
    }

    /** The VMs of a report; whether it is a full report is {@code report.getFull()}. */
    public static List<ObservedVm> fromProto(VmReport report) {
        return report.getVmsList().stream().map(ProtoMapping::fromProto).toList();
    }

    /** Milliseconds since the epoch, 0 for "not running". */
    public static long toMillis(@Nullable Instant instant) {
        return instant == null ? 0 : instant.toEpochMilli();
    }

    public static @Nullable Instant fromMillis(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }

    private static UUID uuid(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw VireoException.invalid(field, "not a UUID: '" + value + "'");
        }
    }

    private static long unsigned(String field, long value) {
        if (value < 0) {
            throw VireoException.invalid(field, "out of range: " + Long.toUnsignedString(value));
        }
        return value;
    }

    private static int unsignedInt(String field, int value) {
        if (value < 0) {
            throw VireoException.invalid(field, "out of range: " + Integer.toUnsignedString(value));
        }
        return value;
    }

    private static Resources resources(int vcpus, long memoryMib, long diskGib) {
        return new Resources(
                unsignedInt("vcpus", vcpus), unsigned("memory_mib", memoryMib), unsigned("disk_gib", diskGib));
    }

    private static ImageFormat imageFormat(String value) {
        for (ImageFormat format : ImageFormat.values()) {
            if (format.name().equalsIgnoreCase(value)) {
                return format;
            }
        }
        throw VireoException.invalid("image_format", "unknown: '" + value + "'");
    }
}
