package io.vireo.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudInitSeedTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    @Test
    void theSeedIsAnIsoLabelledCidataWithTheDocuments() throws IOException {
        assumeThat(TestGuest.onPath("genisoimage") && TestGuest.onPath("isoinfo"))
                .as("genisoimage is not installed (apt-get install genisoimage); skipping")
                .isTrue();
        Path iso = directory.resolve("seed.iso");
        CloudInitConfig config = new CloudInitConfig(
                "6f1c8a52-3b7e-4c1d-9a0b-2e5f7d8c9b10",
                "web-1",
                "#cloud-config\nruncmd: [echo hello]\n",
                "version: 2\nethernets: {eth0: {dhcp4: true}}\n");

        new CloudInitSeed(Path.of("genisoimage"), TIMEOUT).write(config, iso);

        assertThat(isoinfo("-d", "-i", iso.toString())).contains("Volume id: cidata");
        assertThat(isoinfo("-i", iso.toString(), "-R", "-x", "/meta-data"))
                .isEqualTo("instance-id: 6f1c8a52-3b7e-4c1d-9a0b-2e5f7d8c9b10\nlocal-hostname: web-1\n");
        assertThat(isoinfo("-i", iso.toString(), "-R", "-x", "/user-data")).isEqualTo(config.userData());
        assertThat(isoinfo("-i", iso.toString(), "-R", "-x", "/network-config")).contains("dhcp4: true");
        try (Stream<Path> leftovers = Files.list(directory)) {
            assertThat(leftovers).as("no temporary files are left").containsExactly(iso);
        }
    }

    @Test
    void unsafeMetaDataIsRefused() {
        assertThatThrownBy(() -> new CloudInitConfig("id: injected", "web-1", "", null))
                .hasMessageContaining("instanceId");
        assertThatThrownBy(() -> new CloudInitConfig("id", "web\nuser: root", "", null))
                .hasMessageContaining("hostname");
        assertThatThrownBy(() ->
                        new CloudInitConfig("id", "web-1", "x".repeat(CloudInitConfig.MAX_DOCUMENT_BYTES + 1), null))
                .hasMessageContaining("userData");
    }

    private String isoinfo(String... arguments) {
        List<String> command = new ArrayList<>(List.of("isoinfo"));
        command.addAll(List.of(arguments));
        ExternalCommand.Result result = ExternalCommand.run(command, directory, TIMEOUT, null);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output();
    }
}
