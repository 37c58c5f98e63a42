package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.model.Flavor;
import io.vireo.model.Host;
import io.vireo.model.HostRegistration;
import io.vireo.model.Image;
import io.vireo.model.Project;
import io.vireo.model.Resources;
import io.vireo.model.Vm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The store under test and the fixtures the contract interfaces share. Timestamps have whole microseconds, the
 * precision every store keeps.
 */
interface StoreContract {
    Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    UUID ADMIN = Project.ADMIN_ID;
    UUID OTHER_PROJECT = UUID.fromString("00000000-0000-4000-8000-0000000000b2");
    Resources SMALL = new Resources(1, 1024, 10);
    Resources HOST_CAPACITY = new Resources(8, 16_384, 200);

    /** The fresh store of the running test. */
    Repositories store();

    /** A flavor of size {@link #SMALL} named "small", in the store from the start. */
    Flavor flavor();

    /** An image of the admin project named "cirros", in the store from the start. */
    Image image();

    /** An idempotency key sent with {@code request}, whose fingerprint is the SHA-256 of that text. */
    static IdempotencyKey key(String key, String request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(request.getBytes(StandardCharsets.UTF_8));
            return new IdempotencyKey(key, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    default Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    default Host register(String name) {
        return store().hosts().register(new HostRegistration(name, HOST_CAPACITY, List.of("kvm"), "fake"), T0);
    }

    /** The simplest claim: one pending VM placed on one host, all or nothing. */
    default ClaimResult claimPlacement(
            UUID vmId, UUID hostId, long expectedHostGeneration, Resources resources, Instant now) {
        return store().claims()
                .claim(ClaimRequest.of(new VmTransition.Place(vmId, hostId, resources), expectedHostGeneration, now));
    }

    default Vm newVm(UUID projectId, String name, Instant createdAt) {
        return Vm.create(UUID.randomUUID(), projectId, name, createdAt, flavor(), image());
    }

    default Vm createVm(String name) {
        return store().vms().create(newVm(ADMIN, name, T0), null);
    }

    /** A VM of the admin project claimed on the host at its current generation. */
    default Vm placedVm(String name, Host host) {
        Vm vm = createVm(name);
        long generation = reload(host).resourceGeneration();
        assertThat(claimPlacement(vm.id(), host.id(), generation, vm.resources(), at(1)))
                .isEqualTo(new ClaimResult.Claimed(List.of(reload(host))));
        return reload(vm);
    }

    default Host reload(Host host) {
        return store().hosts().find(host.id()).orElseThrow();
    }

    default Vm reload(Vm vm) {
        return store().vms().find(vm.id()).orElseThrow();
    }

    default void assertError(ErrorCode code, Runnable action) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
