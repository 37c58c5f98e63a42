package io.vireo.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The user-data rule of {@link CloudInitUserData}, case by case. */
public class CloudInitUserDataTest {
    public static final String ED25519 =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOvdoX7DkM+N+S4x5MJ/N5t9O2iGA/OFqxoH2195Fja3 user@example";
    public static final String RSA =
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCo8S1tLS8ybtYrSBvfN4lgIY1mPGxHp24V/DTQrXGxDu5z818udHxl+il/dTjHcozkVPg7H124cBlfZ9QbXd2rC2H9UHHGFnRu0ywnH8acPBzEVizySZ1hoip+6wfjnm2xbgmQ7jhqkE4yQetJDfJx1u1kIE/Ou9d9ObZ1qj7CP0PmiRtxUfEyz4QRFlnuuLLP7U4kBYWLf+fF6jX3Jp9xkTuAxw84Ut8FX2TzQRVEuJCMbfZf8luHz5ow3Zk7CFg9huN1VGqKolvlB8trjdYcGqev6/rSW0GL5rZAyZTmtz5ECXfJMIjghag73oIozUG7EJ8MgQDKPCbdBj8erirX user@example";
    private static final UUID VM = UUID.fromString("6f1c8a52-3b7e-4c1d-9a0b-2e5f7d8c9b10");

    @Test
    void keysAloneMakeACloudConfig() {
        assertThat(CloudInitUserData.render(VM, List.of(ED25519, RSA), null))
                .isEqualTo("#cloud-config\nssh_authorized_keys:\n  - \"" + ED25519 + "\"\n  - \"" + RSA + "\"\n");
    }

    @Test
    void nothingMakesAnEmptyCloudConfig() {
        assertThat(CloudInitUserData.render(VM, List.of(), null)).isEqualTo("#cloud-config\n");
    }

    @Test
    void userDataWithoutKeysIsPassedAsItIs() {
        String script = "#!/bin/sh\necho hi > /tmp/x";

        assertThat(CloudInitUserData.render(VM, List.of(), script)).isSameAs(script);
    }

    @Test
    void userCloudConfigAndKeysMakeAMultipartArchiveWithTheUsersPartFirst() {
        String config = "#cloud-config\nssh_authorized_keys: [\"" + RSA + "\"]\npackages: [nginx]\n";

        String rendered = CloudInitUserData.render(VM, List.of(ED25519), config);

        String boundary = "vireo-" + VM;
        assertThat(rendered)
                .startsWith("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\nMIME-Version: 1.0\n\n")
                .endsWith("\n--" + boundary + "--\n");
        assertThat(rendered.split("--" + boundary + "\n")).hasSize(3);
        int user = rendered.indexOf("Content-Type: text/cloud-config; charset=\"utf-8\"");
        int users = rendered.indexOf(config);
        int vireo = rendered.indexOf("filename=\"vireo-ssh-keys\"");
        assertThat(user).isPositive().isLessThan(users);
        assertThat(users).isLessThan(vireo);
        assertThat(rendered.substring(vireo))
                .contains("#cloud-config\n" + CloudInitUserData.MERGE_HOW)
                .contains("ssh_authorized_keys:\n  - \"" + ED25519 + "\"\n");
    }

    @Test
    void aScriptIsSentAsAShellScriptPart() {
        String rendered = CloudInitUserData.render(VM, List.of(ED25519), "#!/bin/sh\necho hi\n");

        assertThat(rendered)
                .contains("Content-Type: text/x-shellscript; charset=\"utf-8\"")
                .contains("filename=\"user-data\"\n\n#!/bin/sh\necho hi\n--vireo-");
    }

    @Test
    void theBoundaryNeverOccursInTheUsersData() {
        String tricky = "#!/bin/sh\necho vireo-" + VM + " vireo-" + VM + "-1\n";

        assertThat(CloudInitUserData.boundary(VM, tricky)).isEqualTo("vireo-" + VM + "-2");
        assertThat(CloudInitUserData.render(VM, List.of(ED25519), tricky))
                .startsWith("Content-Type: multipart/mixed; boundary=\"vireo-" + VM + "-2\"");
    }

    @Test
    void badInputIsRefusedEvenHere() {
        assertThatThrownBy(() -> CloudInitUserData.render(VM, List.of("ssh-ed25519 AAAA\"\nruncmd"), null))
                .hasMessageContaining("sshKeys");
        assertThatThrownBy(() -> CloudInitUserData.render(VM, List.of(), "runcmd: [reboot]"))
                .hasMessageContaining("userData");
    }
}
