package io.vireo.agent.guard;

import static java.util.Objects.requireNonNull;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.vireo.pki.CertificateAuthority;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of {@code vireo fence-guard} (ADR 22): a process of its own next to the host's agent, sharing
 * only the agent's state directory (it reads the identity the agent enrolled, writes the fence marker, reads the pid
 * files). It renews the host's lease on a stream to the server, answers its peers on {@code --listen}, and looks at
 * its lease every {@link GuardSettings#tick} on one thread, on a monotonic clock ({@link GuardLoop}).
 */
public final class FenceGuardProcess {
    /** {@link #run} result: interrupted or shut down. */
    public static final int EXIT_OK = 0;
    /** {@link #run} result: could not start (no identity, a port in use). */
    public static final int EXIT_FAILED = 1;

    private static final Logger log = LoggerFactory.getLogger(FenceGuardProcess.class);

    private FenceGuardProcess() {}

    /**
     * How to run a guard.
     *
     * @param server the server's agent endpoint
     * @param stateDir the agent's state directory
     * @param listen where to answer peers (an IP address peers can reach, and a port; port 0 picks one); null: the
     *     guard asks peers but does not answer them (its peers count it as not lost)
     */
    public record Config(
            HostPort server, Path stateDir, @Nullable HostPort listen, GuardSettings settings) {
        public Config {
            requireNonNull(server, "server is null");
            requireNonNull(stateDir, "stateDir is null");
            requireNonNull(settings, "settings is null");
        }
    }

    /** Runs the guard until the thread is interrupted or the JVM shuts down; returns the exit code. */
    public static int run(Config config) {
        GuardIdentity identity;
        try {
            identity = GuardIdentity.load(config.stateDir().resolve("identity"));
        } catch (RuntimeException e) {
            log.error("fence guard cannot start: {}", e.getMessage());
            return EXIT_FAILED;
        }
        GuardSettings settings = config.settings();
        Clock monotonic = MonotonicClock.startingAt(Instant.EPOCH);
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vireo-fence-guard").factory());
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                        config.server().host(), config.server().port(), identity.serverChannel())
                .overrideAuthority(CertificateAuthority.SERVER_NAME)
                .keepAliveTime(5, TimeUnit.SECONDS)
                .keepAliveTimeout(3, TimeUnit.SECONDS)
                .build();
        PeerClient peers = new PeerClient(identity, settings.askTimeout());
        GuardLoop[] loop = new GuardLoop[1];
        LeaseStream lease =
                new LeaseStream(channel, grant -> loop[0].granted(grant), monotonic, settings.staleStream());
        Server listener = null;
        try {
            String advertised = "";
            PeerService answers = new PeerService(() -> loop[0] != null && loop[0].lostControlPlane());
            HostPort listen = config.listen();
            if (listen != null) {
                listener = NettyServerBuilder.forAddress(
                                new InetSocketAddress(listen.host(), listen.port()), identity.peerListener())
                        .addService(answers)
                        .build()
                        .start();
                advertised = new HostPort(listen.host(), listener.getPort()).toString();
            }
            loop[0] = new GuardLoop(
                    settings,
                    monotonic,
                    thread,
                    lease,
                    peers,
                    new HostFencer(config.stateDir(), Clock.systemUTC()),
                    advertised);
            log.info(
                    "fence guard of host {} started: server {}, peers answered on {}, deadline {} ms, state in {}",
                    identity.hostId(),
                    config.server(),
                    advertised.isEmpty() ? "(no listener)" : advertised,
                    settings.fenceDeadline().toMillis(),
                    config.stateDir());
            long tick = settings.tick().toNanos();
            thread.scheduleAtFixedRate(() -> look(loop[0]), 0, tick, TimeUnit.NANOSECONDS);
            long refresh = settings.identityRefresh().toNanos();
            thread.scheduleWithFixedDelay(() -> refresh(identity), refresh, refresh, TimeUnit.NANOSECONDS);
            awaitShutdown();
            return EXIT_OK;
        } catch (IOException e) {
            log.error("fence guard cannot listen on {}: {}", config.listen(), e.getMessage());
            return EXIT_FAILED;
        } finally {
            thread.shutdownNow();
            lease.close();
            peers.close();
            channel.shutdownNow();
            if (listener != null) {
                listener.shutdownNow();
            }
            log.info("fence guard stopped");
        }
    }

    private static void look(GuardLoop loop) {
        try {
            loop.look();
        } catch (RuntimeException e) {
            log.error("fence guard look failed; trying again at the next", e);
        }
    }

    private static void refresh(GuardIdentity identity) {
        try {
            identity.refresh();
        } catch (RuntimeException e) {
            log.warn("cannot read the host identity again: {}", e.getMessage());
        }
    }

    /** Blocks until the JVM shuts down (SIGTERM) or the thread is interrupted. */
    private static void awaitShutdown() {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = Thread.ofPlatform().name("vireo-fence-guard-shutdown").unstarted(stopped::countDown);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
