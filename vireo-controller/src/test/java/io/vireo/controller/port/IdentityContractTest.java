package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.model.ApiToken;
import io.vireo.model.DesiredState;
import io.vireo.model.Flavor;
import io.vireo.model.Image;
import io.vireo.model.ImageFormat;
import io.vireo.model.PlacementConstraints;
import io.vireo.model.Project;
import io.vireo.model.ProjectQuota;
import io.vireo.model.QuotaResource;
import io.vireo.model.Resources;
import io.vireo.model.Role;
import io.vireo.model.ServerGroup;
import io.vireo.model.ServerGroupPolicy;
import io.vireo.model.User;
import io.vireo.model.UserKind;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import io.vireo.model.Volume;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store's projects, users and tokens must do; a subclass supplies a fresh store per test whose identity
 * part holds only the admin project (and, where the store seeds it, the built-in admin user).
 */
public abstract class IdentityContractTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant EXPIRY = T0.plus(Duration.ofDays(1));

    private IdentityRepositories identity;
    private Repositories store;
    private Project team;

    /** A fresh store. */
    protected abstract Repositories newRepositories();

    /** The identity part of the store {@link #newRepositories()} returned last. */
    protected abstract IdentityRepositories identity();

    @BeforeEach
    void setUpStore() {
        store = newRepositories();
        identity = identity();
        team = identity.projects().create(new Project(UUID.randomUUID(), "team", T0));
    }

    @Test
    void projectsAreFoundByIdAndNameAndListedByName() {
        Project alpha = identity.projects().create(new Project(UUID.randomUUID(), "alpha", T0));

        assertThat(identity.projects().find(alpha.id())).contains(alpha);
        assertThat(identity.projects().findByName("team")).contains(team);
        assertThat(identity.projects().list()).extracting(Project::name).containsExactly("admin", "alpha", "team");
        assertThat(identity.projects().find(Project.ADMIN_ID))
                .map(Project::name)
                .contains(Project.ADMIN_NAME);
    }

    @Test
    void aProjectNameIsTakenOnce() {
        assertThatThrownBy(() -> identity.projects().create(new Project(UUID.randomUUID(), "team", T0)))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
    }

    @Test
    void anEmptyProjectIsDeletedAndAnUnknownOneIsNotFound() {
        assertThat(identity.projects().delete(team.id())).isEqualTo(ProjectRepository.Deletion.DELETED);
        assertThat(identity.projects().find(team.id())).isEmpty();
        assertThat(identity.projects().delete(team.id())).isEqualTo(ProjectRepository.Deletion.NOT_FOUND);
    }

    @Test
    void aProjectWithUsersOrObjectsIsNotDeleted() {
        User user = person("ann", team.id(), Role.MEMBER);
        assertThat(identity.projects().delete(team.id())).isEqualTo(ProjectRepository.Deletion.IN_USE);
        identity.users().delete(user.id());

        Volume volume =
                store.volumes().create(new Volume(UUID.randomUUID(), team.id(), "data", T0, 1, null, true, null));
        assertThat(identity.projects().delete(team.id())).isEqualTo(ProjectRepository.Deletion.IN_USE);
        store.volumes().delete(team.id(), volume.name());

        store.images().create(new Image(UUID.randomUUID(), team.id(), "disk", T0, ImageFormat.KERNEL_INITRD, 0));
        assertThat(identity.projects().delete(team.id())).isEqualTo(ProjectRepository.Deletion.IN_USE);
        store.images().delete(team.id(), "disk");

        ServerGroup group = store.serverGroups()
                .create(new ServerGroup(UUID.randomUUID(), team.id(), "web", T0, ServerGroupPolicy.AFFINITY, 1));
        assertThat(identity.projects().delete(team.id())).isEqualTo(ProjectRepository.Deletion.IN_USE);
        store.serverGroups().delete(group.id());

        assertThat(identity.projects().delete(team.id())).isEqualTo(ProjectRepository.Deletion.DELETED);
    }

    @Test
    void usersAreFoundListedAndKeepTheirPasswordHash() {
        User ann = person("ann", team.id(), Role.PROJECT_ADMIN);
        User bot = identity.users()
                .create(new User(UUID.randomUUID(), "bot", team.id(), Role.READER, UserKind.SERVICE_ACCOUNT, T0), null);

        assertThat(identity.users().find(ann.id())).contains(ann);
        assertThat(identity.users().findByName("bot")).contains(bot);
        assertThat(identity.users().list(team.id())).containsExactly(ann, bot);
        assertThat(identity.users().list(null)).contains(ann, bot);
        assertThat(identity.users().passwordHash(ann.id())).contains("hash-of-ann");
        assertThat(identity.users().passwordHash(bot.id())).isEmpty();

        assertThat(identity.users().setPasswordHash(ann.id(), "new")).isTrue();
        assertThat(identity.users().passwordHash(ann.id())).contains("new");
        assertThat(identity.users().setPasswordHash(bot.id(), "new")).isFalse();
        assertThat(identity.users().passwordHash(bot.id())).isEmpty();
        assertThat(identity.users().setPasswordHash(UUID.randomUUID(), "x")).isFalse();
    }

    @Test
    void aUserNameIsTakenOnceAcrossProjects() {
        person("ann", team.id(), Role.MEMBER);

        assertThatThrownBy(() -> person("ann", Project.ADMIN_ID, Role.MEMBER))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
    }

    @Test
    void aUserOfAnUnknownProjectIsRefused() {
        assertThatThrownBy(() -> person("ann", UUID.randomUUID(), Role.MEMBER))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void tokensAreFoundByIdAndHashAndListedByUserAndProject() {
        User ann = person("ann", team.id(), Role.MEMBER);
        User bob = person("bob", team.id(), Role.READER);
        User root = person("root", Project.ADMIN_ID, Role.ADMIN);
        ApiToken first = token(ann, 1, T0);
        ApiToken second = token(bob, 2, T0.plusSeconds(1));
        ApiToken third = token(root, 3, T0.plusSeconds(2));

        assertThat(identity.tokens().find(first.id())).contains(first);
        assertThat(identity.tokens().findBySha256(sha(2))).contains(second);
        assertThat(identity.tokens().findBySha256(sha(9))).isEmpty();
        assertThat(identity.tokens().list(null, ann.id())).containsExactly(first);
        assertThat(identity.tokens().list(team.id(), null)).containsExactly(first, second);
        assertThat(identity.tokens().list(null, null)).containsSubsequence(first, second, third);
    }

    @Test
    void aRevokedTokenStaysRevokedAtItsFirstRevocation() {
        ApiToken token = token(person("ann", team.id(), Role.MEMBER), 1, T0);

        assertThat(identity.tokens().revoke(token.id(), T0.plusSeconds(5))).isTrue();
        assertThat(identity.tokens().revoke(token.id(), T0.plusSeconds(9))).isTrue();

        ApiToken revoked = identity.tokens().findBySha256(sha(1)).orElseThrow();
        assertThat(revoked.revokedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(revoked.validAt(T0.plusSeconds(6))).isFalse();
        assertThat(identity.tokens().revoke(UUID.randomUUID(), T0)).isFalse();
    }

    @Test
    void deletingAUserDeletesTheirTokens() {
        User ann = person("ann", team.id(), Role.MEMBER);
        ApiToken token = token(ann, 1, T0);

        assertThat(identity.users().delete(ann.id())).isTrue();

        assertThat(identity.users().find(ann.id())).isEmpty();
        assertThat(identity.tokens().find(token.id())).isEmpty();
        assertThat(identity.tokens().findBySha256(sha(1))).isEmpty();
        assertThat(identity.users().delete(ann.id())).isFalse();
    }

    @Test
    void aTokenIsDeletedOnceAndExpiredOnesArePurged() {
        User ann = person("ann", team.id(), Role.MEMBER);
        ApiToken kept = token(ann, 1, T0);
        ApiToken old = identity.tokens()
                .create(new ApiToken(UUID.randomUUID(), ann.id(), sha(2), "", T0, T0.plusSeconds(60), null));
        ApiToken deleted = token(ann, 3, T0);

        assertThat(identity.tokens().delete(deleted.id())).isTrue();
        assertThat(identity.tokens().delete(deleted.id())).isFalse();
        assertThat(identity.tokens().deleteExpired(T0.plusSeconds(61))).isEqualTo(1);

        assertThat(identity.tokens().list(null, ann.id())).containsExactly(kept);
        assertThat(identity.tokens().find(old.id())).isEmpty();
    }

    @Test
    void aTokenOfAnUnknownUserIsRefused() {
        assertThatThrownBy(() -> identity.tokens()
                        .create(new ApiToken(UUID.randomUUID(), UUID.randomUUID(), sha(1), "", T0, EXPIRY, null)))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    // --- quotas

    @Test
    void aNewProjectHasTheLimitsItWasCreatedWithAndUsesNothing() {
        Project limited = identity.projects()
                .create(
                        new Project(UUID.randomUUID(), "limited", T0),
                        Map.of(QuotaResource.INSTANCES, 2L, QuotaResource.VCPUS, 4L));

        ProjectQuota quota = identity.quotas().find(limited.id());
        assertThat(quota.limits()).isEqualTo(Map.of(QuotaResource.INSTANCES, 2L, QuotaResource.VCPUS, 4L));
        assertThat(quota.used().values()).containsOnly(0L);
        assertThat(identity.quotas().find(team.id()).limits()).isEmpty();
        assertThat(identity.quotas().find(Project.ADMIN_ID).limits()).isEmpty();
    }

    @Test
    void creatingAndDeletingVmsChargesAndReleasesTheirProject() {
        Fixtures fixtures = fixtures();
        Vm web = store.vms().create(vm(fixtures, "web"), null);
        Vm db = store.vms().create(vm(fixtures, "db"), null);

        assertThat(used(team))
                .containsEntry(QuotaResource.INSTANCES, 2L)
                .containsEntry(QuotaResource.VCPUS, 4L)
                .containsEntry(QuotaResource.MEMORY_MIB, 2048L)
                .containsEntry(QuotaResource.DISK_GIB, 20L);
        assertThat(used(Project.ADMIN_ID).values()).containsOnly(0L);

        // made DELETED by the two paths there are: a delete before placement, and a release
        assertThat(store.vms()
                        .updateSpec(web.id(), 1, web.epoch(), 2, DesiredState.DELETED, 0, VmState.DELETED, null, T0))
                .isTrue();
        assertThat(used(team)).containsEntry(QuotaResource.INSTANCES, 1L).containsEntry(QuotaResource.VCPUS, 2L);
        store.claims().releaseAndMarkDeleted(db.id(), T0);
        store.claims().releaseAndMarkDeleted(db.id(), T0); // again: released once
        assertThat(used(team).values()).containsOnly(0L);
    }

    @Test
    void aCreatePastALimitIsRefusedAndWritesNothing() {
        Fixtures fixtures = fixtures();
        identity.quotas().setLimits(team.id(), Map.of(QuotaResource.VCPUS, OptionalLong.of(5)));
        store.vms().create(vm(fixtures, "one"), null);
        store.vms().create(vm(fixtures, "two"), null);

        assertThatThrownBy(() -> store.vms().create(vm(fixtures, "three"), null))
                .isInstanceOfSatisfying(VireoException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
                    assertThat(e.details())
                            .containsEntry("resource", "vcpus")
                            .containsEntry("limit", 5L)
                            .containsEntry("used", 4L)
                            .containsEntry("requested", 2L);
                });
        assertThat(store.vms().findByName(team.id(), "three")).isEmpty();
        assertThat(used(team)).containsEntry(QuotaResource.INSTANCES, 2L).containsEntry(QuotaResource.VCPUS, 4L);

        // a gang is refused whole: two members fit the instances limit, not the vCPUs
        identity.quotas().setLimits(team.id(), Map.of(QuotaResource.VCPUS, OptionalLong.empty()));
        identity.quotas().setLimits(team.id(), Map.of(QuotaResource.INSTANCES, OptionalLong.of(3)));
        UUID gang = UUID.randomUUID();
        List<Vm> members = List.of(gangMember(fixtures, "g-1", gang), gangMember(fixtures, "g-2", gang));
        assertThatThrownBy(() -> store.vms().createGang(members, null))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED));
        assertThat(store.vms().gangMembers(gang)).isEmpty();
        assertThat(used(team)).containsEntry(QuotaResource.INSTANCES, 2L);
    }

    @Test
    void anIdempotentRetryAtTheLimitGetsItsVmNotARefusal() {
        Fixtures fixtures = fixtures();
        identity.quotas().setLimits(team.id(), Map.of(QuotaResource.INSTANCES, OptionalLong.of(1)));
        IdempotencyKey key = new IdempotencyKey("k1", "f".repeat(64));
        Vm first = store.vms().create(vm(fixtures, "web"), key);

        assertThat(store.vms().create(vm(fixtures, "web"), key)).isEqualTo(first);
        assertThat(used(team)).containsEntry(QuotaResource.INSTANCES, 1L);
    }

    @Test
    void volumesChargeTheirCountAndSize() {
        identity.quotas()
                .setLimits(
                        team.id(),
                        Map.of(
                                QuotaResource.VOLUMES,
                                OptionalLong.of(5),
                                QuotaResource.VOLUME_GIB,
                                OptionalLong.of(10)));
        store.volumes().create(new Volume(UUID.randomUUID(), team.id(), "a", T0, 6, null, true, null));

        assertThatThrownBy(() ->
                        store.volumes().create(new Volume(UUID.randomUUID(), team.id(), "b", T0, 5, null, true, null)))
                .isInstanceOfSatisfying(VireoException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
                    assertThat(e.details()).containsEntry("resource", "volumeGib");
                });
        assertThat(store.volumes().list(team.id())).hasSize(1);
        assertThat(used(team)).containsEntry(QuotaResource.VOLUMES, 1L).containsEntry(QuotaResource.VOLUME_GIB, 6L);

        store.volumes().delete(team.id(), "a");
        assertThat(used(team)).containsEntry(QuotaResource.VOLUMES, 0L).containsEntry(QuotaResource.VOLUME_GIB, 0L);
    }

    @Test
    void limitsAreSetAndRemovedOneByOneAndMayBeLoweredBelowUse() {
        Fixtures fixtures = fixtures();
        store.vms().create(vm(fixtures, "web"), null);

        ProjectQuota quota = identity.quotas()
                .setLimits(
                        team.id(),
                        Map.of(
                                QuotaResource.INSTANCES,
                                OptionalLong.of(0),
                                QuotaResource.MEMORY_MIB,
                                OptionalLong.of(8)));
        assertThat(quota.limits()).isEqualTo(Map.of(QuotaResource.INSTANCES, 0L, QuotaResource.MEMORY_MIB, 8L));
        assertThat(quota.used(QuotaResource.INSTANCES)).isEqualTo(1);
        assertThat(store.vms().findByName(team.id(), "web")).isPresent();

        quota = identity.quotas().setLimits(team.id(), Map.of(QuotaResource.INSTANCES, OptionalLong.empty()));
        assertThat(quota.limits()).isEqualTo(Map.of(QuotaResource.MEMORY_MIB, 8L));
        assertThat(identity.quotas().find(team.id())).isEqualTo(quota);
    }

    @Test
    void concurrentCreatesAtTheLimitNeverOvershoot() throws Exception {
        Fixtures fixtures = fixtures();
        identity.quotas().setLimits(team.id(), Map.of(QuotaResource.INSTANCES, OptionalLong.of(20)));
        int creates = 50;
        CyclicBarrier start = new CyclicBarrier(creates);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(creates)) {
            for (int i = 0; i < creates; i++) {
                Vm vm = vm(fixtures, "vm-" + i);
                outcomes.add(threads.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    try {
                        store.vms().create(vm, null);
                        return true;
                    } catch (VireoException e) {
                        assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
                        return false;
                    }
                }));
            }
        }
        long accepted = 0;
        for (Future<Boolean> outcome : outcomes) {
            accepted += outcome.get() ? 1 : 0;
        }

        assertThat(accepted).isEqualTo(20);
        assertThat(used(team)).containsEntry(QuotaResource.INSTANCES, 20L);
        assertThat(store.vms()
                        .list(new VmFilter(team.id(), null, null, 100, null))
                        .items())
                .hasSize(20);
    }

    /** A flavor of 2 vCPUs, 1 GiB, 10 GiB disk and an image, for the quota tests' VMs. */
    private record Fixtures(Flavor flavor, Image image) {}

    private Fixtures fixtures() {
        Flavor flavor = store.flavors().create(new Flavor(UUID.randomUUID(), "q", T0, new Resources(2, 1024, 10)));
        Image image = store.images().create(new Image(UUID.randomUUID(), team.id(), "q", T0, ImageFormat.QCOW2, 1));
        return new Fixtures(flavor, image);
    }

    private Vm vm(Fixtures fixtures, String name) {
        return Vm.create(UUID.randomUUID(), team.id(), name, T0, fixtures.flavor(), fixtures.image());
    }

    private Vm gangMember(Fixtures fixtures, String name, UUID gang) {
        return Vm.create(
                UUID.randomUUID(),
                team.id(),
                name,
                T0,
                fixtures.flavor(),
                fixtures.image(),
                PlacementConstraints.NONE.withGang(gang));
    }

    private Map<QuotaResource, Long> used(Project project) {
        return used(project.id());
    }

    private Map<QuotaResource, Long> used(UUID projectId) {
        return identity.quotas().find(projectId).used();
    }

    private User person(String name, UUID projectId, Role role) {
        return identity.users()
                .create(new User(UUID.randomUUID(), name, projectId, role, UserKind.PERSON, T0), "hash-of-" + name);
    }

    private ApiToken token(User user, int seed, Instant createdAt) {
        return identity.tokens()
                .create(new ApiToken(
                        UUID.randomUUID(), user.id(), sha(seed), "token " + seed, createdAt, EXPIRY, null));
    }

    /** A distinct, well-formed SHA-256 per seed. */
    private static String sha(int seed) {
        byte[] bytes = new byte[32];
        bytes[31] = (byte) seed;
        return HexFormat.of().formatHex(bytes);
    }

    /** The store's other repositories, for tests of project deletion. */
    protected final Repositories store() {
        return store;
    }
}
