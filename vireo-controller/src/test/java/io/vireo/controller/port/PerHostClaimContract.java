package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.model.Host;
import io.vireo.model.Resources;
import io.vireo.model.ServerGroup;
import io.vireo.model.ServerGroupPolicy;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Per-host claims: one request, each host claimed or refused on its own — a stale host, a host without room, a VM
 * gone or a group's rule refuses that host's VMs only, and the others are claimed and returned as written.
 */
interface PerHostClaimContract extends ServerGroupContract {

    /** Each VM on the host of the same index, expecting the generation of the host as given. */
    default ClaimResult claimPerHost(List<Vm> vms, List<Host> hosts) {
        ClaimRequest.Builder request = ClaimRequest.perHost(at(3));
        for (int i = 0; i < vms.size(); i++) {
            Host host = hosts.get(i);
            request.add(new VmTransition.Place(vms.get(i).id(), host.id(), SMALL), host.resourceGeneration());
        }
        return store().claims().claim(request.build());
    }

    default void assertPlacedOn(Host host, Vm... vms) {
        for (Vm vm : vms) {
            Vm now = reload(vm);
            assertThat(now.hostId()).as(vm.name()).isEqualTo(host.id());
            assertThat(now.state()).as(vm.name()).isEqualTo(VmState.SCHEDULED);
        }
    }

    default void assertPending(Vm... vms) {
        for (Vm vm : vms) {
            assertThat(reload(vm)).as(vm.name()).isEqualTo(vm);
        }
    }

    @Test
    default void aStaleHostRefusesItsVmsAndTheOtherHostsAreClaimed() {
        Host a = register("host-a");
        Host staleB = register("host-b");
        Host c = register("host-c");
        placedVm("other", staleB);
        Host b = reload(staleB);
        Vm a1 = createVm("a1");
        Vm a2 = createVm("a2");
        Vm b1 = createVm("b1");
        Vm c1 = createVm("c1");

        ClaimResult result = claimPerHost(List.of(a1, b1, a2, c1), List.of(a, staleB, a, c));

        assertThat(result)
                .as("the hosts claimed as written, in request order, and why the other was not")
                .isEqualTo(new ClaimResult.PerHost(
                        List.of(reload(a), reload(c)), Map.of(b.id(), new ClaimResult.HostChanged(b.id()))));
        assertThat(reload(a).allocated()).isEqualTo(SMALL.plus(SMALL));
        assertThat(reload(a).resourceGeneration()).isEqualTo(a.resourceGeneration() + 1);
        assertThat(reload(c).allocated()).isEqualTo(SMALL);
        assertThat(reload(b)).as("the stale host is untouched").isEqualTo(b);
        assertPlacedOn(a, a1, a2);
        assertPlacedOn(c, c1);
        assertPending(b1);
        assertThat(result.claimedHosts()).containsExactly(reload(a), reload(c));
    }

    @Test
    default void aPerHostRequestWhoseHostsAllFitIsClaimedWhole() {
        Host a = register("host-a");
        Host b = register("host-b");
        Vm a1 = createVm("a1");
        Vm b1 = createVm("b1");
        Vm b2 = createVm("b2");

        ClaimResult result = claimPerHost(List.of(b1, a1, b2), List.of(b, a, b));

        assertThat(result).isEqualTo(new ClaimResult.Claimed(List.of(reload(b), reload(a))));
        assertThat(reload(b).allocated()).isEqualTo(SMALL.plus(SMALL));
        assertPlacedOn(a, a1);
        assertPlacedOn(b, b1, b2);
    }

