package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.common.ErrorCode;
import io.vireo.model.Host;
import io.vireo.model.PlacementConstraints;
import io.vireo.model.ServerGroup;
import io.vireo.model.ServerGroupPolicy;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The contract of {@link ServerGroupRepository}, and of the claim path's server-group rules. */
interface ServerGroupContract extends StoreContract {

    default ServerGroup group(UUID projectId, String name, ServerGroupPolicy policy, int maxPerHost) {
        return store().serverGroups()
                .create(new ServerGroup(UUID.randomUUID(), projectId, name, T0, policy, maxPerHost));
    }

    default Vm member(String name, ServerGroup group) {
        PlacementConstraints constraints = new PlacementConstraints(group.id(), null, Set.of(), Set.of(), null);
        return store().vms()
                .create(
                        Vm.create(UUID.randomUUID(), group.projectId(), name, T0, flavor(), image(), constraints),
                        null);
    }

    default ClaimResult claim(Vm vm, Host host) {
        return claimPlacement(vm.id(), host.id(), reload(host).resourceGeneration(), vm.resources(), at(2));
    }

    @Test
    default void aGroupIsFoundByIdAndByNameWithinItsProject() {
        ServerGroup group = group(ADMIN, "web", ServerGroupPolicy.ANTI_AFFINITY, 2);
        group(ADMIN, "db", ServerGroupPolicy.AFFINITY, 1);
        group(OTHER_PROJECT, "web", ServerGroupPolicy.SOFT_AFFINITY, 1);

        assertThat(store().serverGroups().find(group.id())).contains(group);
        assertThat(store().serverGroups().findByName(ADMIN, "web")).contains(group);
        assertThat(store().serverGroups().findByName(ADMIN, "nope")).isEmpty();
        assertThat(store().serverGroups().list(ADMIN))
                .extracting(ServerGroup::name)
                .containsExactly("db", "web");
        assertThat(store().serverGroups().list(OTHER_PROJECT))
                .extracting(ServerGroup::policy)
                .containsExactly(ServerGroupPolicy.SOFT_AFFINITY);
    }

    @Test
    default void aGroupNameIsUniqueInItsProject() {
        group(ADMIN, "web", ServerGroupPolicy.ANTI_AFFINITY, 1);

        assertError(ErrorCode.ALREADY_EXISTS, () -> group(ADMIN, "web", ServerGroupPolicy.AFFINITY, 1));
        assertThat(store().serverGroups().list(ADMIN)).hasSize(1);
    }

    @Test
    default void aVmKeepsItsConstraintsAndIsAMemberUntilDeleted() {
        ServerGroup group = group(ADMIN, "web", ServerGroupPolicy.ANTI_AFFINITY, 1);
        PlacementConstraints constraints = new PlacementConstraints(
                group.id(), "zone-a", Set.of("cpu.avx2", "gpu"), Set.of("storage.ssd"), UUID.randomUUID());
        Vm vm = store().vms()
                .create(Vm.create(UUID.randomUUID(), ADMIN, "web-1", T0, flavor(), image(), constraints), null);
        Vm other = member("web-2", group);

        assertThat(reload(vm).constraints()).isEqualTo(constraints);
        assertThat(store().serverGroups().members(group.id())).containsExactly(reload(vm), reload(other));

        store().claims().releaseAndMarkDeleted(vm.id(), at(3));

        assertThat(store().serverGroups().members(group.id())).containsExactly(reload(other));
    }

    @Test
    default void aVmCannotJoinAGroupThatDoesNotExist() {
        PlacementConstraints constraints = new PlacementConstraints(UUID.randomUUID(), null, Set.of(), Set.of(), null);

        assertError(
                ErrorCode.NOT_FOUND,
                () -> store().vms()
                        .create(Vm.create(UUID.randomUUID(), ADMIN, "lost", T0, flavor(), image(), constraints), null));
        assertThat(store().vms().findByName(ADMIN, "lost")).isEmpty();
    }

