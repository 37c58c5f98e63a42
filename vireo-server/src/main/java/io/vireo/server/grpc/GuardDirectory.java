package io.vireo.server.grpc;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where the fence guards that renew through this server answer their peers (ADR 22), in memory: a guard sends its
 * address with every renewal, so a restarted server knows every guard again within a renewal interval.
 *
 * <p>A host's peers are the next {@code maxPeers} guards after it on a ring ordered by host id: a stable sample (the
 * same peers from one grant to the next), spread evenly (every guard is some guards' peer), computed from a sorted
 * snapshot that is rebuilt only when a guard appears, changes its address or has not renewed for {@code retention}.
 * A guard counts the peers it could not ask as not having lost the control plane, against the number of guarded hosts
 * in the grant, so a sample never makes a guard hold where the server would fence (see ADR 22).
 *
 * <p>Bounded: at most {@code maxGuards} entries (each an authenticated host); a new guard beyond that is not listed.
 * Thread-safe.
 */
public final class GuardDirectory {
    /** An address longer than this is refused: "[IPv6]:port" fits well within it. */
    static final int MAX_ADDRESS_LENGTH = 64;

    /** A guard whose address the directory lists. */
    public record Entry(UUID hostId, String address) {
        public Entry {
            requireNonNull(hostId, "hostId is null");
            requireNonNull(address, "address is null");
        }
    }

    private record Seen(String address, Instant at) {}

    private final Clock clock;
    private final int maxPeers;
    private final int maxGuards;
    private final Duration retention;
    private final Map<UUID, Seen> seen = new HashMap<>();
    private Entry[] ring = new Entry[0];
    private boolean dirty;
    private Instant rebuiltAt = Instant.MIN;

    /**
     * @param maxPeers how many peers a grant lists at most
     * @param maxGuards how many guards the directory keeps at most
     * @param retention how long a guard that stopped renewing stays listed
     */
    public GuardDirectory(Clock clock, int maxPeers, int maxGuards, Duration retention) {
        this.clock = requireNonNull(clock, "clock is null");
        this.retention = requireNonNull(retention, "retention is null");
        if (maxPeers < 0 || maxGuards < 1) {
            throw new IllegalArgumentException("maxPeers must be >= 0 and maxGuards positive");
        }
        this.maxPeers = maxPeers;
        this.maxGuards = maxGuards;
    }

    /** Whether {@code address} is {@code IP:PORT} (an IPv4 literal, or an IPv6 literal in brackets). */
    public static boolean validAddress(String address) {
        if (address.isEmpty() || address.length() > MAX_ADDRESS_LENGTH) {
            return false;
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            return false;
        }
        String host = address.substring(0, colon);
        String port = address.substring(colon + 1);
        if (!port.chars().allMatch(Character::isDigit) || port.length() > 5) {
            return false;
        }
        int number = Integer.parseInt(port);
        if (number < 1 || number > 65535) {
            return false;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (!host.contains(":") || !host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':')) {
                return false;
            }
        } else if (!host.chars().allMatch(c -> Character.isDigit(c) || c == '.') || host.split("\\.").length != 4) {
            return false;
        }
        try {
            return !InetAddress.getByName(host).isAnyLocalAddress(); // a literal: no name lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The host's guard answers at {@code address} (already {@linkplain #validAddress checked}). */
    public synchronized void record(UUID hostId, String address) {
        Seen previous = seen.get(hostId);
        if (previous == null && seen.size() >= maxGuards) {
            return;
        }
        seen.put(hostId, new Seen(address, clock.instant()));
        if (previous == null || !previous.address().equals(address)) {
            dirty = true;
        }
    }

    /** The host's peers: up to {@code maxPeers} other guards, the same ones from call to call while nothing changes. */
    public synchronized List<Entry> peersOf(UUID hostId) {
        Instant now = clock.instant();
        if (dirty || rebuiltAt.plus(retention).isBefore(now)) {
            rebuild(now);
        }
        if (ring.length == 0 || maxPeers == 0) {
            return List.of();
        }
        int index = Arrays.binarySearch(
                ring, new Entry(hostId, ""), (a, b) -> a.hostId().compareTo(b.hostId()));
        int start = index >= 0 ? index + 1 : -index - 1;
        List<Entry> peers = new ArrayList<>(Math.min(maxPeers, ring.length));
        for (int i = 0; i < ring.length && peers.size() < maxPeers; i++) {
            Entry entry = ring[(start + i) % ring.length];
            if (!entry.hostId().equals(hostId)) {
                peers.add(entry);
            }
        }
        return peers;
    }

    /** How many guards are listed (for tests and logs). */
    public synchronized int size() {
        return seen.size();
    }

    private void rebuild(Instant now) {
        Instant oldest = now.minus(retention);
        seen.values().removeIf(entry -> entry.at().isBefore(oldest));
        ring = seen.entrySet().stream()
                .map(entry -> new Entry(entry.getKey(), entry.getValue().address()))
                .sorted((a, b) -> a.hostId().compareTo(b.hostId()))
                .toArray(Entry[]::new);
        dirty = false;
        rebuiltAt = now;
    }
}
