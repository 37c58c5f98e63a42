package io.vireo.agent;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.fake.FakeDriverSettings;
import io.vireo.agent.reconcile.ReconcilerSettings;
import io.vireo.common.Names;
import io.vireo.model.HostReservation;
import io.vireo.model.JoinToken;
import io.vireo.model.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Every setting of one agent: where the server is, who the host is, and every limit the agent works under. Build one
 * with {@link #builder}; the defaults suit a production host.
 *
 * @param serverAddress the server's agent endpoint, {@code host:port} ({@code [v6-address]:port} for IPv6)
 * @param name the host's name, sent at registration: a DNS label, as the server requires
 * @param stateDir the agent's own directory: VM bookkeeping, and the fake driver's VMs
 * @param driverName the hypervisor driver, {@code fake} or {@code qemu}
 * @param tokenFile a file holding the credential for downloading uploaded images from the server's HTTP API (read at
 *     every download), or null when the agent downloads none; the gRPC stream is authenticated by the host's
 *     certificate ({@link AgentIdentity}), not by this
 * @param heartbeatFallback the heartbeat interval when the server does not set one
 * @param reconnectBackoffMin delay before the first reconnection
 * @param reconnectBackoffMax cap of the exponentially growing, jittered reconnection delay
 * @param registrationTimeout how long to wait for {@code Registered} before giving up on a stream
 * @param keepAliveTime how often the transport pings an idle-looking connection to detect a dead server (the server
 *     must permit pings this often)
 * @param maxMessageBytes the largest message accepted from the server (a full desired set must fit)
 * @param maxConcurrentOperations driver operations in flight at once
 * @param stopGracePeriod how long a stop waits for the guest's ACPI power-off before stopping it hard
 * @param rescanInterval how often the whole driver is listed to catch out-of-band changes
 * @param transitionPollInterval how often a booting VM is looked at again
 * @param retryBackoffMin delay before retrying a failed driver operation
 * @param retryBackoffMax cap of the retry delay
 * @param eventQueueCapacity events waiting for the reconciler's loop
 * @param shutdownTimeout how long closing waits for operations in flight and for the transport
 * @param fakeBootDelay fake driver: how long a VM shows {@code CREATING} after a start, at least
 * @param fakeBootDelayMax fake driver: the longest boot; each boot takes from {@code fakeBootDelay} to this,
 *     uniformly
 * @param fakeFailureRate fake driver: probability that a create, start or reboot fails
 * @param fakeCapacity fake driver: the capacity it reports
 * @param extraCapabilities capabilities reported at registration besides the driver's, e.g. {@code az:zone-a} or
 *     {@code trait:cpu.avx2} (the scheduler reads zones, traits and aggregates from them)
 * @param reservation what the host keeps for itself, reported at registration ({@code --reserved-vcpus},
 *     {@code --reserved-memory-mib}, {@code --reserved-disk-gib}); each value must also be zero or below the driver's
 *     total of its class, which {@link Agent} checks when it has the driver's inventory
 * @param joinToken the one-time join token ({@code vireo-join-v1.<CA fingerprint>.<secret>}) the agent enrolls with
 *     when its state directory holds no certificate yet; null if it must have one already
 * @param enrollmentTimeout how long an enrollment call may take
 * @param metricsListen where the agent serves its Prometheus metrics ({@code host:port}, port 0 for any free port;
 *     {@code vireo agent --metrics-listen}), or null when it serves none (ADR 21)
 */
