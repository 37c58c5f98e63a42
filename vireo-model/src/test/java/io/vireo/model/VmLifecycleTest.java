package io.vireo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VmLifecycleTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final UUID HOST = UUID.fromString("00000000-0000-4000-8000-0000000000aa");

    static Vm vm(DesiredState desired, @Nullable UUID host, VmState state, long reboots) {
        Vm base = Vm.create(
                UUID.fromString("00000000-0000-4000-8000-000000000001"),
                Project.ADMIN_ID,
                "web1",
                NOW,
                new Flavor(UUID.randomUUID(), "small", NOW, new Resources(1, 512, 5)),
                new Image(UUID.randomUUID(), Project.ADMIN_ID, "img", NOW, ImageFormat.QCOW2, 0));
        return new Vm(
                base.id(),
                base.projectId(),
                base.name(),
                NOW,
                base.flavorId(),
                base.imageId(),
                base.resources(),
                3,
                desired,
                reboots,
                host,
                1,
                state,
                null,
                0,
                null,
                NOW,
                PlacementConstraints.NONE,
                GuestSpec.NONE,
                HaPolicy.DEFAULT);
    }

    static ObservedVm seen(ObservedPower power, long reboots) {
        return new ObservedVm(
                UUID.fromString("00000000-0000-4000-8000-000000000001"), power, 3, reboots, 1, null, "boom");
    }

    static Stream<Arguments> derivations() {
        return Stream.of(
                // desired, host, current, observed, expected
                Arguments.of(DesiredState.RUNNING, null, VmState.PENDING, null, VmState.PENDING),
                Arguments.of(DesiredState.RUNNING, null, VmState.ERROR, null, VmState.ERROR),
                Arguments.of(DesiredState.RUNNING, HOST, VmState.PENDING, null, VmState.SCHEDULED),
                Arguments.of(DesiredState.RUNNING, HOST, VmState.RUNNING, null, VmState.RUNNING),
                Arguments.of(
                        DesiredState.RUNNING, HOST, VmState.SCHEDULED, seen(ObservedPower.ABSENT, 0), VmState.STARTING),
                Arguments.of(
                        DesiredState.RUNNING,
                        HOST,
                        VmState.STARTING,
                        seen(ObservedPower.CREATING, 0),
                        VmState.STARTING),
                Arguments.of(
                        DesiredState.RUNNING, HOST, VmState.STARTING, seen(ObservedPower.RUNNING, 0), VmState.RUNNING),
                Arguments.of(
                        DesiredState.RUNNING, HOST, VmState.RUNNING, seen(ObservedPower.PAUSED, 0), VmState.PAUSED),
                Arguments.of(
                        DesiredState.RUNNING, HOST, VmState.STOPPED, seen(ObservedPower.STOPPED, 0), VmState.STARTING),
                Arguments.of(DesiredState.RUNNING, HOST, VmState.RUNNING, seen(ObservedPower.FAILED, 0), VmState.ERROR),
                Arguments.of(
                        DesiredState.STOPPED, HOST, VmState.RUNNING, seen(ObservedPower.RUNNING, 0), VmState.STOPPING),
                Arguments.of(
                        DesiredState.STOPPED, HOST, VmState.STOPPING, seen(ObservedPower.STOPPED, 0), VmState.STOPPED),
                Arguments.of(
                        DesiredState.STOPPED, HOST, VmState.STOPPING, seen(ObservedPower.ABSENT, 0), VmState.STOPPED),
                Arguments.of(
                        DesiredState.DELETED, HOST, VmState.DELETING, seen(ObservedPower.RUNNING, 0), VmState.DELETING),
                Arguments.of(
                        DesiredState.DELETED, HOST, VmState.DELETING, seen(ObservedPower.ABSENT, 0), VmState.DELETED),
                Arguments.of(DesiredState.DELETED, null, VmState.PENDING, null, VmState.DELETED),
                // paused: RUNNING until the agent has paused it; a paused VM whose process ended is STOPPED
                Arguments.of(
                        DesiredState.PAUSED, HOST, VmState.RUNNING, seen(ObservedPower.RUNNING, 0), VmState.RUNNING),
                Arguments.of(DesiredState.PAUSED, HOST, VmState.RUNNING, seen(ObservedPower.PAUSED, 0), VmState.PAUSED),
                Arguments.of(
                        DesiredState.PAUSED, HOST, VmState.PAUSED, seen(ObservedPower.CREATING, 0), VmState.STARTING),
                Arguments.of(
                        DesiredState.PAUSED, HOST, VmState.PAUSED, seen(ObservedPower.STOPPED, 0), VmState.STOPPED),
                Arguments.of(DesiredState.PAUSED, HOST, VmState.PAUSED, seen(ObservedPower.ABSENT, 0), VmState.STOPPED),
                Arguments.of(DesiredState.PAUSED, HOST, VmState.PAUSED, seen(ObservedPower.FAILED, 0), VmState.ERROR),
                Arguments.of(DesiredState.PAUSED, HOST, VmState.PAUSED, null, VmState.PAUSED),
                Arguments.of(
                        DesiredState.STOPPED, HOST, VmState.PAUSED, seen(ObservedPower.PAUSED, 0), VmState.STOPPING),
                Arguments.of(
                        DesiredState.DELETED, HOST, VmState.PAUSED, seen(ObservedPower.PAUSED, 0), VmState.DELETING));
    }

    @ParameterizedTest
    @MethodSource("derivations")
    void derivesStateFromSpecPlacementAndReport(
            DesiredState desired, @Nullable UUID host, VmState current, @Nullable ObservedVm observed, VmState want) {
        assertThat(VmLifecycle.derive(vm(desired, host, current, 0), observed).state())
                .isEqualTo(want);
    }

    @ParameterizedTest
    @MethodSource("derivations")
    void reasonsAreGivenForErrorsAndForAPausedGuestThatEnded(
            DesiredState desired, @Nullable UUID host, VmState current, @Nullable ObservedVm observed, VmState want) {
        VmLifecycle.Status status = VmLifecycle.derive(vm(desired, host, current, 0), observed);
        if (observed != null && observed.power() == ObservedPower.FAILED) {
            assertThat(status.reason()).isEqualTo("boom");
        } else if (desired == DesiredState.PAUSED && host != null && status.state() == VmState.STOPPED) {
            assertThat(status.reason()).isEqualTo(VmLifecycle.PAUSED_GUEST_ENDED);
        } else {
            assertThat(status.reason()).isNull();
        }
    }

    @org.junit.jupiter.api.Test
    void pendingRebootShowsRebootingUntilTheAgentCatchesUp() {
        Vm vm = vm(DesiredState.RUNNING, HOST, VmState.RUNNING, 2);
        assertThat(VmLifecycle.derive(vm, seen(ObservedPower.RUNNING, 1)).state())
                .isEqualTo(VmState.REBOOTING);
        assertThat(VmLifecycle.derive(vm, seen(ObservedPower.RUNNING, 2)).state())
                .isEqualTo(VmState.RUNNING);
    }

    static Stream<Arguments> actions() {
        return Stream.of(
                // desired, host, current, action, expected desired, expected state (null = conflict)
                Arguments.of(
                        DesiredState.RUNNING,
                        HOST,
                        VmState.RUNNING,
                        VmAction.STOP,
                        DesiredState.STOPPED,
                        VmState.RUNNING),
                Arguments.of(
                        DesiredState.STOPPED,
                        HOST,
                        VmState.STOPPED,
                        VmAction.START,
                        DesiredState.RUNNING,
                        VmState.STOPPED),
                Arguments.of(
                        DesiredState.RUNNING,
                        HOST,
                        VmState.RUNNING,
                        VmAction.START,
                        DesiredState.RUNNING,
                        VmState.RUNNING),
                Arguments.of(
                        DesiredState.RUNNING,
                        null,
                        VmState.ERROR,
                        VmAction.START,
                        DesiredState.RUNNING,
                        VmState.PENDING),
                Arguments.of(
                        DesiredState.RUNNING,
                        HOST,
                        VmState.RUNNING,
                        VmAction.DELETE,
                        DesiredState.DELETED,
                        VmState.DELETING),
                Arguments.of(
                        DesiredState.RUNNING,
                        null,
                        VmState.PENDING,
                        VmAction.DELETE,
                        DesiredState.DELETED,
                        VmState.DELETED),
                Arguments.of(DesiredState.RUNNING, null, VmState.PENDING, VmAction.STOP, null, null),
                Arguments.of(DesiredState.STOPPED, HOST, VmState.STOPPED, VmAction.REBOOT, null, null),
                Arguments.of(DesiredState.RUNNING, HOST, VmState.STARTING, VmAction.REBOOT, null, null),
                Arguments.of(DesiredState.DELETED, HOST, VmState.DELETING, VmAction.START, null, null),
                Arguments.of(
                        DesiredState.DELETED,
                        HOST,
                        VmState.DELETING,
                        VmAction.DELETE,
                        DesiredState.DELETED,
                        VmState.DELETING),
                // pause and resume
                Arguments.of(
                        DesiredState.RUNNING,
                        HOST,
                        VmState.RUNNING,
                        VmAction.PAUSE,
                        DesiredState.PAUSED,
                        VmState.RUNNING),
                Arguments.of(
                        DesiredState.RUNNING,
                        HOST,
                        VmState.PAUSED,
                        VmAction.PAUSE,
                        DesiredState.PAUSED,
                        VmState.PAUSED),
                Arguments.of(
                        DesiredState.PAUSED, HOST, VmState.PAUSED, VmAction.PAUSE, DesiredState.PAUSED, VmState.PAUSED),
                Arguments.of(DesiredState.RUNNING, HOST, VmState.STARTING, VmAction.PAUSE, null, null),
                Arguments.of(DesiredState.RUNNING, HOST, VmState.REBOOTING, VmAction.PAUSE, null, null),
                Arguments.of(DesiredState.STOPPED, HOST, VmState.STOPPED, VmAction.PAUSE, null, null),
                Arguments.of(DesiredState.STOPPED, HOST, VmState.STOPPING, VmAction.PAUSE, null, null),
                Arguments.of(DesiredState.RUNNING, null, VmState.PENDING, VmAction.PAUSE, null, null),
                Arguments.of(DesiredState.DELETED, HOST, VmState.DELETING, VmAction.PAUSE, null, null),
                Arguments.of(
                        DesiredState.PAUSED,
                        HOST,
                        VmState.PAUSED,
                        VmAction.RESUME,
                        DesiredState.RUNNING,
                        VmState.PAUSED),
                Arguments.of(
                        DesiredState.RUNNING,
                        HOST,
                        VmState.RUNNING,
                        VmAction.RESUME,
                        DesiredState.RUNNING,
                        VmState.RUNNING),
                Arguments.of(DesiredState.STOPPED, HOST, VmState.STOPPED, VmAction.RESUME, null, null),
                Arguments.of(DesiredState.DELETED, HOST, VmState.DELETING, VmAction.RESUME, null, null),
                // what other actions do to a paused VM
                Arguments.of(
                        DesiredState.PAUSED, HOST, VmState.PAUSED, VmAction.STOP, DesiredState.STOPPED, VmState.PAUSED),
                Arguments.of(
                        DesiredState.PAUSED,
                        HOST,
                        VmState.PAUSED,
                        VmAction.DELETE,
                        DesiredState.DELETED,
                        VmState.DELETING),
                Arguments.of(DesiredState.PAUSED, HOST, VmState.PAUSED, VmAction.START, null, null),
                Arguments.of(DesiredState.PAUSED, HOST, VmState.RUNNING, VmAction.START, null, null),
                Arguments.of(DesiredState.PAUSED, HOST, VmState.PAUSED, VmAction.REBOOT, null, null),
                Arguments.of(
                        DesiredState.PAUSED,
                        HOST,
                        VmState.STOPPED,
                        VmAction.START,
                        DesiredState.RUNNING,
                        VmState.STOPPED));
    }

    @ParameterizedTest
    @MethodSource("actions")
    void appliesOrRefusesActions(
            DesiredState desired,
            @Nullable UUID host,
            VmState current,
            VmAction action,
            @Nullable DesiredState wantDesired,
            @Nullable VmState wantState) {
        Vm vm = vm(desired, host, current, 0);
        if (wantDesired == null) {
            assertThatThrownBy(() -> VmLifecycle.apply(vm, action, NOW))
                    .isInstanceOfSatisfying(
                            VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
            return;
        }
        Vm next = VmLifecycle.apply(vm, action, NOW);
        assertThat(next.desiredState()).isEqualTo(wantDesired);
        assertThat(next.state()).isEqualTo(wantState);
        assertThat(next.generation()).isEqualTo(vm.generation() + 1);
    }

    @org.junit.jupiter.api.Test
    void refusalsOfAPausedVmSayToResume() {
        Vm vm = vm(DesiredState.PAUSED, HOST, VmState.PAUSED, 0);
        assertThatThrownBy(() -> VmLifecycle.apply(vm, VmAction.START, NOW)).hasMessageContaining("resume");
        assertThatThrownBy(() -> VmLifecycle.apply(vm, VmAction.REBOOT, NOW)).hasMessageContaining("resume");
    }

    @org.junit.jupiter.api.Test
    void rebootCountsUp() {
        Vm vm = vm(DesiredState.RUNNING, HOST, VmState.RUNNING, 4);
        assertThat(VmLifecycle.apply(vm, VmAction.REBOOT, NOW).rebootCount()).isEqualTo(5);
    }
}
