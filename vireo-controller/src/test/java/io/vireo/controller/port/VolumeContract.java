package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.common.ErrorCode;
import io.vireo.controller.port.VolumeRepository.DeleteOutcome;
import io.vireo.model.GuestSpec;
import io.vireo.model.Host;
import io.vireo.model.PlacementConstraints;
import io.vireo.model.Vm;
import io.vireo.model.Volume;
import io.vireo.model.VolumeAttachment;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link VolumeRepository} and of the volume parts of {@link VmRepository#create} (attach) and
 * {@link ClaimRepository#releaseAndMarkDeleted} (delete or keep): a volume is attached to at most one VM.
 */
interface VolumeContract extends StoreContract {
    String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGs0Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg= a@b";

    default Volume volume(UUID projectId, String name, long sizeGib) {
        return store().volumes().create(new Volume(UUID.randomUUID(), projectId, name, T0, sizeGib, null, true, null));
    }

    default Vm vmWith(String name, GuestSpec guest) {
        return Vm.create(UUID.randomUUID(), ADMIN, name, T0, flavor(), image(), PlacementConstraints.NONE, guest);
    }

    default GuestSpec attaching(boolean deleteWithVm, Volume... volumes) {
        return new GuestSpec(
                List.of(KEY),
                "#cloud-config\n",
                List.of(volumes).stream().map(v -> v.attachment(deleteWithVm)).toList());
    }

    @Test
    default void volumesAreCreatedFoundListedAndDeletedPerProject() {
        Volume data = volume(ADMIN, "data", 10);
        Volume logs = volume(ADMIN, "logs", 1);
        Volume elsewhere = volume(OTHER_PROJECT, "data", 2);

        assertThat(store().volumes().find(data.id())).contains(data);
        assertThat(store().volumes().findByName(OTHER_PROJECT, "data")).contains(elsewhere);
        assertThat(store().volumes().list(ADMIN)).containsExactly(data, logs);
        assertError(ErrorCode.ALREADY_EXISTS, () -> volume(ADMIN, "data", 3));
        assertThat(store().volumes().delete(OTHER_PROJECT, "logs")).isEqualTo(DeleteOutcome.NOT_FOUND);
        assertThat(store().volumes().delete(ADMIN, "logs")).isEqualTo(DeleteOutcome.DELETED);
        assertThat(store().volumes().list(ADMIN)).containsExactly(data);
    }

    @Test
    default void aVmKeepsItsGuestSpecAndHoldsItsVolumes() {
        Volume data = volume(ADMIN, "data", 10);
        Volume logs = volume(ADMIN, "logs", 1);
        Vm vm = store().vms().create(vmWith("web", attaching(true, logs, data)), null);

        assertThat(reload(vm).guest()).isEqualTo(vm.guest());
        assertThat(reload(vm).guest().volumes())
                .extracting(VolumeAttachment::volumeId)
                .containsExactly(logs.id(), data.id());
        assertThat(store().volumes().find(data.id()).orElseThrow().vmId()).isEqualTo(vm.id());
        assertThat(store().volumes().delete(ADMIN, "data")).isEqualTo(DeleteOutcome.ATTACHED);
    }

    @Test
    default void aVolumeOfAnotherVmIsNotAttachedAndTheVmIsNotCreated() {
        Volume data = volume(ADMIN, "data", 10);
        Volume free = volume(ADMIN, "free", 1);
        store().vms().create(vmWith("web", attaching(true, data)), null);

        assertError(ErrorCode.CONFLICT, () -> store().vms().create(vmWith("api", attaching(true, free, data)), null));

        assertThat(store().vms().findByName(ADMIN, "api")).isEmpty();
        assertThat(store().volumes().find(free.id()).orElseThrow().vmId())
                .as("the first volume's attachment was rolled back")
                .isNull();
    }

    @Test
    default void anIdempotentRetryReturnsTheVmThatHoldsTheVolume() {
        Volume data = volume(ADMIN, "data", 10);
        Vm first = store().vms().create(vmWith("web", attaching(true, data)), StoreContract.key("key-1", "web"));

        assertThat(store().vms().create(vmWith("web", attaching(true, data)), StoreContract.key("key-1", "web")))
                .isEqualTo(first);
    }

    @Test
    default void deletingTheVmDeletesItsVolumesUnlessKept() {
        Host host = register("host-1");
        Volume scratch = volume(ADMIN, "scratch", 1);
        Volume kept = volume(ADMIN, "kept", 2);
        Vm first = store().vms().create(vmWith("web", attaching(true, scratch)), null);
        Vm second = store().vms().create(vmWith("db", attaching(false, kept)), null);
        long generation = reload(host).resourceGeneration();
        claimPlacement(second.id(), host.id(), generation, second.resources(), at(1));

        store().claims().releaseAndMarkDeleted(first.id(), at(2));
        store().claims().releaseAndMarkDeleted(second.id(), at(2));
        store().claims().releaseAndMarkDeleted(second.id(), at(3));

        assertThat(store().volumes().find(scratch.id())).isEmpty();
        Volume detached = store().volumes().find(kept.id()).orElseThrow();
        assertThat(detached.vmId()).isNull();
        assertThat(detached.hostId())
                .as("the kept volume's data stays on the VM's host")
                .isEqualTo(host.id());
        assertThat(detached.attachProblem()).isEmpty();
        assertThat(store().volumes().delete(ADMIN, "kept")).isEqualTo(DeleteOutcome.DELETED);
    }

    @Test
    default void aHostHoldingAKeptVolumesDataIsNotDeleted() {
        Host host = register("host-1");
        Volume kept = volume(ADMIN, "kept", 2);
        Vm vm = store().vms().create(vmWith("db", attaching(false, kept)), null);
        claimPlacement(vm.id(), host.id(), reload(host).resourceGeneration(), vm.resources(), at(1));
        store().claims().releaseAndMarkDeleted(vm.id(), at(2));
        store().hosts().updateState(host.id(), io.vireo.model.HostState.MAINTENANCE);

        assertThat(store().hosts().delete(host.id(), at(3)))
                .as("the volume's data would be stranded")
                .isEqualTo(new HostDeletion.Blocked(reload(host), 0, List.of(), 0, false, 1, List.of("kept")));

        assertThat(store().volumes().delete(ADMIN, "kept")).isEqualTo(DeleteOutcome.DELETED);
        assertThat(store().hosts().delete(host.id(), at(4))).isInstanceOf(HostDeletion.Deleted.class);
    }

    @Test
    default void aKeptVolumeIsAttachedAgainAndKeepsItsHostUntilAVmElsewhereReleasesIt() {
        Host first = register("host-1");
        Host second = register("host-2");
        Volume data = volume(ADMIN, "data", 2);
        Vm writer = store().vms().create(vmWith("writer", attaching(false, data)), null);
        claimPlacement(writer.id(), first.id(), reload(first).resourceGeneration(), writer.resources(), at(1));
        store().claims().releaseAndMarkDeleted(writer.id(), at(2));
        assertThat(store().volumes().find(data.id()).orElseThrow().hostId()).isEqualTo(first.id());

        Vm unplaced = store().vms().create(vmWith("unplaced", attaching(false, data)), null);
        Volume attached = store().volumes().find(data.id()).orElseThrow();
        assertThat(attached.vmId()).isEqualTo(unplaced.id());
        assertThat(attached.hostId())
                .as("attached again, its data is still where it was")
                .isEqualTo(first.id());
        assertError(ErrorCode.CONFLICT, () -> store().vms().create(vmWith("rival", attaching(false, data)), null));
        store().claims().releaseAndMarkDeleted(unplaced.id(), at(3));
        assertThat(store().volumes().find(data.id()).orElseThrow().hostId())
                .as("a VM that was never placed leaves the volume's host alone")
                .isEqualTo(first.id());

        // Should a VM holding it ever run elsewhere (live migration moves the file along), its host at deletion wins.
        Vm moved = store().vms().create(vmWith("moved", attaching(false, data)), null);
        claimPlacement(moved.id(), second.id(), reload(second).resourceGeneration(), moved.resources(), at(4));
        store().claims().releaseAndMarkDeleted(moved.id(), at(5));
        assertThat(store().volumes().find(data.id()).orElseThrow().hostId()).isEqualTo(second.id());

        Vm scratch = store().vms().create(vmWith("scratch", attaching(true, data)), null);
        store().claims().releaseAndMarkDeleted(scratch.id(), at(6));
        assertThat(store().volumes().find(data.id()))
                .as("attached without keep, it goes with the VM")
                .isEmpty();
    }

    @Test
    default void concurrentCreatesAttachAVolumeToOneVmOnly() throws Exception {
        Volume data = volume(ADMIN, "data", 10);
        int clients = 6;
        ExecutorService executor = Executors.newFixedThreadPool(clients);
        try {
            CyclicBarrier start = new CyclicBarrier(clients);
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String name = "vm-" + i;
                answers.add(executor.submit(() -> {
                    start.await();
                    try {
                        store().vms().create(vmWith(name, attaching(true, data)), null);
                        return true;
                    } catch (io.vireo.common.VireoException e) {
                        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                        return false;
                    }
                }));
            }
            int created = 0;
            for (Future<Boolean> answer : answers) {
                created += answer.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
            UUID holder = java.util.Objects.requireNonNull(
                    store().volumes().find(data.id()).orElseThrow().vmId(), "holder");
            assertThat(store().vms().find(holder).orElseThrow().guest().volumes())
                    .extracting(VolumeAttachment::volumeId)
                    .containsExactly(data.id());
        } finally {
            executor.shutdownNow();
        }
    }
}
