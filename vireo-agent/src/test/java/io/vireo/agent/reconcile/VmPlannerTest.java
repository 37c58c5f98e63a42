package io.vireo.agent.reconcile;

import static io.vireo.agent.reconcile.VmAction.CREATE;
import static io.vireo.agent.reconcile.VmAction.DELETE;
import static io.vireo.agent.reconcile.VmAction.FORGET;
import static io.vireo.agent.reconcile.VmAction.NONE;
import static io.vireo.agent.reconcile.VmAction.PAUSE;
import static io.vireo.agent.reconcile.VmAction.POLL;
import static io.vireo.agent.reconcile.VmAction.REBOOT;
import static io.vireo.agent.reconcile.VmAction.RECORD;
import static io.vireo.agent.reconcile.VmAction.RESUME;
import static io.vireo.agent.reconcile.VmAction.START;
import static io.vireo.agent.reconcile.VmAction.STOP;
import static io.vireo.model.ObservedPower.ABSENT;
import static io.vireo.model.ObservedPower.CREATING;
import static io.vireo.model.ObservedPower.FAILED;
import static io.vireo.model.ObservedPower.PAUSED;
import static io.vireo.model.ObservedPower.RUNNING;
import static io.vireo.model.ObservedPower.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.agent.testing.Vms;
import io.vireo.model.DesiredState;
import io.vireo.model.DesiredVm;
import io.vireo.model.ObservedPower;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VmPlannerTest {
    private static final UUID VM = Vms.id(1);

    /** Desired generation 2, epoch 3, reboot count 4. */
    private static DesiredVm desired(DesiredState state) {
        return Vms.desired(VM, state, 2, 3, 4);
    }

    private static VmBookkeeping applied(long generation, long rebootCount, long epoch) {
        return new VmBookkeeping(VM, generation, rebootCount, epoch);
    }

    private static final VmBookkeeping CURRENT = applied(2, 4, 3);

    static Stream<Arguments> cases() {
        return Stream.of(
                row("foreign VM is left alone", null, false, null, RUNNING, NONE, null),
                row("before the full set, managed VM is left alone", null, false, CURRENT, RUNNING, NONE, null),
                row("removed running VM is deleted", null, true, CURRENT, RUNNING, DELETE, null),
                row("removed stopped VM is deleted", null, true, null, STOPPED, DELETE, null),
                row("removed absent VM is forgotten", null, true, CURRENT, ABSENT, FORGET, null),
                row("removed absent VM without bookkeeping: done", null, true, null, ABSENT, NONE, null),
                row(
                        "deleted and running: delete",
                        desired(DesiredState.DELETED),
                        false,
                        CURRENT,
                        RUNNING,
                        DELETE,
                        CURRENT),
                row("deleted and gone: done", desired(DesiredState.DELETED), false, CURRENT, ABSENT, NONE, null),
                row("deleted, never seen: record", desired(DesiredState.DELETED), false, null, ABSENT, RECORD, CURRENT),
                row(
                        "stopped and absent: create only",
                        desired(DesiredState.STOPPED),
                        false,
                        null,
                        ABSENT,
                        CREATE,
                        CURRENT),
                row(
                        "stopped and running: stop",
                        desired(DesiredState.STOPPED),
                        false,
                        applied(1, 0, 3),
                        RUNNING,
                        STOP,
                        CURRENT),
                row("stopped and paused: stop", desired(DesiredState.STOPPED), false, CURRENT, PAUSED, STOP, CURRENT),
                row(
                        "stopped and booting: stop",
                        desired(DesiredState.STOPPED),
                        false,
                        CURRENT,
                        CREATING,
                        STOP,
                        CURRENT),
                row("stopped and stopped: done", desired(DesiredState.STOPPED), false, CURRENT, STOPPED, NONE, null),
                row("running and absent: create", desired(DesiredState.RUNNING), false, null, ABSENT, CREATE, CURRENT),
                row(
                        "running and stopped: start, which satisfies reboots",
                        desired(DesiredState.RUNNING),
                        false,
                        applied(2, 1, 3),
                        STOPPED,
                        START,
                        CURRENT),
                row("running and failed: start", desired(DesiredState.RUNNING), false, CURRENT, FAILED, START, CURRENT),
                row(
                        "running and paused: resume",
                        desired(DesiredState.RUNNING),
                        false,
                        CURRENT,
                        PAUSED,
                        RESUME,
                        CURRENT),
                row(
                        "running and booting: poll",
                        desired(DesiredState.RUNNING),
                        false,
                        CURRENT,
                        CREATING,
                        POLL,
                        CURRENT),
                row(
                        "running with a pending reboot: reboot",
                        desired(DesiredState.RUNNING),
                        false,
                        applied(2, 3, 3),
                        RUNNING,
                        REBOOT,
                        CURRENT),
                row(
                        "booting with a pending reboot: wait",
                        desired(DesiredState.RUNNING),
                        false,
                        applied(2, 3, 3),
                        CREATING,
                        POLL,
                        applied(2, 3, 3)),
                row("running and converged: done", desired(DesiredState.RUNNING), false, CURRENT, RUNNING, NONE, null),
                row(
                        "running, new generation: record",
                        desired(DesiredState.RUNNING),
                        false,
                        applied(1, 4, 3),
                        RUNNING,
                        RECORD,
                        CURRENT),
                row(
                        "adopted running VM is not rebooted",
                        desired(DesiredState.RUNNING),
                        false,
                        null,
                        RUNNING,
                        RECORD,
                        CURRENT),
                row(
                        "the higher epoch is kept",
                        desired(DesiredState.RUNNING),
                        false,
                        applied(2, 4, 9),
                        RUNNING,
                        NONE,
                        null),
                row("paused and running: pause", desired(DesiredState.PAUSED), false, CURRENT, RUNNING, PAUSE, CURRENT),
                row(
                        "paused and running, new generation: pause",
                        desired(DesiredState.PAUSED),
                        false,
                        applied(1, 4, 3),
                        RUNNING,
                        PAUSE,
                        CURRENT),
                row("paused and paused: done", desired(DesiredState.PAUSED), false, CURRENT, PAUSED, NONE, null),
                row(
                        "adopted paused VM stays paused: record",
                        desired(DesiredState.PAUSED),
                        false,
                        null,
                        PAUSED,
                        RECORD,
                        CURRENT),
                row("paused and booting: poll", desired(DesiredState.PAUSED), false, CURRENT, CREATING, POLL, CURRENT),
                row(
                        "paused and absent: create only",
                        desired(DesiredState.PAUSED),
                        false,
                        null,
                        ABSENT,
                        CREATE,
                        CURRENT),
                row(
                        "paused whose process ended: left stopped",
                        desired(DesiredState.PAUSED),
                        false,
                        CURRENT,
                        STOPPED,
                        NONE,
                        null),
                row("paused and failed: left alone", desired(DesiredState.PAUSED), false, CURRENT, FAILED, NONE, null),
                row(
                        "a pending reboot is kept while paused",
                        desired(DesiredState.PAUSED),
                        false,
                        applied(2, 3, 3),
                        RUNNING,
                        PAUSE,
                        applied(2, 3, 3)));
    }

    private static Arguments row(
            String description,
            @Nullable DesiredVm desired,
            boolean removed,
            @Nullable VmBookkeeping bookkeeping,
            ObservedPower power,
            VmAction action,
            @Nullable VmBookkeeping after) {
        return Arguments.of(description, desired, removed, bookkeeping, power, action, after);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plansTheNextStep(
            String description,
            @Nullable DesiredVm desired,
            boolean removed,
            @Nullable VmBookkeeping bookkeeping,
            ObservedPower power,
            VmAction action,
            @Nullable VmBookkeeping after) {
        VmPlan plan = VmPlanner.plan(desired, removed, bookkeeping, power);

        assertThat(plan.action()).isEqualTo(action);
        if (action != NONE) {
            assertThat(plan.bookkeepingAfter()).isEqualTo(after);
        }
    }
}