public record AgentConfig(
        String serverAddress,
        String name,
        Path stateDir,
        String driverName,
        @Nullable Path tokenFile,
        Duration heartbeatFallback,
        Duration reconnectBackoffMin,
        Duration reconnectBackoffMax,
        Duration registrationTimeout,
        Duration keepAliveTime,
        int maxMessageBytes,
        int maxConcurrentOperations,
        Duration stopGracePeriod,
        Duration rescanInterval,
        Duration transitionPollInterval,
        Duration retryBackoffMin,
        Duration retryBackoffMax,
        int eventQueueCapacity,
        Duration shutdownTimeout,
        Duration fakeBootDelay,
        Duration fakeBootDelayMax,
        double fakeFailureRate,
        Resources fakeCapacity,
        List<String> extraCapabilities,
        HostReservation reservation,
        @Nullable String joinToken,
        Duration enrollmentTimeout,
        @Nullable String metricsListen) {
    /** The most extra capabilities an agent reports. */
    public static final int MAX_EXTRA_CAPABILITIES = 64;

    public AgentConfig {
        requireNonNull(serverAddress, "serverAddress is null");
        requireNonNull(name, "name is null");
        requireNonNull(stateDir, "stateDir is null");
        requireNonNull(driverName, "driverName is null");
        ServerAddress.parse(serverAddress);
        if (!Names.isValid(name)) {
            throw new IllegalArgumentException("name must be a DNS label (1-" + Names.MAX_LENGTH
                    + " characters of a-z, 0-9 and '-'): '" + name + "'");
        }
        if (driverName.isBlank()) {
            throw new IllegalArgumentException("driverName is blank");
        }
        requirePositive("heartbeatFallback", heartbeatFallback);
        requirePositive("reconnectBackoffMin", reconnectBackoffMin);
        requirePositive("reconnectBackoffMax", reconnectBackoffMax);
        requirePositive("registrationTimeout", registrationTimeout);
        requirePositive("keepAliveTime", keepAliveTime);
        if (reconnectBackoffMax.compareTo(reconnectBackoffMin) < 0) {
            throw new IllegalArgumentException("reconnectBackoffMax " + reconnectBackoffMax
                    + " is below reconnectBackoffMin " + reconnectBackoffMin);
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
        }
        // Validates the reconciler's and the fake driver's settings where they are defined.
        new ReconcilerSettings(
                maxConcurrentOperations,
                stopGracePeriod,
                rescanInterval,
                transitionPollInterval,
                retryBackoffMin,
                retryBackoffMax,
                eventQueueCapacity,
                shutdownTimeout,
                ReconcilerSettings.DEFAULT_FULL_REPORT_INTERVAL);
        new FakeDriverSettings(fakeBootDelay, fakeFailureRate, fakeCapacity)
                .withBootDelay(fakeBootDelay, fakeBootDelayMax);
        extraCapabilities = List.copyOf(extraCapabilities);
        if (extraCapabilities.size() > MAX_EXTRA_CAPABILITIES) {
            throw new IllegalArgumentException("at most " + MAX_EXTRA_CAPABILITIES + " extra capabilities");
        }
        requireNonNull(reservation, "reservation is null");
        if (joinToken != null && JoinToken.parse(joinToken).isEmpty()) {
            throw new IllegalArgumentException("the join token must be " + JoinToken.PREFIX
                    + ".<CA fingerprint>.<secret>, as" + " 'vireo host join-token create' prints it");
        }
        requirePositive("enrollmentTimeout", enrollmentTimeout);
        if (metricsListen != null) {
            ServerAddress.parse("metricsListen", metricsListen, true);
        }
    }

    /** The host of {@link #metricsListen}, without brackets. */
    public String metricsHost() {
        return ServerAddress.parse("metricsListen", requireNonNull(metricsListen, "metrics are off"), true)
                .host();
    }

    /** The port of {@link #metricsListen} (0: any free one). */
    public int metricsPort() {
        return ServerAddress.parse("metricsListen", requireNonNull(metricsListen, "metrics are off"), true)
                .port();
    }

    /** Where the agent keeps its key, its certificate and the CA's ({@link AgentIdentity}). */
    public Path identityDir() {
        return stateDir.resolve("identity");
    }

    @Override
    public String toString() {
        return "AgentConfig[serverAddress=" + serverAddress + ", name=" + name + ", stateDir=" + stateDir
                + ", driverName=" + driverName + ", joinToken=" + (joinToken == null ? "none" : "(hidden)") + "]";
    }

    /**
     * Checks {@link #reservation} against the host's {@code total}: each value zero or below its class's total. Throws
     * IllegalArgumentException naming the option otherwise, before anything connects.
     */
    public void requireReservationWithin(Resources total) {
        requireReserved("--reserved-vcpus", reservation.vcpus(), total.vcpus(), "vCPUs");
        requireReserved("--reserved-memory-mib", reservation.memoryMib(), total.memoryMib(), "MiB of memory");
        requireReserved("--reserved-disk-gib", reservation.diskGib(), total.diskGib(), "GiB of disk");
    }

    private static void requireReserved(String option, @Nullable Number value, long total, String unit) {
        if (value != null && HostReservation.problem(value.longValue(), total).isPresent()) {
            throw new IllegalArgumentException(
                    option + " must be zero or below the host's " + total + " " + unit + ", got " + value);
        }
    }

    /** A configuration with every limit at its default. */
    public static Builder builder(String serverAddress, String name, Path stateDir, @Nullable Path tokenFile) {
        return new Builder(serverAddress, name, stateDir, tokenFile);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public ReconcilerSettings reconcilerSettings() {
        return new ReconcilerSettings(
                maxConcurrentOperations,
                stopGracePeriod,
                rescanInterval,
                transitionPollInterval,
                retryBackoffMin,
                retryBackoffMax,
                eventQueueCapacity,
                shutdownTimeout,
                ReconcilerSettings.DEFAULT_FULL_REPORT_INTERVAL);
    }

    public FakeDriverSettings fakeDriverSettings() {
        return new FakeDriverSettings(fakeBootDelay, fakeFailureRate, fakeCapacity)
                .withBootDelay(fakeBootDelay, fakeBootDelayMax);
    }

    /** The server's host name or address, without brackets. */
    public String serverHost() {
        return ServerAddress.parse(serverAddress).host();
    }

    public int serverPort() {
        return ServerAddress.parse(serverAddress).port();
    }

    private static void requirePositive(String name, Duration value) {
        requireNonNull(value, name + " is null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** A parsed {@code host:port}. */
    private record ServerAddress(String host, int port) {
        private static final int MAX_PORT = 65_535;

        static ServerAddress parse(String address) {
            return parse("serverAddress", address, false);
        }

        /** {@code host:port}; port 0 only if {@code anyPort} (a listener's, which then takes a free one). */
        static ServerAddress parse(String what, String address, boolean anyPort) {
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1) {
                throw new IllegalArgumentException(what + " must be host:port: '" + address + "'");
            }
            String host = address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " has no numeric port: '" + address + "'", e);
            }
            if (host.isEmpty() || port < (anyPort ? 0 : 1) || port > MAX_PORT) {
                throw new IllegalArgumentException(what + " must be host:port: '" + address + "'");
            }
            return new ServerAddress(host, port);
        }
    }

    /** Builds an {@link AgentConfig}; every setter replaces one default. Not thread-safe. */
    public static final class Builder {
        private String serverAddress;
        private String name;
        private Path stateDir;
        private String driverName = "fake";
        private @Nullable Path tokenFile;
        private Duration heartbeatFallback = Duration.ofSeconds(2);
        private Duration reconnectBackoffMin = Duration.ofMillis(200);
        private Duration reconnectBackoffMax = Duration.ofSeconds(10);
        private Duration registrationTimeout = Duration.ofSeconds(10);
        private Duration keepAliveTime = Duration.ofSeconds(30);
        private int maxMessageBytes = 64 * 1024 * 1024;
        private int maxConcurrentOperations = ReconcilerSettings.DEFAULTS.maxConcurrentOperations();
        private Duration stopGracePeriod = ReconcilerSettings.DEFAULTS.stopGracePeriod();
        private Duration rescanInterval = ReconcilerSettings.DEFAULTS.rescanInterval();
        private Duration transitionPollInterval = ReconcilerSettings.DEFAULTS.transitionPollInterval();
        private Duration retryBackoffMin = ReconcilerSettings.DEFAULTS.retryBackoffMin();
        private Duration retryBackoffMax = ReconcilerSettings.DEFAULTS.retryBackoffMax();
        private int eventQueueCapacity = ReconcilerSettings.DEFAULTS.eventQueueCapacity();
        private Duration shutdownTimeout = ReconcilerSettings.DEFAULTS.shutdownTimeout();
        private Duration fakeBootDelay = FakeDriverSettings.DEFAULTS.bootDelay();
        private Duration fakeBootDelayMax = FakeDriverSettings.DEFAULTS.bootDelayMax();
        private double fakeFailureRate = FakeDriverSettings.DEFAULTS.failureRate();
        private Resources fakeCapacity = FakeDriverSettings.DEFAULTS.capacity();
        private List<String> extraCapabilities = List.of();
        private HostReservation reservation = HostReservation.NONE;
        private @Nullable String joinToken;
        private Duration enrollmentTimeout = Duration.ofSeconds(30);
        private @Nullable String metricsListen;

        private Builder(String serverAddress, String name, Path stateDir, @Nullable Path tokenFile) {
            this.serverAddress = serverAddress;
            this.name = name;
            this.stateDir = stateDir;
            this.tokenFile = tokenFile;
        }

        private Builder(AgentConfig config) {
            this(config.serverAddress, config.name, config.stateDir, config.tokenFile);
            driverName = config.driverName;
            heartbeatFallback = config.heartbeatFallback;
            reconnectBackoffMin = config.reconnectBackoffMin;
            reconnectBackoffMax = config.reconnectBackoffMax;
            registrationTimeout = config.registrationTimeout;
            keepAliveTime = config.keepAliveTime;
            maxMessageBytes = config.maxMessageBytes;
            maxConcurrentOperations = config.maxConcurrentOperations;
            stopGracePeriod = config.stopGracePeriod;
            rescanInterval = config.rescanInterval;
            transitionPollInterval = config.transitionPollInterval;
            retryBackoffMin = config.retryBackoffMin;
            retryBackoffMax = config.retryBackoffMax;
            eventQueueCapacity = config.eventQueueCapacity;
            shutdownTimeout = config.shutdownTimeout;
            fakeBootDelay = config.fakeBootDelay;
            fakeBootDelayMax = config.fakeBootDelayMax;
            fakeFailureRate = config.fakeFailureRate;
            fakeCapacity = config.fakeCapacity;
            extraCapabilities = config.extraCapabilities;
            joinToken = config.joinToken;
            enrollmentTimeout = config.enrollmentTimeout;
            reservation = config.reservation;
            metricsListen = config.metricsListen;
        }

        public Builder serverAddress(String value) {
            serverAddress = value;
            return this;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder stateDir(Path value) {
            stateDir = value;
            return this;
        }

        public Builder driverName(String value) {
            driverName = value;
            return this;
        }

        public Builder tokenFile(Path value) {
            tokenFile = value;
            return this;
        }

        public Builder heartbeatFallback(Duration value) {
            heartbeatFallback = value;
            return this;
        }

        public Builder reconnectBackoff(Duration min, Duration max) {
            reconnectBackoffMin = min;
            reconnectBackoffMax = max;
            return this;
        }

        public Builder registrationTimeout(Duration value) {
            registrationTimeout = value;
            return this;
        }

        public Builder keepAliveTime(Duration value) {
            keepAliveTime = value;
            return this;
        }

        public Builder maxMessageBytes(int value) {
            maxMessageBytes = value;
            return this;
        }

        public Builder maxConcurrentOperations(int value) {
            maxConcurrentOperations = value;
            return this;
        }

        public Builder stopGracePeriod(Duration value) {
            stopGracePeriod = value;
            return this;
        }

        public Builder rescanInterval(Duration value) {
            rescanInterval = value;
            return this;
        }

        public Builder transitionPollInterval(Duration value) {
            transitionPollInterval = value;
            return this;
        }

        public Builder retryBackoff(Duration min, Duration max) {
            retryBackoffMin = min;
            retryBackoffMax = max;
            return this;
        }

        public Builder eventQueueCapacity(int value) {
            eventQueueCapacity = value;
            return this;
        }

        public Builder shutdownTimeout(Duration value) {
            shutdownTimeout = value;
            return this;
        }

        /** Every boot takes {@code value}. */
        public Builder fakeBootDelay(Duration value) {
            fakeBootDelay = value;
            fakeBootDelayMax = value;
            return this;
        }

        /** Each boot takes from {@code min} to {@code max}, uniformly. */
        public Builder fakeBootDelay(Duration min, Duration max) {
            fakeBootDelay = min;
            fakeBootDelayMax = max;
            return this;
        }

        public Builder fakeFailureRate(double value) {
            fakeFailureRate = value;
            return this;
        }

        public Builder fakeCapacity(Resources value) {
            fakeCapacity = value;
            return this;
        }

        public Builder extraCapabilities(List<String> value) {
            extraCapabilities = List.copyOf(value);
            return this;
        }

        /**
         * What the host keeps for itself, null where not set; a negative value is an IllegalArgumentException naming
         * its option.
         */
        public Builder reservation(@Nullable Long vcpus, @Nullable Long memoryMib, @Nullable Long diskGib) {
            requireNotNegative("--reserved-vcpus", vcpus);
            requireNotNegative("--reserved-memory-mib", memoryMib);
            requireNotNegative("--reserved-disk-gib", diskGib);
            if (vcpus != null && vcpus > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("--reserved-vcpus must be at most " + Integer.MAX_VALUE);
            }
            reservation = new HostReservation(vcpus == null ? null : vcpus.intValue(), memoryMib, diskGib);
            return this;
        }

        private static void requireNotNegative(String option, @Nullable Long value) {
            if (value != null && value < 0) {
                throw new IllegalArgumentException(option + " must not be negative, got " + value);
            }
        }

        /** The join token to enroll with if the agent has no certificate yet. */
        public Builder joinToken(@Nullable String value) {
            joinToken = value == null ? null : value.strip();
            return this;
        }

        public Builder enrollmentTimeout(Duration value) {
            enrollmentTimeout = value;
            return this;
        }

        /** Where to serve Prometheus metrics ({@code host:port}), or null for nowhere. */
        public Builder metricsListen(@Nullable String value) {
            metricsListen = value;
            return this;
        }

        public AgentConfig build() {
            return new AgentConfig(
                    serverAddress,
                    name,
                    stateDir,
                    driverName,
                    tokenFile,
                    heartbeatFallback,
                    reconnectBackoffMin,
                    reconnectBackoffMax,
                    registrationTimeout,
                    keepAliveTime,
                    maxMessageBytes,
                    maxConcurrentOperations,
                    stopGracePeriod,
                    rescanInterval,
                    transitionPollInterval,
                    retryBackoffMin,
                    retryBackoffMax,
                    eventQueueCapacity,
                    shutdownTimeout,
                    fakeBootDelay,
                    fakeBootDelayMax,
                    fakeFailureRate,
                    fakeCapacity,
                    extraCapabilities,
                    reservation,
                    joinToken,
                    enrollmentTimeout,
                    metricsListen);
        }
    }
}
