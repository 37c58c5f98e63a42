package io.vireo.sim.bench.controlplane;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vireo.pki.CaFileTrustManager;
import io.vireo.sim.bench.MachineFacts;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code ./vireo bench control-plane [--hosts N] [--vms N] [--quick]}: a real {@code vireo server} process (the
 * product jar, its embedded PostgreSQL) driven from this separate load process by N simulated hosts
 * ({@link SimulatedHosts}) and an open-loop REST load ({@link CreateSteps}, {@link LoadMix}). In order: start the
 * server; enroll and connect the hosts; create the prefill VMs as fast as the server takes them and wait for them to
 * run; offer creates at rising rates with the steady mix until VMs stop reaching RUNNING at the offered rate; measure
 * the database and fsync; restart the server and time until every host is back. Progress goes to stderr; stdout gets
 * the Markdown section and, last, the JSON summary; {@code --append} also appends the section to a file.
 *
 * <p>The composition root of the benchmark: every thread, executor and client is made in {@link #main}.
 */
public final class ControlPlaneBenchmark {
    /** The most requests in flight at once; beyond it a due request is not sent and counts as failed. */
    static final int MAX_IN_FLIGHT = 4096;
    /** Clients of the prefill, each sending a create when its last is answered. */
    static final int PREFILL_CLIENTS = 8;
    /** VMs per prefill create: a gang, the API's bulk create. */
    static final int PREFILL_GANG = 100;
    /** Hosts enrolling at once. */
    static final int ENROLL_CLIENTS = 16;
    /** How long the prefill waits for its VMs to run after the last one made progress. */
    static final Duration PREFILL_STALL = Duration.ofSeconds(30);
    /** How long to wait for the server to answer after a start, and for hosts to connect. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(15);
    static final Duration FSYNC_PROBE = Duration.ofSeconds(3);
    static final long SEED = 20_261_207L;

    private final ControlPlaneOptions options;
    private final Path jar;
    private final Path runDir;
    private final HttpClient http;
    private final ExecutorService requests;
    private final ThreadFactory platformThreads;
    private final PrintStream progress;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicReference<StepRecorder> current = new AtomicReference<>(StepRecorder.named("start", 0));
    private final CostMeter costs = new CostMeter();
    private final int apiPort = freePort();
    private final int agentPort = freePort();
    private final List<String> serverJvmOptions;
    /** The JSON summary of the last {@link #run}, printed last. */
    private String summaryJson = "";

    ControlPlaneBenchmark(
            ControlPlaneOptions options,
            Path jar,
            Path runDir,
            HttpClient http,
            ExecutorService requests,
            ThreadFactory platformThreads,
            List<String> serverJvmOptions,
            PrintStream progress,
            Clock clock) {
        this.options = requireNonNull(options, "options is null");
        this.jar = requireNonNull(jar, "jar is null");
        this.runDir = requireNonNull(runDir, "runDir is null");
        this.http = requireNonNull(http, "http is null");
        this.requests = requireNonNull(requests, "requests is null");
        this.platformThreads = requireNonNull(platformThreads, "platformThreads is null");
        this.serverJvmOptions = List.copyOf(serverJvmOptions);
        this.progress = requireNonNull(progress, "progress is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public static void main(String[] args) throws Exception {
        ControlPlaneOptions options;
        try {
            options = ControlPlaneOptions.parse(Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path jar = Path.of(System.getProperty("vireo.jar", "vireo-server/target/vireo.jar"));
        if (!Files.isRegularFile(jar)) {
            System.err.println("the server jar " + jar + " is missing; run ./vireo bench control-plane");
            System.exit(2);
            return;
        }
        String serverOptions = System.getenv().getOrDefault("VIREO_BENCH_SERVER_JAVA_OPTS", "");
        Path runDir = Files.createTempDirectory("vireo-bench-control-plane");
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            // the API speaks HTTPS with a certificate of the cloud's CA, written to the data directory at start
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .sslContext(CaFileTrustManager.sslContext(
                            runDir.resolve("server").resolve("api-ca.pem")))
                    .connectTimeout(Duration.ofSeconds(5))
                    .executor(requests)
                    .build();
            ControlPlaneBenchmark bench = new ControlPlaneBenchmark(
                    options,
                    jar.toAbsolutePath(),
                    runDir,
                    http,
                    requests,
                    Thread.ofPlatform().daemon().factory(),
                    serverOptions.isBlank()
                            ? List.of()
                            : List.of(serverOptions.trim().split("\\s+")),
                    System.err,
                    Clock.systemUTC());
            String markdown = bench.run();
            System.out.println(markdown);
            Path append = options.append();
            if (append != null) {
                Files.writeString(append, "\n" + markdown, UTF_8, StandardOpenOption.APPEND);
                System.err.println("appended to " + append);
            }
            System.out.println(bench.summaryJson);
        }
        System.exit(0);
    }

    /** Runs every phase; the Markdown section. */
    String run() throws Exception {
        long begin = System.nanoTime();
        MachineFacts machine = MachineFacts.now();
        NanoWallClock wall = new NanoWallClock(clock.instant(), System.nanoTime());
        progress.println("vireo bench control-plane: " + options.command() + "; " + machine.describe());
        progress.println("run directory " + runDir + " (server log in server.log)");
        Path dataDir = runDir.resolve("server");
        ServerProcess server = startServer(dataDir);
        String token = awaitToken(dataDir);
        ApiClient api = new ApiClient(http, URI.create("https://127.0.0.1:" + apiPort), token, json);
        SimulatedHosts hosts = new SimulatedHosts(
                runDir.resolve("hosts"),
                "127.0.0.1:" + agentPort,
                (host, roundTrip) -> current.get().heartbeats().recordNanos(roundTrip.toNanos()),
                SEED);
        RunningWatcher watcher = new RunningWatcher(api, clock);
        Thread watching = platformThreads.newThread(watcher);
        boolean completed = false;
        try {
            long enrollStart = System.nanoTime();
            SimulatedHosts.EnrollmentTimes times = hosts.enroll(options.hosts(), api, requests, ENROLL_CLIENTS);
            double enrollSeconds = seconds(enrollStart);
            progress.printf(
                    Locale.ROOT,
                    "%,d hosts enrolled in %.1f s (join token p50 %.0f ms, p99 %.0f ms; enrollment p50 %.0f ms, p99"
                            + " %.0f ms)%n",
                    options.hosts(),
                    enrollSeconds,
                    times.tokens().percentileMillis(50),
                    times.tokens().percentileMillis(99),
                    times.enrollments().percentileMillis(50),
                    times.enrollments().percentileMillis(99));
            long connectStart = System.nanoTime();
            hosts.start(options.hosts());
            awaitConnected(hosts, CONNECT_TIMEOUT);
            double connectSeconds = seconds(connectStart);
            progress.printf(Locale.ROOT, "%,d hosts connected in %.1f s%n", options.hosts(), connectSeconds);
            watching.setName("bench-events");
            watching.start();

            LoadMix mix = new LoadMix(api, wall, new SplittableRandom(SEED));
            Prefill prefill = prefill(mix, watcher, server, wall);
            RequestPacer pacer = new RequestPacer(requests, MAX_IN_FLIGHT);
            List<StepOutcome> steps = new ArrayList<>(List.of(prefill.outcome()));
            steps.addAll(new CreateSteps(
                            options, mix, watcher, wall, costs, server, current, platformThreads, pacer, progress)
                    .run());
            Optional<ProcFiles.Sample> memory = server.jvm();
            progress.println("failed calls: " + mix.failures());
            progress.println(watcher.describe());

            OptionalLong databaseBytes = StorageProbes.databaseBytes(dataDir);
            Latencies fsync = StorageProbes.fsync(dataDir, FSYNC_PROBE);
            Restart restart = restart(server, hosts, api, dataDir);
            server = restart.server();
            StepOutcome headline = ControlPlaneSummary.headline(steps);
            ControlPlaneSummary summary = new ControlPlaneSummary(
                    options.hosts(),
                    options.vms(),
                    options.quick(),
                    options.command(),
                    options.serverHeapMib(),
                    headline == null ? null : headline.runningPerSecond(),
                    headline == null ? null : headline.offeredPerSecond(),
                    headline != null && headline.sustained(),
                    headline == null ? null : headline.p50MutatingMillis(),
                    headline == null ? null : headline.p99MutatingMillis(),
                    headline == null ? null : headline.p99CreateToRunningMillis(),
                    headline == null ? null : headline.p99ListMillis(),
                    headline == null ? null : headline.heartbeatLagP99Millis(),
                    restart.resyncSeconds(),
                    memory.map(sample -> StepOutcome.figure(sample.rssKib() / 1024.0))
                            .orElse(null),
                    memory.map(sample -> StepOutcome.figure(sample.peakRssKib() / 1024.0))
                            .orElse(null),
                    headline == null ? null : headline.serverCores(),
                    headline == null ? null : headline.postgresCores(),
                    headline == null ? null : headline.loadCores(),
                    databaseBytes.isPresent() ? StepOutcome.figure(databaseBytes.getAsLong() / 1024.0 / 1024.0) : null,
                    StepOutcome.percentile(fsync, 50),
                    StepOutcome.percentile(fsync, 99),
                    StorageProbes.FSYNC_METHOD,
                    StepOutcome.figure(options.hosts() / enrollSeconds),
                    StepOutcome.figure(connectSeconds),
                    prefill.acceptedPerSecond(),
                    prefill.outcome().runningPerSecond(),
                    prefill.outcome().notRunning(),
                    restart.stopSeconds(),
                    restart.killed(),
                    restart.serverStartSeconds(),
                    restart.agentsSeconds(),
                    steps,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Math.round(seconds(begin) * 10) / 10.0);
            summaryJson = summary.json();
            completed = true;
            return summary.markdown(
                    machine.describe(),
                    ProcFiles.cpuModel(),
                    DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
                            .withZone(ZoneOffset.UTC)
                            .format(clock.instant()),
                    notes(mix, watcher, fsync));
        } finally {
            watching.interrupt();
            progress.println("stopping the agents and the server...");
            hosts.close(requests);
            server.stop();
            if (completed) {
                deleteRecursively(runDir.resolve("hosts"));
                deleteRecursively(dataDir);
                progress.println("the server's log is kept in " + runDir.resolve("server.log"));
            } else {
                progress.println("the run failed; its files are kept in " + runDir);
            }
        }
    }

    private ServerProcess startServer(Path dataDir) throws InterruptedException {
        long start = System.nanoTime();
        ServerProcess server = ServerProcess.start(
                ServerProcess.command(
                        Path.of(System.getProperty("java.home"), "bin", "java"),
                        jar,
                        dataDir,
                        apiPort,
                        agentPort,
                        options.serverHeapMib(),
                        serverJvmOptions),
                dataDir,
                runDir.resolve("server.log"));
        ApiClient probe = new ApiClient(http, URI.create("https://127.0.0.1:" + apiPort), "", json);
        awaitHealthy(probe, server);
        progress.printf(Locale.ROOT, "server up in %.1f s (pid %d)%n", seconds(start), server.pid());
        return server;
    }

    private void awaitHealthy(ApiClient probe, ServerProcess server) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!probe.healthy()) {
            if (!server.alive()) {
                throw new IllegalStateException("the server exited; see " + runDir.resolve("server.log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the server did not answer within " + START_TIMEOUT);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    private static String awaitToken(Path dataDir) throws IOException {
        return Files.readString(dataDir.resolve("admin-token"), UTF_8).strip();
    }

    private void awaitConnected(SimulatedHosts hosts, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (hosts.connected() < hosts.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "only " + hosts.connected() + " of " + hosts.size() + " hosts connected within " + timeout);
            }
            if (System.nanoTime() > nextReport) {
                progress.printf(Locale.ROOT, "  %,d of %,d hosts connected%n", hosts.connected(), hosts.size());
                nextReport += Duration.ofSeconds(5).toNanos();
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** The prefill's figures. */
    private record Prefill(StepOutcome outcome, @Nullable Double acceptedPerSecond) {}

    private Prefill prefill(LoadMix mix, RunningWatcher watcher, ServerProcess server, NanoWallClock wall)
            throws InterruptedException {
        StepRecorder step = StepRecorder.named("prefill", 0);
        current.set(step);
        CostMeter.Reading atStart = costs.read(server);
        long start = System.nanoTime();
        mix.prefill(options.vms(), PREFILL_GANG, PREFILL_CLIENTS, requests, step);
        double acceptSeconds = seconds(start);
        progress.printf(
                Locale.ROOT,
                "prefill: %,d creates accepted in %.1f s (%,.1f/s); waiting for them to run%n",
                step.createsDue().get() - step.createsFailed().get(),
                acceptSeconds,
                options.vms() / acceptSeconds);
        List<StepRecorder.Created> created = step.createdSoFar();
        int reached = 0;
        long lastProgress = System.nanoTime();
        while (reached < created.size() && System.nanoTime() - lastProgress < PREFILL_STALL.toNanos()) {
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
            int now = (int) created.stream()
                    .filter(vm -> watcher.runningAt(vm.id()).isPresent())
                    .count();
            if (now > reached) {
                reached = now;
                lastProgress = System.nanoTime();
            }
        }
        CostMeter.Cores cores = CostMeter.between(atStart, costs.read(server));
        progress.println(watcher.describe());
        Instant first = wall.wall(start);
        Instant last = created.stream()
                .map(vm -> watcher.runningAt(vm.id()))
                .flatMap(Optional::stream)
                .max(Comparator.naturalOrder())
                .orElse(first);
        StepOutcome.ToRunning toRunning =
                StepOutcome.toRunning(created, watcher::runningAt, wall.wall(System.nanoTime()));
        double runningSeconds = Duration.between(first, last).toNanos() / 1e9;
        StepOutcome outcome = new StepOutcome(
                "prefill",
                0,
                Math.round(seconds(start) * 10) / 10.0,
                step.createsDue().get(),
                step.createsDue().get() - step.createsFailed().get(),
                step.createsFailed().get(),
                StepOutcome.figure(runningSeconds > 0 ? reached / runningSeconds : Double.NaN),
                StepOutcome.percentile(step.creates(), 50),
                StepOutcome.percentile(step.creates(), 99),
                StepOutcome.percentile(step.mutating(), 50),
                StepOutcome.percentile(step.mutating(), 99),
                StepOutcome.percentile(toRunning.latencies(), 50),
                StepOutcome.percentile(toRunning.latencies(), 99),
                toRunning.notRunning(),
                0,
                null,
                null,
                null,
                0,
                0,
                step.heartbeats().count(),
                StepOutcome.percentile(step.heartbeats(), 50),
                StepOutcome.percentile(step.heartbeats(), 99),
                cores.server(),
                cores.postgres(),
                cores.load(),
                false);
        progress.println(CreateSteps.describe(outcome));
        return new Prefill(outcome, StepOutcome.figure(options.vms() / acceptSeconds));
    }

    /** The restart's figures and the new server. */
    private record Restart(
            ServerProcess server,
            @Nullable Double stopSeconds,
            boolean killed,
            @Nullable Double serverStartSeconds,
            @Nullable Double agentsSeconds,
            @Nullable Double resyncSeconds) {}

    /**
     * Stops the server as an operator would and starts it again on the same data directory and ports; times how long
     * until it answers, until every agent has registered again (the agents' view) and until the server has recorded a
     * heartbeat of every host since its start ({@code GET /api/v1/hosts}: the server's view).
     */
    private Restart restart(ServerProcess server, SimulatedHosts hosts, ApiClient api, Path dataDir)
            throws InterruptedException {
        current.set(StepRecorder.named("restart", 0));
        ServerProcess.Stopped stopped = server.stop();
        progress.printf(
                Locale.ROOT,
                "server stopped in %.1f s%s; starting it again%n",
                stopped.took().toMillis() / 1000.0,
                stopped.killed() ? " (killed: SIGTERM did not end it within the grace period)" : "");
        long launch = System.nanoTime();
        Instant launchedAt = clock.instant();
        ServerProcess restarted = startServer(dataDir);
        Double serverStart = StepOutcome.figure(seconds(launch));
        Double agents = null;
        Double resync = null;
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && (agents == null || resync == null)) {
            if (agents == null && hosts.connected() == hosts.size()) {
                agents = StepOutcome.figure(seconds(launch));
            }
            if (resync == null && heartbeatsSince(api, launchedAt) >= hosts.size()) {
                resync = StepOutcome.figure(seconds(launch));
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
        progress.printf(
                Locale.ROOT,
                "restart: server answering after %s s, every agent registered after %s s, every host's heartbeat"
                        + " recorded after %s s%n",
                serverStart,
                agents,
                resync);
        return new Restart(
                restarted,
                StepOutcome.figure(stopped.took().toMillis() / 1000.0),
                stopped.killed(),
                serverStart,
                agents,
                resync);
    }

    /** How many hosts have a heartbeat recorded at or after {@code since}, paging through {@code GET /hosts}. */
    private int heartbeatsSince(ApiClient api, Instant since) throws InterruptedException {
        int count = 0;
        String cursor = null;
        do {
            ApiClient.Response response =
                    api.send("GET", "/hosts?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor), null);
            if (!response.ok()) {
                return -1;
            }
            JsonNode page = api.parse(response.body());
            for (JsonNode host : page.path("items")) {
                String last = host.path("lastHeartbeatAt").asText("");
                if (!last.isEmpty() && !Instant.parse(last).isBefore(since)) {
                    count++;
                }
            }
            cursor = page.path("nextCursor").isTextual()
                    ? page.path("nextCursor").asText()
                    : null;
        } while (cursor != null);
        return count;
    }

    private String notes(LoadMix mix, RunningWatcher watcher, Latencies fsync) {
        return String.format(
                Locale.ROOT,
                "How it is measured: creates are sent open-loop (each when due on a fixed schedule, however many are"
                        + " unanswered, up to %,d in flight) and every latency runs from the due time, so queueing in"
                        + " the client or the server shows. Creates rise from %s/s by x%s per step of %d s after a %d s"
                        + " warm-up; a step is sustained when at most 1%% of its creates fail and VMs reach RUNNING at"
                        + " 90%% or more of the offered rate over its second half. Throughout the steps: %s calls/s of"
                        + " show, stop, start and delete (4:2:2:2) on prefill VMs, and %s `GET /api/v1/vms?limit=1000`"
                        + "/s. Mutating calls are creates, stops, starts and deletes. Create → RUNNING runs from a"
                        + " create's due time to the server's `StateChanged … -> RUNNING` event of the VM, read from"
                        + " `GET /api/v1/events?kind=vm` with its cursor (%,d polls, no per-VM polling); a VM without"
                        + " one when its step is judged counts until then. Heartbeat lag is the agents' own send →"
                        + " `HeartbeatAck` time; the server acknowledges a heartbeat once the batch that wrote it has"
                        + " committed, so it bounds send → recorded from above. The restart is SIGTERM, then the same"
                        + " command on the same data directory; agents reconnect with their production backoff (200 ms"
                        + " doubling to 10 s, jittered). fsync: %,d samples (%s). Failed calls: %s.",
                MAX_IN_FLIGHT,
                trim(options.startRate()),
                trim(options.rateFactor()),
                options.step().toSeconds(),
                options.warmup().toSeconds(),
                trim(options.mixRate()),
                trim(options.listRate()),
                watcher.polls(),
                fsync.count(),
                StorageProbes.FSYNC_METHOD,
                mix.failures().isEmpty() ? "none" : mix.failures());
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
