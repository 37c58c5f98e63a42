package io.vireo.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link CreateVmRequest#fingerprint}: one fingerprint for one request, another for anything it asks differently. */
class CreateVmRequestFingerprintTest {
    private static final CreateVmRequest BASE = request("web", List.of("cpu.avx2", "!gpu"), null, List.of("a", "b"));

    private static CreateVmRequest request(
            String name, List<String> traits, @Nullable String userData, List<String> volumes) {
        return new CreateVmRequest(
                name,
                "small",
                "cirros",
                "key-1",
                null,
                "zone-a",
                traits,
                new GuestRequest(List.of("ssh-ed25519 AAAA test"), userData, volumes, false));
    }

    record Variant(String description, CreateVmRequest request, int count) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Variant> differentRequests() {
        return Stream.of(
                new Variant("another name", request("db", BASE.traits(), null, List.of("a", "b")), 1),
                new Variant("a count", BASE, 2),
                new Variant("another flavor", withFlavor("large"), 1),
                new Variant("a trait less", request("web", List.of("cpu.avx2"), null, List.of("a", "b")), 1),
                new Variant("empty user data", request("web", BASE.traits(), "", List.of("a", "b")), 1),
                new Variant("volumes in another order", request("web", BASE.traits(), null, List.of("b", "a")), 1),
                new Variant(
                        "keep volumes",
                        new CreateVmRequest(
                                "web",
                                "small",
                                "cirros",
                                "key-1",
                                null,
                                "zone-a",
                                BASE.traits(),
                                new GuestRequest(List.of("ssh-ed25519 AAAA test"), null, List.of("a", "b"), true)),
                        1));
    }

    private static CreateVmRequest withFlavor(String flavor) {
        return new CreateVmRequest(
                BASE.name(),
                flavor,
                BASE.image(),
                BASE.idempotencyKey(),
                BASE.serverGroup(),
                BASE.availabilityZone(),
                BASE.traits(),
                BASE.guest());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differentRequests")
    void aRequestAskingForSomethingElseHasAnotherFingerprint(Variant variant) {
        assertThat(variant.request().fingerprint(variant.count())).isNotEqualTo(BASE.fingerprint(1));
    }

    @Test
    void theKeyAndTheOrderOfTraitsDoNotCount() {
        CreateVmRequest same = new CreateVmRequest(
                "web", "small", "cirros", "another-key", null, "zone-a", List.of("!gpu", "cpu.avx2"), BASE.guest());

        assertThat(same.fingerprint(1)).isEqualTo(BASE.fingerprint(1)).matches("[0-9a-f]{64}");
        assertThat(BASE.idempotency(1)).isNotNull();
        assertThat(new CreateVmRequest("web", "small", "cirros", null).idempotency(1))
                .isNull();
    }
}
