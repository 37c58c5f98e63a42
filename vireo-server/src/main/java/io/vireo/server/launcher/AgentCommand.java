package io.vireo.server.launcher;

import io.vireo.agent.Agent;
import io.vireo.agent.AgentConfig;
import io.vireo.agent.qemu.QemuAccel;
import io.vireo.agent.qemu.QemuMigrationSettings;
import io.vireo.agent.qemu.VmNetwork;
import io.vireo.model.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vireo agent}: runs a host agent until interrupted. */
@Command(name = "agent", mixinStandardHelpOptions = true, description = "Run a host agent that dials the server.")
final class AgentCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "The server's agent endpoint, HOST:PORT.")
    String server = "";

    @Option(names = "--name", required = true, description = "This host's name (a DNS label).")
    String name = "";

    @Option(names = "--state-dir", required = true, description = "Where the agent keeps its state and VMs.")
    Path stateDir = Path.of(".");

    @Option(names = "--driver", defaultValue = "fake", description = "Hypervisor driver: fake or qemu.")
    String driver = "fake";

    @Option(names = "--accel", defaultValue = "auto", description = "QEMU acceleration: auto, kvm or tcg.")
    String accel = "auto";

    @Option(names = "--image-dir", description = "QEMU: base images by id (default: STATE_DIR/images).")
    @Nullable
    Path imageDir;

    @Option(
            names = "--image-url",
            description = "QEMU: fetch uploaded images over HTTP from the server's REST API (http://HOST:PORT) with the"
                    + " credential of --token-file, instead of over the agent's mutual-TLS connection (the default).")
    @Nullable
    URI imageUrl;

    @Option(
            names = "--image-cache-max-gib",
            defaultValue = "" + Drivers.DEFAULT_IMAGE_CACHE_MAX_GIB,
            description = "QEMU: the size the image download cache is kept under; the least recently used images no"
                    + " VM on this host uses are removed first (default: ${DEFAULT-VALUE}).")
    long imageCacheMaxGib;

    @Option(names = "--probe-guest", description = "QEMU: kernel+initrd directory booted to check that KVM works.")
    @Nullable
    Path probeGuest;

    @Option(
            names = "--join-token",
            description = "The one-time join token to enroll with (vireo host join-token create), needed only at the"
                    + " first start: the agent then keeps its key and certificate in STATE_DIR/identity.")
    @Nullable
    String joinToken;

    @Option(
            names = "--join-token-file",
            description = "A file holding the join token, instead of --join-token (keeps it out of the process list).")
    @Nullable
    Path joinTokenFile;

    @Option(
            names = "--token-file",
            description =
                    "QEMU with --image-url: file holding the server's agent-token, for image downloads over HTTP.")
    @Nullable
    Path tokenFile;

    @Option(names = "--fake-boot-delay-ms", defaultValue = "200", description = "Fake driver: boot time of a VM.")
    long fakeBootDelayMillis;

    @Option(
            names = "--fake-boot-delay-max-ms",
            description = "Fake driver: the longest boot; each takes from --fake-boot-delay-ms to this, uniformly"
                    + " (default: exactly --fake-boot-delay-ms).")
    @Nullable
    Long fakeBootDelayMaxMillis;

    @Option(names = "--fake-failure-rate", defaultValue = "0", description = "Fake driver: share of failed boots.")
    double fakeFailureRate;

    @Option(names = "--fake-vcpus", defaultValue = "128", description = "Fake driver: vCPUs of the host.")
    int fakeVcpus;

    @Option(names = "--fake-memory-mib", defaultValue = "524288", description = "Fake driver: memory of the host.")
    long fakeMemoryMib;

    @Option(names = "--fake-disk-gib", defaultValue = "10000", description = "Fake driver: disk of the host.")
    long fakeDiskGib;

    @Option(
            names = "--migration-address",
            defaultValue = QemuMigrationSettings.DEFAULT_LISTEN_ADDRESS,
            description = "QEMU: the IP address this host receives live migrations on.")
    String migrationAddress = QemuMigrationSettings.DEFAULT_LISTEN_ADDRESS;

    @Option(
            names = "--migration-bandwidth-mib",
            defaultValue = "128",
            description = "QEMU: the most MiB/s a live migration from this host sends.")
    long migrationBandwidthMib;

    @Option(
            names = "--migration-downtime-ms",
            defaultValue = "300",
            description = "QEMU: the longest pause a live migration from this host aims for.")
    long migrationDowntimeMillis;

    @Option(
            names = "--vm-bridge",
            description = "QEMU: the Linux bridge VMs' network interfaces are plugged into (made if missing; needs"
                    + " CAP_NET_ADMIN). Without it, VMs' interfaces have no link.")
    @Nullable
    String vmBridge;

    @Option(
            names = "--vm-netns",
            description = "QEMU: keep the VM bridge and taps in this network namespace (made if missing, removed when"
                    + " no VM runs in it); for several agents on one machine. The bridge defaults to "
                    + VmNetwork.DEFAULT_BRIDGE + ".")
    @Nullable
    String vmNetns;

    @Option(
            names = "--reserved-vcpus",
            paramLabel = "N",
            description = "vCPUs this host keeps for itself (Nova's reserved_host_cpus), reported to the server: it"
                    + " replaces the server's default reservation unless an operator set the host's policy. Zero or"
                    + " below the host's vCPUs (default: none reported).")
    @Nullable
    Long reservedVcpus;

    @Option(
            names = "--reserved-memory-mib",
            paramLabel = "MIB",
            description = "MiB of memory this host keeps for itself (Nova's reserved_host_memory_mb), as"
                    + " --reserved-vcpus.")
    @Nullable
    Long reservedMemoryMib;

    @Option(
            names = "--reserved-disk-gib",
            paramLabel = "GIB",
            description = "GiB of disk this host keeps for itself (Nova's reserved_host_disk_mb, in GiB), as"
                    + " --reserved-vcpus.")
    @Nullable
    Long reservedDiskGib;

    @Option(
            names = "--metrics-listen",
            paramLabel = "HOST:PORT",
            description = "Serve this agent's Prometheus metrics on HOST:PORT (/metrics, with the server's metrics"
                    + " token; ADR 21). Off unless given.")
    @Nullable
    String metricsListen;

    @Mixin
    HostLabels labels = new HostLabels();

    @Mixin
    LogOptions logs = new LogOptions();

    /** The join token given, from the option or its file; null if none. */
    @Nullable
    String joinToken() {
        Path file = joinTokenFile;
        if (file == null) {
            return joinToken;
        }
        if (joinToken != null) {
            throw new IllegalArgumentException("give --join-token or --join-token-file, not both");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the join token file " + file, e);
        }
    }

    /** The VM network the options ask for; an invalid name fails here, before the agent starts. */
    VmNetwork network() {
        String namespace = vmNetns;
        String bridge = vmBridge;
        if (namespace != null) {
            return VmNetwork.namespace(namespace, bridge == null ? VmNetwork.DEFAULT_BRIDGE : bridge, stateDir);
        }
        return bridge == null ? VmNetwork.unplugged() : VmNetwork.bridge(bridge, stateDir);
    }

    @Override
    public Integer call() {
        logs.apply("vireo-agent");
        VmNetwork network = network();
        Path images = imageDir;
        return Agent.run(
                config(),
                Drivers.factory(
                        images == null ? stateDir.resolve("images") : images,
                        imageUrl,
                        QemuAccel.fromSetting(accel),
                        probeGuest,
                        QemuMigrationSettings.defaults()
                                .withListenAddress(migrationAddress)
                                .withLimits(
                                        migrationBandwidthMib * 1024 * 1024,
                                        Duration.ofMillis(migrationDowntimeMillis)),
                        imageCacheMaxGib,
                        config -> network));
    }

    AgentConfig config() {
        return AgentConfig.builder(server, name, stateDir, tokenFile)
                .joinToken(joinToken())
                .driverName(driver)
                .fakeBootDelay(
                        Duration.ofMillis(fakeBootDelayMillis),
                        Duration.ofMillis(
                                fakeBootDelayMaxMillis == null ? fakeBootDelayMillis : fakeBootDelayMaxMillis))
                .fakeFailureRate(fakeFailureRate)
                .fakeCapacity(new Resources(fakeVcpus, fakeMemoryMib, fakeDiskGib))
                .extraCapabilities(labels.capabilities())
                .reservation(reservedVcpus, reservedMemoryMib, reservedDiskGib)
                .metricsListen(metricsListen)
                .build();
    }
}
