package io.vireo.agent.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.common.Executables;
import io.vireo.model.VmNic;
import io.vireo.model.VmStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the QEMU driver plugs its VMs' network interfaces. Every VM has one virtio NIC with the MAC address of
 * {@link VmNic#of}; this class decides what is behind it:
 *
 * <ul>
 *   <li>{@link #unplugged()}: nothing. The NIC exists (so a VM keeps the same hardware wherever it migrates) but has
 *       no link, and the VM has no network counters.
 *   <li>{@link #bridge}: a tap device per VM ({@link #tapName}, made by QEMU) on a Linux bridge of this host, like
 *       Proxmox's {@code vmbr0}. The bridge is created, without an address, if it does not exist.
 *   <li>{@link #namespace}: the same bridge, but in a network namespace of its own, which the agent creates and
 *       removes. Several agents on one machine (each its own "host") then have separate layer-2 segments; QEMU itself
 *       stays in the agent's namespace (its migration and disk-copy listeners must be reachable from the other
 *       agents), and each tap is moved into the namespace once QEMU has opened it.
 * </ul>
 *
 * Tap counters are read from {@code /proc/net/dev} (inside the namespace when there is one) and turned around to the
 * guest's view: what the tap transmits, the guest received. Every name here comes from the agent's settings or a VM's
 * UUID, and each is checked against the kernel's rules before it reaches {@code ip}, which runs without a shell.
 * Thread-safe (immutable; the kernel serialises the changes).
 */
public final class VmNetwork {
    /** The bridge {@code vireo up} gives each local agent, inside that agent's namespace. */
    public static final String DEFAULT_BRIDGE = "vireobr0";

    /** The QEMU id of the VM's network backend and of its NIC. */
    static final String NETDEV_ID = "net0";

    static final String NIC_ID = "nic0";

    private static final Logger log = LoggerFactory.getLogger(VmNetwork.class);
    private static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");
    private static final Pattern NAMESPACE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final String TAP_PREFIX = "vt";
    private static final int TAP_ID_BITS = 48;
    private static final Path VHOST_NET = Path.of("/dev/vhost-net");
    private static final Path PROC_NET_DEV = Path.of("/proc/net/dev");
    /** Bytes and packets received, then (after six more) bytes transmitted, in a {@code /proc/net/dev} line. */
    private static final int RX_BYTES = 0;

    private static final int TX_BYTES = 8;
    /** {@code CAP_NET_ADMIN}'s bit in a capability set. */
    private static final int CAP_NET_ADMIN = 12;

    /** {@code ip} from iproute2, looked up on {@code PATH}. */
    private static final String IP = "ip";
    /** One {@code ip} run; it changes or reads one device, which takes milliseconds. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final @Nullable String bridge;
    private final @Nullable String namespace;
    /** Where {@code ip}'s output is kept while it runs; unused when unplugged. */
    private final Path workDir;

    private final boolean vhost;

    private VmNetwork(@Nullable String bridge, @Nullable String namespace, Path workDir) {
        this.bridge = bridge;
        this.namespace = namespace;
        this.workDir = requireNonNull(workDir, "workDir is null");
        this.vhost = Files.exists(VHOST_NET);
        if (bridge != null) {
            requireName(INTERFACE_NAME, bridge, "bridge");
        }
        if (namespace != null) {
            requireName(NAMESPACE_NAME, namespace, "network namespace");
        }
    }

    /** VMs' NICs have no link. Needs no privilege. */
    public static VmNetwork unplugged() {
        return new VmNetwork(null, null, Path.of("/"));
    }

    /** Each VM's tap on {@code bridge} in the agent's own network namespace. Needs {@code CAP_NET_ADMIN}. */
    public static VmNetwork bridge(String bridge, Path workDir) {
        return new VmNetwork(requireNonNull(bridge, "bridge is null"), null, workDir);
    }

    /**
     * Each VM's tap on {@code bridge} inside network namespace {@code namespace}, which the agent creates if missing
     * and removes at {@link #close} once no VM runs in it. Needs {@code CAP_NET_ADMIN}.
     */
    public static VmNetwork namespace(String namespace, String bridge, Path workDir) {
        return new VmNetwork(
                requireNonNull(bridge, "bridge is null"), requireNonNull(namespace, "namespace is null"), workDir);
    }

    /**
     * True if this process may create network devices: it has {@code CAP_NET_ADMIN} (bit 12 of {@code CapEff} in
     * {@code /proc/self/status}) and {@code ip} is installed.
     */
    public static boolean available() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), UTF_8)) {
                if (line.startsWith("CapEff:")) {
                    long capabilities = Long.parseUnsignedLong(
                            line.substring("CapEff:".length()).strip(), 16);
                    return (capabilities & (1L << CAP_NET_ADMIN)) != 0 && Executables.onPath("ip");
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.debug("cannot read this process's capabilities: {}", e.getMessage());
        }
        return false;
    }

    /** True if VMs' NICs are plugged into a bridge. */
    boolean plugged() {
        return bridge != null;
    }

    /** What this is, for the agent's log. */
    public String describe() {
        if (bridge == null) {
            return "VM network interfaces unplugged (no bridge)";
        }
        return "VM network interfaces on bridge " + bridge
                + (namespace == null ? "" : " in network namespace " + namespace);
    }

    /** The host-side name of VM {@code vmId}'s tap: {@code vt} and the low 48 bits of the id in hex (14 characters). */
    public static String tapName(UUID vmId) {
        long bits = vmId.getLeastSignificantBits() & ((1L << TAP_ID_BITS) - 1);
        return TAP_PREFIX + HexFormat.of().toHexDigits(bits).substring((Long.SIZE - TAP_ID_BITS) / 4);
    }

    /**
     * The QEMU arguments of VM {@code vmId}'s NIC and, if plugged, its tap backend (with vhost-net when the host has
     * {@code /dev/vhost-net}). Pure.
     */
    List<String> qemuArguments(UUID vmId) {
        String mac = VmNic.of(vmId).mac();
        if (bridge == null) {
            return List.of("-device", "virtio-net-pci,id=" + NIC_ID + ",mac=" + mac);
        }
        return List.of(
                "-netdev",
                "tap,id=" + NETDEV_ID + ",ifname=" + tapName(vmId) + ",script=no,downscript=no,vhost="
                        + (vhost ? "on" : "off"),
                "-device",
                "virtio-net-pci,id=" + NIC_ID + ",netdev=" + NETDEV_ID + ",mac=" + mac);
    }

    /**
     * Makes the namespace and the bridge if they do not exist, and sets the bridge up. An existing bridge is left as
     * it is otherwise (its ports and addresses are the operator's).
     *
     * @throws HypervisorException if a device cannot be made (no {@code CAP_NET_ADMIN}, no {@code ip})
     */
    void prepare() {
        String bridgeName = bridge;
        if (bridgeName == null) {
            return;
        }
        if (namespace != null && !Files.exists(Path.of("/run/netns", namespace))) {
            ip(List.of("netns", "add", namespace), "create network namespace " + namespace);
            inNamespace(List.of("link", "set", "dev", "lo", "up"), "set lo up in " + namespace);
        }
        ExternalCommand.Result shown = run(inNamespaceCommand(List.of("link", "show", "dev", bridgeName)));
        if (shown.exitCode() != 0) {
            inNamespace(List.of("link", "add", "name", bridgeName, "type", "bridge"), "create bridge " + bridgeName);
        }
        inNamespace(List.of("link", "set", "dev", bridgeName, "up"), "set bridge " + bridgeName + " up");
    }

    /**
     * Puts VM {@code vmId}'s tap (made by its QEMU) on the bridge, moving it into the namespace first if there is one,
     * and sets it up. Idempotent: a tap already in place is set up again, which changes nothing.
     *
     * @throws HypervisorException if the tap does not exist or cannot be moved or enslaved
     */
    void plug(UUID vmId) {
        String bridgeName = bridge;
        if (bridgeName == null) {
            return;
        }
        String tap = tapName(vmId);
        if (namespace != null) {
            ExternalCommand.Result moved = run(List.of(IP, "link", "set", "dev", tap, "netns", namespace));
            if (moved.exitCode() != 0
                    && run(inNamespaceCommand(List.of("link", "show", "dev", tap)))
                                    .exitCode()
                            != 0) {
                throw new HypervisorException("cannot move tap " + tap + " into network namespace " + namespace + ": "
                        + moved.output().strip());
            }
        }
        inNamespace(
                List.of("link", "set", "dev", tap, "master", bridgeName, "up"),
                "put tap " + tap + " on bridge " + bridgeName);
    }

    /**
     * The guest's view of its NIC's traffic for every tap in the bridge's namespace, by VM tap name; empty when
     * unplugged. One read of {@code /proc/net/dev} (through {@code ip netns exec} in a namespace) for all VMs.
     */
    Map<String, VmStats.Network> counters() {
        if (bridge == null) {
            return Map.of();
        }
        String text;
        if (namespace == null) {
            try {
                text = Files.readString(PROC_NET_DEV, UTF_8);
            } catch (IOException e) {
                throw new HypervisorException("cannot read " + PROC_NET_DEV + ": " + e.getMessage(), e);
            }
        } else {
            ExternalCommand.Result result =
                    run(List.of(IP, "netns", "exec", namespace, "cat", PROC_NET_DEV.toString()));
            if (result.exitCode() != 0) {
                throw new HypervisorException("cannot read the counters of namespace " + namespace + ": "
                        + result.output().strip());
            }
            text = result.output();
        }
        return tapCounters(text);
    }

    /**
     * Removes the namespace (with its bridge) if this network made it and no process is left in it: a running QEMU
     * keeps its VM's tap, so the namespace stays while one runs. The bridge of {@link #bridge} is never removed.
     */
    void close() {
        if (namespace == null || !Files.exists(Path.of("/run/netns", namespace))) {
            return;
        }
        try {
            ExternalCommand.Result pids = run(List.of(IP, "netns", "pids", namespace));
            ExternalCommand.Result taps = run(inNamespaceCommand(List.of("-o", "link", "show", "type", "tun")));
            if (pids.exitCode() == 0
                    && pids.output().isBlank()
                    && taps.exitCode() == 0
                    && taps.output().isBlank()) {
                ip(List.of("netns", "delete", namespace), "remove network namespace " + namespace);
                log.info("Removed network namespace {}: no VM runs in it", namespace);
            }
        } catch (HypervisorException e) {
            log.warn("network namespace {} kept: {}", namespace, e.getMessage());
        }
    }

    /**
     * The taps' counters in the text of {@code /proc/net/dev}, from the guest's side: received = what the tap sent.
     * Lines that are not taps of VMs are skipped.
     */
    static Map<String, VmStats.Network> tapCounters(String procNetDev) {
        Map<String, VmStats.Network> counters = new HashMap<>();
        for (String line : procNetDev.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            if (!name.startsWith(TAP_PREFIX)) {
                continue;
            }
            String[] fields = line.substring(colon + 1).strip().split(" +");
            if (fields.length <= TX_BYTES) {
                continue;
            }
            try {
                long tapReceived = Long.parseLong(fields[RX_BYTES]);
                long tapTransmitted = Long.parseLong(fields[TX_BYTES]);
                counters.put(name, new VmStats.Network(tapTransmitted, tapReceived));
            } catch (NumberFormatException e) {
                log.debug("skipping unreadable /proc/net/dev line: {}", line);
            }
        }
        return counters;
    }

    private void inNamespace(List<String> arguments, String what) {
        require(run(inNamespaceCommand(arguments)), what);
    }

    private void ip(List<String> arguments, String what) {
        List<String> command = new ArrayList<>();
        command.add(IP);
        command.addAll(arguments);
        require(run(command), what);
    }

    private static void require(ExternalCommand.Result result, String what) {
        if (result.exitCode() != 0) {
            throw new HypervisorException(
                    "cannot " + what + ": " + result.output().strip());
        }
    }

    private List<String> inNamespaceCommand(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(IP);
        if (namespace != null) {
            command.add("-n");
            command.add(namespace);
        }
        command.addAll(arguments);
        return command;
    }

    private ExternalCommand.Result run(List<String> command) {
        return ExternalCommand.run(command, workDir, COMMAND_TIMEOUT, null);
    }

    private static void requireName(Pattern pattern, String name, String what) {
        if (!pattern.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name must be 1-" + (pattern == INTERFACE_NAME ? 15 : 63)
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit: " + name);
        }
    }
}
