package io.vireo.controller.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(PasswordHasher.MIN_ITERATIONS, new SplittableRandom(7));

    @Test
    void aHashVerifiesItsPasswordOnly() {
        String hash = hasher.hash("correct horse battery staple");

        assertThat(hash).startsWith("pbkdf2-sha256$1000$").doesNotContain("correct");
        assertThat(hasher.verify("correct horse battery staple", hash)).isTrue();
        assertThat(hasher.verify("correct horse battery stapl", hash)).isFalse();
        assertThat(hasher.verify("", hash)).isFalse();
    }

    @Test
    void equalPasswordsGetDifferentSalts() {
        assertThat(hasher.hash("same password")).isNotEqualTo(hasher.hash("same password"));
    }

    @Test
    void aHashKeepsItsIterationCount() {
        String older = new PasswordHasher(2_000, new SplittableRandom(1)).hash("pw-of-old");

        assertThat(older).startsWith("pbkdf2-sha256$2000$");
        assertThat(hasher.verify("pw-of-old", older)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "plain",
                "pbkdf2-sha256$1000$AAAA",
                "pbkdf2-sha1$1000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "pbkdf2-sha256$10$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "pbkdf2-sha256$99999999$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "pbkdf2-sha256$x$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "pbkdf2-sha256$1000$!!!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            })
    void aMalformedHashVerifiesNothing(String stored) {
        assertThat(hasher.verify("anything", stored)).isFalse();
    }

    @Test
    void tooFewIterationsAreRefused() {
        assertThatThrownBy(() -> new PasswordHasher(999, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokensAre256RandomBitsAndTheirDigestIsHex() {
        TokenSecrets secrets = new TokenSecrets(new SplittableRandom(3));
        String token = secrets.next();

        assertThat(token).startsWith(TokenSecrets.PREFIX).hasSize(TokenSecrets.PREFIX.length() + 43);
        assertThat(secrets.next()).isNotEqualTo(token);
        assertThat(TokenSecrets.sha256(token)).matches("[0-9a-f]{64}").isEqualTo(TokenSecrets.sha256(token));
    }
}
