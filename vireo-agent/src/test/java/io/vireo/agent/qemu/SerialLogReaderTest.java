package io.vireo.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.agent.hypervisor.ConsoleOutput;
import io.vireo.agent.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading a VM's serial log from a plain file in a temporary state directory; no QEMU needed. */
class SerialLogReaderTest {
    private static final String LOG = "SeaBIOS\nbooting\nlogin: \n";

    @TempDir
    Path stateDir;

    private VmPaths paths;

    @BeforeEach
    void writeLog() throws IOException {
        paths = VmPaths.of(stateDir, UUID.fromString("00000000-0000-0000-0000-000000000001"));
        Files.createDirectories(paths.directory());
        Files.writeString(paths.serialLog(), LOG, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "offset {0}, at most {1} bytes -> [{2}] at {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0|1000|SeaBIOS\\nbooting\\nlogin: \\n|0",
                "0|7|SeaBIOS|0",
                "8|7|booting|8",
                "-8|1000|login: \\n|16",
                "-1000|7|SeaBIOS|0",
                "24|1000|''|24",
                "5000|1000|''|24",
                "0|0|''|0",
            })
    void readsTheAskedPartClampedToTheLog(long offset, int maxBytes, String escaped, long start) {
        String expected = escaped.replace("\\n", "\n");
        ConsoleOutput output = SerialLogReader.read(paths, offset, maxBytes);

        assertThat(new String(output.data(), StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(output.offset()).isEqualTo(start);
        assertThat(output.nextOffset()).isEqualTo(start + expected.length());
        assertThat(output.size()).isEqualTo(LOG.length());
    }

    @Test
    void aVmThatNeverRanHasAnEmptyLog() throws IOException {
        Files.delete(paths.serialLog());

        assertThat(SerialLogReader.read(paths, -100, 100)).isEqualTo(new ConsoleOutput(new byte[0], 0, 0, 0));
    }

    @Test
    void refusesALogThatIsASymbolicLink() throws IOException {
        Path secret = Files.writeString(stateDir.resolve("secret"), "not the guest's");
        Files.delete(paths.serialLog());
        Files.createSymbolicLink(paths.serialLog(), secret);

        assertThatThrownBy(() -> SerialLogReader.read(paths, 0, 100))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("serial log");
    }

    @Test
    void refusesAVmDirectoryThatIsASymbolicLink() throws IOException {
        VmPaths linked = VmPaths.of(stateDir, UUID.fromString("00000000-0000-0000-0000-000000000002"));
        Files.createSymbolicLink(linked.directory(), paths.directory());

        assertThatThrownBy(() -> SerialLogReader.read(linked, 0, 100))
                .isInstanceOf(HypervisorException.class)
                .hasMessageContaining("not a plain directory");
    }
}