    @Test
    default void aHostWithoutRoomForAllItsVmsRefusesThemAll() {
        Host roomy = register("host-a");
        Host nearlyFull = register("host-b");
        for (int i = 0; i < HOST_CAPACITY.vcpus() - 1; i++) {
            placedVm("filler-" + i, nearlyFull);
        }
        Host full = reload(nearlyFull);
        Vm a1 = createVm("a1");
        Vm b1 = createVm("b1");
        Vm b2 = createVm("b2");

        ClaimResult result = claimPerHost(List.of(a1, b1, b2), List.of(roomy, full, full));

        assertThat(result)
                .isEqualTo(new ClaimResult.PerHost(
                        List.of(reload(roomy)), Map.of(full.id(), new ClaimResult.HostChanged(full.id()))));
        assertThat(reload(full)).isEqualTo(full);
        assertPlacedOn(roomy, a1);
        assertPending(b1, b2);
    }

    @Test
    default void aVmGoneRefusesOnlyItsHost() {
        Host a = register("host-a");
        Host b = register("host-b");
        Vm a1 = createVm("a1");
        Vm b1 = createVm("b1");
        Vm gone = createVm("gone");
        store().claims().releaseAndMarkDeleted(gone.id(), at(1));

        ClaimResult result = claimPerHost(List.of(a1, b1, gone), List.of(a, b, b));

        assertThat(result)
                .isEqualTo(new ClaimResult.PerHost(
                        List.of(reload(a)), Map.of(b.id(), new ClaimResult.VmChanged(gone.id()))));
        assertThat(reload(b)).isEqualTo(b);
        assertPlacedOn(a, a1);
        assertPending(b1);
    }

    @Test
    default void aGroupsRuleRefusesOnlyTheHostsThatWouldBreakIt() {
        Host a = register("host-a");
        Host b = register("host-b");
        Host c = register("host-c");
        ServerGroup group = group(ADMIN, "web", ServerGroupPolicy.ANTI_AFFINITY, 1);
        assertThat(claim(member("web-0", group), b)).isInstanceOf(ClaimResult.Claimed.class);
        Vm onA = member("web-1", group);
        Vm onB = member("web-2", group);
        Vm firstOnC = member("web-3", group);
        Vm secondOnC = member("web-4", group);
        Vm loner = createVm("loner");
        List<Host> fresh = List.of(reload(a), reload(b), reload(c));

        ClaimResult result = claimPerHost(
                List.of(onA, onB, firstOnC, secondOnC, loner),
                List.of(fresh.get(0), fresh.get(1), fresh.get(2), fresh.get(2), fresh.get(1)));

        assertThat(result)
                .isEqualTo(new ClaimResult.PerHost(
                        List.of(reload(a)),
                        Map.of(
                                b.id(), new ClaimResult.GroupRuleBroken(group.id(), b.id()),
                                c.id(), new ClaimResult.GroupRuleBroken(group.id(), c.id()))));
        assertPlacedOn(a, onA);
        assertPending(onB, firstOnC, secondOnC, loner);
        assertThat(reload(b)).as("a member was there already").isEqualTo(fresh.get(1));
        assertThat(reload(c)).as("two members at once").isEqualTo(fresh.get(2));
    }

    @Test
    default void aHostCountsTheMembersThatEarlierHostsOfTheRequestPlaced() {
        Host a = register("host-a");
        Host b = register("host-b");
        ServerGroup together = group(ADMIN, "db", ServerGroupPolicy.AFFINITY, 1);
        Vm first = member("db-1", together);
        Vm second = member("db-2", together);

        ClaimResult result = claimPerHost(List.of(first, second), List.of(a, b));

        assertThat(result).isInstanceOfSatisfying(ClaimResult.PerHost.class, perHost -> {
            assertThat(perHost.claimed()).as("whichever host came first").hasSize(1);
            assertThat(perHost.refused().values()).singleElement().isInstanceOf(ClaimResult.GroupRuleBroken.class);
        });
        List<Vm> placed = store().serverGroups().members(together.id()).stream()
                .filter(vm -> vm.hostId() != null)
                .toList();
        assertThat(placed).hasSize(1);
        Resources allocated = reload(a).allocated().plus(reload(b).allocated());
        assertThat(allocated).isEqualTo(SMALL);
    }
}
