package io.vireo.sim.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.pki.CaFileTrustManager;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code ./vireo bench vm}: real QEMU VMs (TCG) through the whole system. It starts {@code vireo up --agents 2 --driver
 * qemu --accel tcg} from the product jar in a temporary data directory, then measures, through the REST API and the
 * agents' serial logs: create → the guest's ready line on its console, one VM at a time; and live migrations of one
 * running VM back and forth between the two hosts, with QEMU's own figures (total time, downtime) and the time the
 * control plane adds around them. Appends a section to {@code docs/benchmarks.md}. A benchmark, not a test.
 */
public final class VmBenchmark {
    static final String USAGE = "usage: vireo bench vm [--vms 10] [--migrations 5] [--append docs/benchmarks.md]";

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration POLL = Duration.ofMillis(10);
    private static final String READY = "VIREO-GUEST-READY";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http;
    private final PrintStream progress;
    private final Path dataDir;
    private final int apiPort;

    /**
     * Wall-clock time, compared with the {@code startedAt} the server stamps with its own clock; the command's entry
     * point passes the system clock.
     */
    private final Clock clock;

    private String token = "";

    private VmBenchmark(PrintStream progress, Path dataDir, int apiPort, Clock clock) {
        this.clock = clock;
        this.progress = progress;
        this.dataDir = dataDir;
        this.apiPort = apiPort;
        // the API speaks HTTPS with a certificate of the cloud's CA, which vireo up writes to its data directory
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .sslContext(CaFileTrustManager.sslContext(dataDir.resolve("api-ca.pem")))
                .build();
    }