    @Test
    default void aGroupWithLiveMembersCannotBeDeleted() {
        ServerGroup group = group(ADMIN, "web", ServerGroupPolicy.ANTI_AFFINITY, 1);
        Vm vm = member("web-1", group);

        assertError(ErrorCode.CONFLICT, () -> store().serverGroups().delete(group.id()));
        assertThat(store().serverGroups().find(group.id())).contains(group);

        store().claims().releaseAndMarkDeleted(vm.id(), at(3));

        assertThat(store().serverGroups().delete(group.id())).isTrue();
        assertThat(store().serverGroups().find(group.id())).isEmpty();
        assertThat(store().serverGroups().delete(group.id())).isFalse();
        assertThat(reload(vm).state()).isEqualTo(VmState.DELETED);
    }

    @Test
    default void antiAffinityAllowsAtMostMaxPerHostMembersOnAHost() {
        Host hostA = register("host-a");
        Host hostB = register("host-b");
        ServerGroup group = group(ADMIN, "web", ServerGroupPolicy.ANTI_AFFINITY, 2);
        Vm first = member("web-1", group);
        Vm second = member("web-2", group);
        Vm third = member("web-3", group);

        assertThat(claim(first, hostA)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(claim(second, hostA)).isInstanceOf(ClaimResult.Claimed.class);
        Host full = reload(hostA);
        assertThat(claim(third, hostA)).isInstanceOf(ClaimResult.GroupRuleBroken.class);

        assertThat(reload(hostA)).isEqualTo(full);
        assertThat(reload(third)).isEqualTo(third);
        assertThat(claim(third, hostB)).isInstanceOf(ClaimResult.Claimed.class);
    }

    @Test
    default void aDeletedMemberFreesItsPlaceUnderAntiAffinity() {
        Host host = register("host-a");
        ServerGroup group = group(ADMIN, "web", ServerGroupPolicy.ANTI_AFFINITY, 1);
        Vm first = member("web-1", group);
        Vm second = member("web-2", group);
        assertThat(claim(first, host)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(claim(second, host)).isInstanceOf(ClaimResult.GroupRuleBroken.class);

        store().claims().releaseAndMarkDeleted(first.id(), at(3));

        assertThat(claim(second, host)).isInstanceOf(ClaimResult.Claimed.class);
    }

    @Test
    default void affinityKeepsEveryMemberOnTheFirstMembersHost() {
        Host hostA = register("host-a");
        Host hostB = register("host-b");
        ServerGroup group = group(ADMIN, "db", ServerGroupPolicy.AFFINITY, 1);
        Vm first = member("db-1", group);
        Vm second = member("db-2", group);
        Vm third = member("db-3", group);

        assertThat(claim(first, hostB)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(claim(second, hostA)).isInstanceOf(ClaimResult.GroupRuleBroken.class);
        assertThat(claim(second, hostB)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(claim(third, hostB)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(reload(hostA).allocated()).isEqualTo(io.vireo.model.Resources.ZERO);
    }

    @Test
    default void softPoliciesNeverRefuseAClaim() {
        Host host = register("host-a");
        Host other = register("host-b");
        ServerGroup spread = group(ADMIN, "spread", ServerGroupPolicy.SOFT_ANTI_AFFINITY, 1);
        ServerGroup together = group(ADMIN, "together", ServerGroupPolicy.SOFT_AFFINITY, 1);

        assertThat(claim(member("spread-1", spread), host)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(claim(member("spread-2", spread), host)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(claim(member("together-1", together), host)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(claim(member("together-2", together), other)).isInstanceOf(ClaimResult.Claimed.class);
    }

    @Test
    default void aGroupRuleDoesNotHideAVmThatIsGone() {
        Host host = register("host-a");
        ServerGroup group = group(ADMIN, "web", ServerGroupPolicy.ANTI_AFFINITY, 1);
        Vm first = member("web-1", group);
        Vm second = member("web-2", group);
        assertThat(claim(first, host)).isInstanceOf(ClaimResult.Claimed.class);
        store().claims().releaseAndMarkDeleted(second.id(), at(3));

        assertThat(claim(second, host)).isInstanceOf(ClaimResult.VmChanged.class);
    }

    @Test
    default void concurrentClaimsNeverBreakAntiAffinity() throws Exception {
        new GroupClaimRace(store(), flavor(), image(), GroupClaimRace.SEED).run();
    }
}
