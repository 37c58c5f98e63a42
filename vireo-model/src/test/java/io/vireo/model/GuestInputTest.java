package io.vireo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link SshPublicKey} and {@link UserData}: what a VM create accepts for its guest, as tables. */
class GuestInputTest {
    /** Keys made with {@code ssh-keygen -t TYPE -C user@example}. */
    static final String ED25519 =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOvdoX7DkM+N+S4x5MJ/N5t9O2iGA/OFqxoH2195Fja3 user@example";

    static final String ECDSA_P256 =
            "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBIxTj6UbgdHuGXv3DIcqw91H7l19Lq7QlLFRpSd4FxRiENTPRnA4EiReufuecRg8Ga8J2J2pZCYur0s/T2IPROY= user@example";
    static final String ECDSA_P384 =
            "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBHz5wpNA/ieMXA9pvrfhqWtPBv8gpHfwZaq3CkqE39n6U6WVwJ3LtPFCWOg84aQEce/qE+RRoOy5TV819L6XgbxRAhak9h5UyEPkoOlHs3t/GTABdOOk1qupDpgIrGMlUQ== user@example";
    static final String ECDSA_P521 =
            "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAGkR7tP3GobWOmBZ2zmUz9j/6gImRLC+a12chmI7jdawBw5Wt0+8TENiuwPsA+lMvMRBC/q25+FZkMPy1t3/BQ6CgCJX6Dj9E+ORKCQSeQC50rElzvAAYlNfEt4pa8CLNxjYy8ciwL3Glclf86lZbdukHYnbzIF0Ux8q4IRM5tnuyBDjg== user@example";
    static final String RSA_2048 =
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCo8S1tLS8ybtYrSBvfN4lgIY1mPGxHp24V/DTQrXGxDu5z818udHxl+il/dTjHcozkVPg7H124cBlfZ9QbXd2rC2H9UHHGFnRu0ywnH8acPBzEVizySZ1hoip+6wfjnm2xbgmQ7jhqkE4yQetJDfJx1u1kIE/Ou9d9ObZ1qj7CP0PmiRtxUfEyz4QRFlnuuLLP7U4kBYWLf+fF6jX3Jp9xkTuAxw84Ut8FX2TzQRVEuJCMbfZf8luHz5ow3Zk7CFg9huN1VGqKolvlB8trjdYcGqev6/rSW0GL5rZAyZTmtz5ECXfJMIjghag73oIozUG7EJ8MgQDKPCbdBj8erirX user@example";
    static final String RSA_1024 =
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDpPVUBXLx+HUBVhPYTUvb12e+I08eWU1TBfoS1l453KzSUeUJxaSwz3IBdS1WOX4p7+TKTJ0JYCCCxhuFEx0lWfL+UFpNT25yoPCA2DCCSuFSBZ8XdvvqQLF9t3kwccF4HmaS8gYPtbWXlxhRpwgwhT4S1atWy29uNXXxY7H/EUw== user@example";
    static final String DSA =
            "ssh-dss AAAAB3NzaC1kc3MAAACBAI5akMARaz4F+teQWL2QHRpVWFKq0iAXrP32uDV+pG9L9mVOZC5HmJ1uPedFqh+3tPot7XlcHfrsypaPTTKspOHf/C0MQJXoCSe0cXDag+Nquu/ghFh2Mv+CKNJwGV3dSGJMGqPaPb10Xukurx4XRWrEUWUAfCtcSDsjN4ac8U0XAAAAFQDhd1V3122vgPU8VDJL1ka9b/+omwAAAIAwG3dcCCcqBPbFRFWscImJw6JbeT47Tkz6LAptSiFJ/w/jOq3ccTOCjwr5WTQ2wiSU4ii/zVxnBtrjMw7EsSEnLHIdMNlmccKPxumVwc4/4sQY0En9LQ7ptA7KTuP4gulCpiFVoZo3QikSge0TqGM7LfkLh0NErfsfNWJEyA6/IAAAAIB6a9CrJQP/bg0ZKLdAUQOao9h3ZGzNJOdpkhFhon5459B4hoQFM6hfQLoEt6TTJIM4XALNgTWtpxwtKZXnLZmuW3Sivs9QOGCRdXER6ihKg6BY9e66O8RTQbKHZdZpiR8dL+8Q61y0Lj29M5RGK2f/FfZB5+p7lVke3JPiNwnbTw== user@example";

