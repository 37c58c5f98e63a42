package io.vireo.server.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.common.Executables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code vireo up --driver qemu --accel tcg} with the test guest, for the tests that run real guests through the whole
 * system, and what they read of a guest: its state, its console and the counter it prints there
 * ({@code VIREO-TICK n} every second), and its QEMU processes.
 */
final class QemuUp {
    private static final Pattern TICK = Pattern.compile("VIREO-TICK (\\d+)");
    /** Where the agent-module QEMU tests build the test guest; copied instead of building it again. */
    private static final Path GUEST_CACHE = Path.of(
            System.getProperty("vireo.testGuestCache", System.getProperty("user.home") + "/.cache/vireo/test-guest"));

    private QemuUp() {}

    /** Skips (a failure in CI) without QEMU or the test guest. */
    static void requireQemuAndTheTestGuest() {
        assumeThat(Executables.onPath("qemu-system-x86_64"))
                .as("qemu-system-x86_64 is not installed; skipping")
                .isTrue();
        assumeThat(Files.isRegularFile(GUEST_CACHE.resolve("vmlinuz")))
                .as("the test guest is not built in " + GUEST_CACHE + " (the vireo-agent QEMU tests build it)")
                .isTrue();
    }

    /** Starts {@code vireo up} with {@code agents} QEMU agents on {@code dataDir}, the test guest in its images. */
    static VireoProcess start(String name, Path dataDir, int apiPort, int agentPort, int agents) throws IOException {
        Path guest = dataDir.resolve("images").resolve("test-guest");
        Files.createDirectories(guest);
        for (String file : List.of("vmlinuz", "initramfs.cpio.gz")) {
            Files.copy(GUEST_CACHE.resolve(file), guest.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        return VireoProcess.start(
                name,
                List.of(
                        "up",
                        "--data-dir",
                        dataDir.toString(),
                        "--api-port",
                        String.valueOf(apiPort),
                        "--agent-port",
                        String.valueOf(agentPort),
                        "--agents",
                        String.valueOf(agents),
                        "--driver",
                        "qemu",
                        "--accel",
                        "tcg"));
    }

    static JsonNode vm(ApiClient api, String name) throws IOException, InterruptedException {
        return api.get("/vms/" + name).body();
    }

    static String state(ApiClient api, String name) throws IOException, InterruptedException {
        return vm(api, name).get("state").asText();
    }

    static String consoleLog(ApiClient api, String name) throws IOException, InterruptedException {
        ApiClient.Response log = api.get("/vms/" + name + "/console?offset=0&limit=1048576");
        return log.status() == 200 ? log.body().get("data").asText() : "";
    }

    static int lastTick(ApiClient api, String name) throws IOException, InterruptedException {
        Matcher ticks = TICK.matcher(consoleLog(api, name));
        int last = 0;
        while (ticks.find()) {
            last = Integer.parseInt(ticks.group(1));
        }
        return last;
    }

    static int firstTick(ApiClient api, String name) throws IOException, InterruptedException {
        Matcher ticks = TICK.matcher(consoleLog(api, name));
        return ticks.find() ? Integer.parseInt(ticks.group(1)) : 0;
    }

    /** The QEMU processes whose command line names the VM. */
    static List<ProcessHandle> qemuProcesses(String vmId) {
        return ProcessHandle.allProcesses()
                .filter(process -> commandLine(process).contains("qemu-system"))
                .filter(process -> commandLine(process).contains(vmId))
                .toList();
    }

    static String commandLine(ProcessHandle process) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")), UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Kills every process whose command line names the VM (its QEMUs, left by a test that failed). */
    static void killEveryProcessOf(String vmId) {
        ProcessHandle.allProcesses()
                .filter(process -> commandLine(process).contains(vmId))
                .forEach(ProcessHandle::destroyForcibly);
    }
}