    public static void main(String[] args) throws Exception {
        int vms = 10;
        int migrations = 5;
        @Nullable Path append = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "vm" -> {}
                case "--vms" -> vms = Integer.parseInt(args[++i]);
                case "--migrations" -> migrations = Integer.parseInt(args[++i]);
                case "--append" -> append = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown argument '" + args[i] + "'; " + USAGE);
                    System.exit(2);
                    return;
                }
            }
        }
        Path jar = Path.of(System.getProperty("vireo.jar", "vireo-server/target/vireo.jar"));
        if (!Files.isRegularFile(jar)) {
            System.err.println("the server jar " + jar + " is missing; run ./vireo bench vm");
            System.exit(2);
            return;
        }
        String command = "./vireo bench vm --vms " + vms + " --migrations " + migrations;
        MachineFacts machine = MachineFacts.now();
        Path dataDir = Files.createTempDirectory("vireo-bench-vm");
        VmBenchmark bench = new VmBenchmark(System.err, dataDir, freePort(), Clock.systemUTC());
        String markdown = bench.run(jar, vms, migrations, machine, command);
        System.out.println(markdown);
        if (append != null) {
            Files.writeString(append, "\n" + markdown, UTF_8, StandardOpenOption.APPEND);
            System.err.println("appended to " + append);
        }
    }

    private String run(Path jar, int vmCount, int migrationCount, MachineFacts machine, String command)
            throws Exception {
        progress.println("vireo bench vm: " + machine.describe() + "; data in " + dataDir);
        copyTestGuest();
        Process up = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-jar",
                        jar.toAbsolutePath().toString(),
                        "up",
                        "--data-dir",
                        dataDir.toString(),
                        "--api-port",
                        Integer.toString(apiPort),
                        "--agent-port",
                        Integer.toString(freePort()),
                        "--agents",
                        "2",
                        "--driver",
                        "qemu",
                        "--accel",
                        "tcg")
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("up.log").toFile())
                .start();
        try {
            awaitUp();
            List<long[]> boots = new ArrayList<>();
            for (int i = 1; i <= vmCount; i++) {
                boots.add(boot("bench-" + i));
            }
            List<JsonNode> moves = migrate(migrationCount);
            return report(machine, command, boots, moves);
        } finally {
            up.destroy();
            if (!up.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                up.destroyForcibly();
            }
        }
    }

    /** Creates a VM and waits for its ready line: {API create → ready, QEMU start → ready} in ms. Deletes it. */
    private long[] boot(String name) throws Exception {
        long created = System.nanoTime();
        JsonNode vm = call("POST", "/vms", Map.of("name", name, "flavor", "tiny", "image", "test-guest"));
        String id = vm.path("id").asText();
        await(name + " ready", () -> serialLog(id).contains(READY));
        long ready = System.nanoTime();
        Instant readyAt = clock.instant();
        JsonNode running = call("GET", "/vms/" + id, null);
        Instant startedAt = Instant.parse(running.path("startedAt").asText(readyAt.toString()));
        long[] row = {
            (ready - created) / 1_000_000, Duration.between(startedAt, readyAt).toMillis()
        };
        progress.printf(Locale.ROOT, "%s: create -> ready %d ms (QEMU start -> ready %d ms)%n", name, row[0], row[1]);
        call("DELETE", "/vms/" + id, null);
        await(name + " deleted", () -> "DELETED".equals(state(id)));
        return row;
    }

    private List<JsonNode> migrate(int count) throws Exception {
        JsonNode vm = call("POST", "/vms", Map.of("name", "bench-mover", "flavor", "tiny", "image", "test-guest"));
        String id = vm.path("id").asText();
        await("bench-mover ready", () -> serialLog(id).contains(READY) && "RUNNING".equals(state(id)));
        List<JsonNode> done = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            long start = System.nanoTime();
            JsonNode accepted = call("POST", "/vms/" + id + "/actions/migrate", Map.of());
            String path = "/vms/" + id + "/migrations/" + accepted.path("id").asText();
            await(
                    "migration " + i,
                    () -> call("GET", path, null).path("finishedAt").isTextual());
            long seen = (System.nanoTime() - start) / 1_000_000;
            await(
                    "migration " + i + " figures",
                    () -> call("GET", path, null).path("downtimeMillis").isNumber()
                            || call("GET", path, null).path("state").asText().equals("FAILED"));
            JsonNode migration = ((com.fasterxml.jackson.databind.node.ObjectNode) call("GET", path, null))
                    .put("clientMillis", seen);
            progress.printf(
                    Locale.ROOT,
                    "migration %d: %s %s -> %s, API %d ms, server %d ms, QEMU total %s ms, downtime %s ms%n",
                    i,
                    migration.path("state").asText(),
                    migration.path("sourceHost").asText(),
                    migration.path("destinationHost").asText(),
                    seen,
                    migration.path("elapsedMillis").asLong(),
                    migration.path("totalMillis").asText(),
                    migration.path("downtimeMillis").asText());
            done.add(migration);
            await("bench-mover running", () -> "RUNNING".equals(state(id)));
        }
        call("DELETE", "/vms/" + id, null);
        await("bench-mover deleted", () -> "DELETED".equals(state(id)));
        return done;
    }

    private String report(MachineFacts machine, String command, List<long[]> boots, List<JsonNode> moves) {
        StringBuilder out = new StringBuilder();
        out.append("## VMs: `./vireo bench vm` (real QEMU under TCG, two local agents)\n\n");
        out.append("Machine: ")
                .append(machine.describe())
                .append(". QEMU ")
                .append(qemuVersion())
                .append(".\n\n");
        out.append("Command: `")
                .append(command)
                .append("` (`vireo up --agents 2 --driver qemu --accel tcg` in a ")
                .append("temporary data directory; test guest, flavor tiny: 1 vCPU, 128 MiB, 1 GiB disk).\n\n");
        List<Long> total = boots.stream().map(row -> row[0]).toList();
        List<Long> qemu = boots.stream().map(row -> row[1]).toList();
        List<Long> overhead = boots.stream().map(row -> row[0] - row[1]).toList();
        out.append("Create → ready line on the serial console, one VM at a time (")
                .append(boots.size())
                .append(" VMs):\n\n");
        out.append("| | p50 | p95 | max |\n| --- | --- | --- | --- |\n");
        row(out, "API create → ready line", total);
        row(out, "QEMU start (`startedAt`) → ready line: QEMU's own boot", qemu);
        row(out, "Vireo's overhead (placement, agent, disk, launch)", overhead);
        out.append("\nLive migration of one running VM back and forth (")
                .append(moves.size())
                .append(" migrations; QEMU figures from `query-migrate`; disk copied over NBD):\n\n");
        out.append("| # | state | QEMU total (ms) | downtime (ms) | disk copy (ms) | server: request → done (ms) |"
                + " orchestration overhead (ms) |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        List<Long> downtimes = new ArrayList<>();
        List<Long> totals = new ArrayList<>();
        List<Long> overheads = new ArrayList<>();
        int n = 0;
        for (JsonNode move : moves) {
            long qemuTotal = move.path("totalMillis").asLong();
            long elapsed = move.path("elapsedMillis").asLong();
            long downtime = move.path("downtimeMillis").asLong();
            out.append(String.format(
                    Locale.ROOT,
                    "| %d | %s | %d | %d | %d | %d | %d |%n",
                    ++n,
                    move.path("state").asText(),
                    qemuTotal,
                    downtime,
                    move.path("diskCopyMillis").asLong(),
                    elapsed,
                    elapsed - qemuTotal));
            if (move.path("state").asText().equals("COMPLETED")) {
                totals.add(qemuTotal);
                downtimes.add(downtime);
                overheads.add(elapsed - qemuTotal);
            }
        }
        out.append("\n| | p50 | p95 | max |\n| --- | --- | --- | --- |\n");
        row(out, "migration total (QEMU, disk copy included)", totals);
        row(out, "downtime (QEMU)", downtimes);
        row(out, "orchestration overhead (server request → done, minus the migration)", overheads);
        return out.toString();
    }

    private static void row(StringBuilder out, String label, List<Long> values) {
        if (values.isEmpty()) {
            out.append("| ").append(label).append(" | – | – | – |\n");
            return;
        }
        List<Long> sorted = values.stream().sorted().toList();
        out.append(String.format(
                Locale.ROOT,
                "| %s | %d ms | %d ms | %d ms |%n",
                label,
                percentile(sorted, 50),
                percentile(sorted, 95),
                sorted.getLast()));
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(List<Long> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.clamp(rank - 1, 0, sorted.size() - 1));
    }

    private void awaitUp() throws Exception {
        await("admin token", () -> Files.exists(dataDir.resolve("admin-token")));
        token = Files.readString(dataDir.resolve("admin-token")).strip();
        await("two hosts up", () -> {
            JsonNode hosts = call("GET", "/hosts", null).path("items");
            int up = 0;
            for (JsonNode host : hosts) {
                up += host.path("state").asText().equals("UP") ? 1 : 0;
            }
            return up == 2;
        });
    }

    private String state(String id) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", "/vms/" + id, null);
        if (response.statusCode() == 404) {
            return "DELETED";
        }
        return json.readTree(response.body()).path("state").asText();
    }

    /** The VM's serial log on whichever local agent has it ("" if none yet). */
    private String serialLog(String id) throws IOException {
        Path agents = dataDir.resolve("agents");
        if (!Files.isDirectory(agents)) {
            return "";
        }
        try (Stream<Path> hosts = Files.list(agents)) {
            for (Path host : hosts.sorted(Comparator.naturalOrder()).toList()) {
                Path log = host.resolve("qemu").resolve(id).resolve("serial.log");
                if (Files.isRegularFile(log)) {
                    return Files.readString(log, UTF_8);
                }
            }
        }
        return "";
    }

    private JsonNode call(String method, String path, @Nullable Object body) throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, path, body);
        if (response.statusCode() >= 300) {
            throw new IOException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, @Nullable Object body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + apiPort + "/api/v1" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (true) {
            try {
                if (check.done()) {
                    return;
                }
            } catch (IOException e) {
                // not up yet, or a transient answer: look again
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    private void copyTestGuest() throws IOException {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "vireo", "test-guest");
        if (!Files.isRegularFile(cache.resolve("vmlinuz"))) {
            progress.println("no test guest in " + cache + "; vireo up will build it");
            return;
        }
        Path guest = Files.createDirectories(dataDir.resolve("images").resolve("test-guest"));
        for (String file : List.of("vmlinuz", "initramfs.cpio.gz")) {
            Files.copy(cache.resolve(file), guest.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String qemuVersion() {
        try {
            Process process = new ProcessBuilder("qemu-system-x86_64", "--version")
                    .redirectErrorStream(true)
                    .start();
            String first = new String(process.getInputStream().readAllBytes(), UTF_8)
                    .lines()
                    .findFirst()
                    .orElse("?");
            process.waitFor();
            return first.replace("QEMU emulator version ", "");
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