    static Stream<Arguments> keys() {
        String edBody = ED25519.split(" ")[1];
        byte[] edBlob = Base64.getDecoder().decode(edBody);
        String truncated = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(edBlob, edBlob.length - 4));
        byte[] longer = java.util.Arrays.copyOf(edBlob, edBlob.length + 3);
        return Stream.of(
                Arguments.of(ED25519, null),
                Arguments.of("  " + ED25519 + "\n", null),
                Arguments.of("ssh-ed25519 " + edBody, null),
                Arguments.of(ECDSA_P256, null),
                Arguments.of(ECDSA_P384, null),
                Arguments.of(ECDSA_P521, null),
                Arguments.of(RSA_2048, null),
                Arguments.of("ssh-ed25519 " + edBody + " laptop key: a.b+c=d/e", null),
                Arguments.of(RSA_1024, "modulus of 2048"),
                Arguments.of(DSA, "key type 'ssh-dss' is not one of"),
                Arguments.of("ssh-rsa " + edBody, "is a 'ssh-ed25519' key, not 'ssh-rsa'"),
                Arguments.of("ecdsa-sha2-nistp384 " + ECDSA_P256.split(" ")[1], "not 'ecdsa-sha2-nistp384'"),
                Arguments.of("ssh-ed25519 " + truncated, "truncated or malformed"),
                Arguments.of("ssh-ed25519 " + Base64.getEncoder().encodeToString(longer), "bytes too many"),
                Arguments.of("ssh-ed25519 AAAA====", "must be one OpenSSH public key line"),
                Arguments.of("ssh-ed25519 QUJD", "truncated or malformed"),
                Arguments.of("ssh-ed25519 " + edBody + " evil\"quote", "must be one OpenSSH public key line"),
                Arguments.of("ssh-ed25519 " + edBody + " two\nlines", "must be one OpenSSH public key line"),
                Arguments.of("ssh-ed25519 " + edBody + " $(reboot)", "must be one OpenSSH public key line"),
                Arguments.of("command=\"ls\" " + ED25519, "must be one OpenSSH public key line"),
                Arguments.of("ssh-ed25519 " + edBody + " " + "c".repeat(129), "must be one OpenSSH public key line"),
                Arguments.of("ssh-rsa " + "A".repeat(SshPublicKey.MAX_LENGTH), "at most 4096 characters"),
                Arguments.of("", "must be one OpenSSH public key line"));
    }

    @ParameterizedTest
    @MethodSource("keys")
    void publicKeys(String key, String error) {
        if (error == null) {
            assertThat(SshPublicKey.require("sshKeys[0]", key)).isEqualTo(key.strip());
        } else {
            assertThatThrownBy(() -> SshPublicKey.require("sshKeys[0]", key))
                    .isInstanceOfSatisfying(
                            VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageStartingWith("sshKeys[0]: ")
                    .hasMessageContaining(error);
        }
    }

    @org.junit.jupiter.api.Test
    void aVmHasAtMostSixteenKeys() {
        assertThat(SshPublicKey.requireAll("sshKeys", Collections.nCopies(16, ED25519)))
                .hasSize(16);
        assertThatThrownBy(() -> SshPublicKey.requireAll("sshKeys", Collections.nCopies(17, ED25519)))
                .hasMessageContaining("at most 16 SSH keys");
        assertThatThrownBy(() -> SshPublicKey.requireAll("sshKeys", List.of(ED25519, DSA)))
                .hasMessageStartingWith("sshKeys[1]: ");
    }

    static Stream<Arguments> userData() {
        return Stream.of(
                Arguments.of("#cloud-config\npackages: [nginx]\n", null),
                Arguments.of("#cloud-config", null),
                Arguments.of("#cloud-config\r\nruncmd: [ls]\r\n", null),
                Arguments.of("#!/bin/sh\necho hello\n", null),
                Arguments.of("#!/bin/sh\n" + "x".repeat(UserData.MAX_BYTES - 10), null),
                Arguments.of("#!/bin/sh\n" + "x".repeat(UserData.MAX_BYTES - 9), "at most 65536 bytes"),
                Arguments.of("#!/bin/sh\n" + "é".repeat(UserData.MAX_BYTES / 2), "at most 65536 bytes"),
                Arguments.of("#cloud-configx\n", "must start with"),
                Arguments.of(" #cloud-config\n", "must start with"),
                Arguments.of("packages: [nginx]\n", "must start with"),
                Arguments.of("", "must start with"),
                Arguments.of("#!/bin/sh\n\0", "NUL"));
    }

    @ParameterizedTest
    @MethodSource("userData")
    void userData(String text, String error) {
        if (error == null) {
            assertThat(UserData.require("userData", text)).isSameAs(text);
        } else {
            assertThatThrownBy(() -> UserData.require("userData", text))
                    .isInstanceOfSatisfying(
                            VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageStartingWith("userData: ")
                    .hasMessageContaining(error);
        }
    }
}
