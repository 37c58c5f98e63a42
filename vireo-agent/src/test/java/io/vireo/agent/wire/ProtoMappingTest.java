package io.vireo.agent.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.agent.qemu.CloudInitUserDataTest;
import io.vireo.agent.testing.Vms;
import io.vireo.common.VireoException;
import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.GuestSpec;
import io.vireo.model.HostRegistration;
import io.vireo.model.HostReservation;
import io.vireo.model.HostUsage;
import io.vireo.model.ImageFormat;
import io.vireo.model.ObservedPower;
import io.vireo.model.ObservedVm;
import io.vireo.model.Resources;
import io.vireo.model.VmStats;
import io.vireo.model.VolumeAttachment;
import io.vireo.proto.agent.v1.DesiredDelta;
import io.vireo.proto.agent.v1.Register;
import io.vireo.proto.agent.v1.VmDesired;
import io.vireo.proto.agent.v1.VmMetricsSample;
import io.vireo.proto.agent.v1.VmObserved;
import io.vireo.proto.agent.v1.VmReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ProtoMappingTest {
    private static final UUID VM = Vms.id(7);
    private static final Instant STARTED = Instant.parse("2026-11-02T10:15:30.123Z");

    @ParameterizedTest
    @EnumSource(DesiredState.class)
    void desiredVmRoundTripsInEveryState(DesiredState state) {
        DesiredVm vm = Vms.desired(VM, state, 42, 7, 3);

        assertThat(ProtoMapping.fromProto(ProtoMapping.toProto(vm))).isEqualTo(vm);
    }

    @ParameterizedTest
    @EnumSource(ImageFormat.class)
    void desiredVmRoundTripsEveryImageFormat(ImageFormat format) {
        DesiredVm vm = new DesiredVm(
                VM,
                "web-1",
                Long.MAX_VALUE,
                0,
                DesiredState.RUNNING,
                0,
                new Resources(Integer.MAX_VALUE, Long.MAX_VALUE, 0),
                Vms.id(99),
                "debian-12",
                format);

        assertThat(ProtoMapping.fromProto(ProtoMapping.toProto(vm))).isEqualTo(vm);
    }

    @ParameterizedTest
    @EnumSource(ObservedPower.class)
    void observedVmRoundTripsInEveryPower(ObservedPower power) {
        ObservedVm vm = new ObservedVm(VM, power, 5, 2, 9, STARTED, "message for " + power);

        assertThat(ProtoMapping.fromProto(ProtoMapping.toProto(vm))).isEqualTo(vm);
    }

    @Test
    void observedVmWithoutStartTimeCarriesZeroMillis() {
        ObservedVm vm = new ObservedVm(VM, ObservedPower.STOPPED, 1, 0, 1, null, "");

        VmObserved wire = ProtoMapping.toProto(vm);

        assertThat(wire.getStartedAtMillis()).isZero();
        assertThat(ProtoMapping.fromProto(wire)).isEqualTo(vm);
    }

    @Test
    void startTimeKeepsMillisecondPrecision() {
        Instant precise = Instant.parse("2026-11-02T10:15:30.123456789Z");
        ObservedVm vm = new ObservedVm(VM, ObservedPower.RUNNING, 1, 0, 1, precise, "");

        assertThat(ProtoMapping.fromProto(ProtoMapping.toProto(vm)).startedAt())
                .isEqualTo(Instant.parse("2026-11-02T10:15:30.123Z"));
    }

    @Test
    void enumsMapOneToOneInBothDirections() {
        assertThat(Arrays.stream(DesiredState.values())
                        .map(ProtoMapping::toProto)
                        .map(ProtoMapping::fromProto))
                .containsExactly(DesiredState.values());
        assertThat(Arrays.stream(ObservedPower.values())
                        .map(ProtoMapping::toProto)
                        .map(ProtoMapping::fromProto))
                .containsExactly(ObservedPower.values());
    }

    @Test
    void hostUsageRoundTrips() {
        HostUsage usage = new HostUsage(37.5, 123_456, 789, 12);

        assertThat(ProtoMapping.fromProto(ProtoMapping.toProto(usage))).isEqualTo(usage);
    }

    @Test
    void registrationRoundTripsAndCarriesTheProtocolVersion() {
        HostRegistration host = new HostRegistration(
                "node-1.example.com", new Resources(64, 262_144, 4000), List.of("driver:fake", "accel:tcg"), "fake");

        Register register = ProtoMapping.toRegister(host, "1.2.3");

        assertThat(register.getProtocolVersion()).isEqualTo(ProtoMapping.PROTOCOL_VERSION);
        assertThat(register.getAgentVersion()).isEqualTo("1.2.3");
        assertThat(ProtoMapping.fromProto(register, refused -> {
                    throw new AssertionError(refused);
                }))
                .isEqualTo(host);
        assertThat(register.hasReservedMemoryMib()).as("nothing reported").isFalse();
    }

    @Test
    void aReportedReservationRoundTripsClassByClass() {
        HostRegistration host = new HostRegistration(
                "node-1", new Resources(64, 262_144, 4000), List.of(), "fake", new HostReservation(2, 0L, null));

        Register register = ProtoMapping.toRegister(host, "1.2.3");

        assertThat(register.hasReservedVcpus()).isTrue();
        assertThat(register.hasReservedMemoryMib())
                .as("zero is reported, not left out")
                .isTrue();
        assertThat(register.hasReservedDiskGib()).isFalse();
        List<String> refused = new ArrayList<>();
        assertThat(ProtoMapping.fromProto(register, refused::add)).isEqualTo(host);
        assertThat(refused).isEmpty();
    }

    @Test
    void aReservationOutOfRangeIsLeftOutAndNamedButTheRegistrationStands() {
        Register register = ProtoMapping.toRegister(
                        new HostRegistration("node-1", new Resources(8, 16_384, 100), List.of(), "fake"), "1.2.3")
                .toBuilder()
                .setReservedVcpus(-1) // uint32 4294967295
                .setReservedMemoryMib(16_384) // all of it
                .setReservedDiskGib(10)
                .build();
        List<String> refused = new ArrayList<>();

        HostRegistration registration = ProtoMapping.fromProto(register, refused::add);

        assertThat(registration.reservation()).isEqualTo(new HostReservation(null, null, 10L));
        assertThat(registration.capacity()).isEqualTo(new Resources(8, 16_384, 100));
        assertThat(refused)
                .containsExactly(
                        "vcpus: must be zero or below the host's total of 8, got 4294967295",
                        "memoryMib: must be zero or below the host's total of 16384, got 16384");
    }

    @Test
    void desiredSetAndDeltaRoundTrip() {
        List<DesiredVm> vms = List.of(Vms.running(Vms.id(1)), Vms.desired(Vms.id(2), DesiredState.STOPPED, 3, 4, 5));
        List<UUID> removals = List.of(Vms.id(3), Vms.id(4));

        DesiredDelta delta = ProtoMapping.toDesiredDelta(vms, removals);

        assertThat(ProtoMapping.fromProto(ProtoMapping.toDesiredSet(vms))).isEqualTo(vms);
        assertThat(ProtoMapping.upserts(delta)).isEqualTo(vms);
        assertThat(ProtoMapping.removals(delta)).isEqualTo(removals);
    }

    @Test
    void vmReportRoundTrips() {
        List<ObservedVm> vms = List.of(
                new ObservedVm(Vms.id(1), ObservedPower.RUNNING, 1, 0, 1, STARTED, ""),
                new ObservedVm(Vms.id(2), ObservedPower.FAILED, 2, 1, 3, null, "no space left"));

        VmReport report = ProtoMapping.toVmReport(true, vms);

        assertThat(report.getFull()).isTrue();
        assertThat(ProtoMapping.fromProto(report)).isEqualTo(vms);
    }

    @SuppressWarnings("AvoidValueSetter") // an enum value no build of the protocol knows can only be set as a number
    static Stream<Arguments> malformedDesiredVms() {
        VmDesired valid = ProtoMapping.toProto(Vms.running(VM));
        return Stream.of(
                malformed("vm_id", valid, b -> b.setVmId("not-a-uuid")),
                malformed("image_id", valid, b -> b.setImageId("")),
                malformed(
                        "desired_state",
                        valid,
                        b -> b.setDesiredState(io.vireo.proto.agent.v1.DesiredState.DESIRED_STATE_UNSPECIFIED)),
                malformed("desired_state", valid, b -> b.setDesiredStateValue(99)),
                malformed("image_format", valid, b -> b.setImageFormat("vmdk")),
                malformed("vcpus", valid, b -> b.setVcpus(-1)),
                malformed("memory_mib", valid, b -> b.setMemoryMib(-1)),
                malformed("generation", valid, b -> b.setGeneration(-1)),
                malformed("ssh_keys[0]", valid, b -> b.addSshKeys("ssh-dss AAAA")),
                malformed("user_data", valid, b -> b.setUserData("runcmd: [reboot]")),
                malformed("volumes.volume_id", valid, b -> b.addVolumes(volume("../etc", 1))),
                malformed("volumes.size_gib", valid, b -> b.addVolumes(volume(VM.toString(), 0))),
                malformed(
                        "volumes",
                        valid,
                        b -> b.addVolumes(volume(VM.toString(), 1)).addVolumes(volume(VM.toString(), 2))));
    }

    private static io.vireo.proto.agent.v1.VolumeAttachment volume(String id, long sizeGib) {
        return io.vireo.proto.agent.v1.VolumeAttachment.newBuilder()
                .setVolumeId(id)
                .setSizeGib(sizeGib)
                .build();
    }

    @Test
    void theGuestSpecRoundTrips() {
        DesiredVm plain = Vms.running(VM);
        GuestSpec guest = new GuestSpec(
                List.of(CloudInitUserDataTest.ED25519, CloudInitUserDataTest.RSA),
                "#cloud-config\npackages: [nginx]\n",
                List.of(new VolumeAttachment(Vms.id(7), 10, true), new VolumeAttachment(Vms.id(8), 1, false)));
        DesiredVm vm = new DesiredVm(
                plain.vmId(),
                plain.name(),
                plain.generation(),
                plain.epoch(),
                plain.desiredState(),
                plain.rebootCount(),
                plain.resources(),
                plain.imageId(),
                plain.imageName(),
                plain.imageFormat(),
                plain.imageDownload(),
                guest);

        VmDesired wire = ProtoMapping.toProto(vm);

        assertThat(wire.hasUserData()).isTrue();
        assertThat(ProtoMapping.fromProto(wire)).isEqualTo(vm);
        assertThat(ProtoMapping.toProto(plain).hasUserData()).isFalse();
        assertThat(ProtoMapping.fromProto(ProtoMapping.toProto(plain)).guest()).isEqualTo(GuestSpec.NONE);
    }

    private static Arguments malformed(String field, VmDesired valid, UnaryOperator<VmDesired.Builder> change) {
        return Arguments.of(field, change.apply(valid.toBuilder()).build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedDesiredVms")
    void malformedDesiredVmIsRejectedNamingTheField(String field, VmDesired wire) {
        assertThatThrownBy(() -> ProtoMapping.fromProto(wire))
                .isInstanceOf(VireoException.class)
                .hasMessageStartingWith(field + ":");
    }

    @Test
    void unspecifiedPowerIsRejected() {
        VmObserved wire = ProtoMapping.toProto(new ObservedVm(VM, ObservedPower.RUNNING, 1, 0, 1, null, "")).toBuilder()
                .setPower(io.vireo.proto.agent.v1.ObservedPower.OBSERVED_POWER_UNSPECIFIED)
                .build();

        assertThatThrownBy(() -> ProtoMapping.fromProto(wire)).hasMessageStartingWith("power:");
    }

    @Test
    void malformedRemovalIsRejected() {
        DesiredDelta delta = DesiredDelta.newBuilder().addRemovals("x").build();

        assertThatThrownBy(() -> ProtoMapping.removals(delta)).hasMessageStartingWith("removals:");
    }

    @Test
    void vmStatsRoundTripWithAndWithoutTheValuesThatMayBeUnavailable() {
        VmStats full = new VmStats(
                Vms.id(1),
                Instant.parse("2026-11-27T10:00:00.123Z"),
                new VmStats.Cpu(12.5, 3400, 2),
                new VmStats.Memory(200L << 20, 1L << 30, 1_000_000_000L, 700_000_000L),
                new VmStats.Disk(4096, 512, 8, 1),
                new VmStats.Network(1500, 60),
                true);
        VmStats sparse = new VmStats(
                Vms.id(2),
                Instant.parse("2026-11-27T10:00:01Z"),
                new VmStats.Cpu(null, 0, 1),
                new VmStats.Memory(0, 128L << 20, null, null),
                VmStats.Disk.NONE,
                null,
                false);

        assertThat(ProtoMapping.fromProto(ProtoMapping.toProto(full))).isEqualTo(full);
        assertThat(ProtoMapping.fromProto(ProtoMapping.toProto(sparse))).isEqualTo(sparse);
        assertThat(ProtoMapping.toProto(sparse).hasCpuPercent()).isFalse();
        assertThat(ProtoMapping.toProto(sparse).hasNetworkReceivedBytes()).isFalse();
    }

    @Test
    void aVmSampleOutOfRangeIsRefused() {
        VmMetricsSample valid = VmMetricsSample.newBuilder()
                .setVmId(Vms.id(1).toString())
                .setVcpus(1)
                .build();
        assertThat(ProtoMapping.fromProto(valid).cpu().percent()).isNull();

        assertThatThrownBy(() -> ProtoMapping.fromProto(
                        valid.toBuilder().setCpuPercent(150).build()))
                .isInstanceOf(VireoException.class)
                .hasMessageContaining("cpu_percent");
        assertThatThrownBy(() -> ProtoMapping.fromProto(
                        valid.toBuilder().setDiskReadBytes(-1).build()))
                .isInstanceOf(VireoException.class)
                .hasMessageContaining("disk_read_bytes");
        assertThatThrownBy(() ->
                        ProtoMapping.fromProto(valid.toBuilder().setVmId("x").build()))
                .isInstanceOf(VireoException.class);
    }
}
