package io.vireo.store;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.port.NetworkRepository;
import io.vireo.controller.port.PoolSegments;
import io.vireo.model.AddressRange;
import io.vireo.model.FixedIp;
import io.vireo.model.Ipv4Address;
import io.vireo.model.Ipv4Cidr;
import io.vireo.model.Ipv6Cidr;
import io.vireo.model.MacAddress;
import io.vireo.model.Network;
import io.vireo.model.Port;
import io.vireo.model.Subnet;
import io.vireo.store.SqlErrors.Violations;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Networks, subnets, ports and their addresses in the tables of V39 (ADR 23). Allocations of one subnet are serialized
 * by a lock on the subnet's row, taken by every port create that allocates in it and by the subnet's delete. An
 * automatic address is the next free one from the subnet's cursor ({@code next_address}, one past the last address
 * given), found by one query over the allocated ones (a free address is a segment's first or follows an allocated
 * one), so an allocation costs an ordered scan of the allocated addresses from the cursor to the first gap — usually
 * none — never the pool's size. The primary key of
 * {@code ip_allocations} remains the guard. Thread-safe.
 */
final class PostgresNetworkRepository implements NetworkRepository {
    private static final String NETWORK_COLUMNS = "id, project_id, name, created_at, vni, mtu, external";
    private static final String SUBNET_COLUMNS = "id, project_id, network_id, name, created_at, cidr::text AS cidr,"
            + " ipv6_cidr::text AS ipv6_cidr, gateway, dns_servers, pools";
    private static final String PORT_COLUMNS = "id, project_id, network_id, name, created_at, mac, vm_id";

    /** Whether an allocation row keeps its address from automatic allocation: allocated, or released recently. */
    private static final String TAKEN = "(%1$s.port_id IS NOT NULL OR %1$s.released_at > ?)";

    /**
     * The lowest address of the segment [first, last] that is not taken: its first, or else the address after the run of
     * taken addresses that starts there (found by one ordered scan of the pool's index entries up to the first gap).
     * Parameters: first, subnet, first, heldSince; subnet, first, last, heldSince, last.
     */
    private static final String LOWEST_FREE = """
            SELECT candidate FROM (
                SELECT CAST(? AS bigint) AS candidate WHERE NOT EXISTS (
                    SELECT 1 FROM ip_allocations t WHERE t.subnet_id = ? AND t.address = ? AND %1$s)
                UNION ALL (
                    SELECT address + 1 FROM (
                        SELECT a.address, lead(a.address) OVER (ORDER BY a.address) AS next FROM ip_allocations a
                        WHERE a.subnet_id = ? AND a.address BETWEEN ? AND ? AND %2$s) run
                    WHERE address < ? AND (next IS NULL OR next > address + 1)
                    ORDER BY address LIMIT 1)
            ) candidates ORDER BY candidate LIMIT 1""".formatted(TAKEN.formatted("t"), TAKEN.formatted("a"));

    /** Of the pool [?, ?], the released address released longest ago. */
    private static final String OLDEST_RELEASED = """
            SELECT address, released_at FROM ip_allocations
            WHERE subnet_id = ? AND port_id IS NULL AND address BETWEEN ? AND ?
            ORDER BY released_at, address LIMIT 1""";

    /** Gives the address to the port unless another port has it; a released row is taken over. */
    private static final String ALLOCATE = """
            INSERT INTO ip_allocations (subnet_id, address, port_id, released_at) VALUES (?, ?, ?, NULL)
            ON CONFLICT (subnet_id, address) DO UPDATE SET port_id = EXCLUDED.port_id, released_at = NULL
            WHERE ip_allocations.port_id IS NULL""";

    private final Jdbc jdbc;

    PostgresNetworkRepository(Jdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    @Override
    public Network createNetwork(UUID id, UUID projectId, String name, Instant createdAt, int mtu, boolean external) {
        // a VNI taken by a network that outlived a wrap of the sequence is a unique violation: the next value is tried
        Violations violations = e -> {
            if (!SqlErrors.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return null;
            }
            return constraint(e).contains("vni")
                    ? VireoException.conflict("no free VNI")
                    : VireoException.alreadyExists("network", name);
        };
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbc.autoCommit(
                        connection -> Jdbc.queryOne(
                                        connection,
                                        "INSERT INTO networks (id, project_id, name, created_at, mtu, external)"
                                                + " VALUES (?, ?, ?, ?, ?, ?) RETURNING " + NETWORK_COLUMNS,
                                        PostgresNetworkRepository::network,
                                        id,
                                        projectId,
                                        name,
                                        createdAt,
                                        mtu,
                                        external)
                                .orElseThrow(),
                        violations);
            } catch (VireoException e) {
                if (e.code() != ErrorCode.CONFLICT || attempt >= MAX_VNI_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** How many VNIs a create tries when the sequence has wrapped onto taken ones. */
    private static final int MAX_VNI_ATTEMPTS = 64;

    private static String constraint(SQLException e) {
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        String name = server == null ? null : server.getConstraint();
        return name == null ? "" : name;
    }

    @Override
    public Optional<Network> findNetwork(UUID id) {
        return jdbc.queryOne(
                "SELECT " + NETWORK_COLUMNS + " FROM networks WHERE id = ?", PostgresNetworkRepository::network, id);
    }

    @Override
    public Optional<Network> findNetwork(UUID projectId, String name) {
        return jdbc.queryOne(
                "SELECT " + NETWORK_COLUMNS + " FROM networks WHERE project_id = ? AND name = ?",
                PostgresNetworkRepository::network,
                projectId,
                name);
    }

    @Override
    public List<Network> listNetworks(UUID projectId) {
        return jdbc.queryList(
                "SELECT " + NETWORK_COLUMNS + " FROM networks WHERE project_id = ? ORDER BY name",
                PostgresNetworkRepository::network,
                projectId);
    }

    /** Ports keep their network (ON DELETE RESTRICT): a network with ports fails the delete with a key violation. */
    @Override
    public DeleteOutcome deleteNetwork(UUID projectId, String name) {
        try {
            int deleted = jdbc.autoCommit(
                    connection -> Jdbc.update(
                            connection, "DELETE FROM networks WHERE project_id = ? AND name = ?", projectId, name),
                    Violations.foreignKey(() -> VireoException.conflict("network '" + name + "' has ports")));
            return deleted > 0 ? DeleteOutcome.DELETED : DeleteOutcome.NOT_FOUND;
        } catch (VireoException e) {
            if (e.code() == ErrorCode.CONFLICT) {
                return DeleteOutcome.IN_USE;
            }
            throw e;
        }
    }

    /** The network's row is locked, so its subnets' CIDRs are compared with no other subnet of it being created. */
    @Override
    public Subnet createSubnet(Subnet subnet) {
        return jdbc.inTransaction(
                connection -> {
                    if (Jdbc.queryOne(
                                    connection,
                                    "SELECT 1 FROM networks WHERE id = ? AND project_id = ? FOR UPDATE",
                                    row -> 1,
                                    subnet.networkId(),
                                    subnet.projectId())
                            .isEmpty()) {
                        throw VireoException.notFound(
                                "network", subnet.networkId().toString());
                    }
                    checkRoom(connection, subnet);
                    Jdbc.update(
                            connection,
                            "INSERT INTO subnets (id, project_id, network_id, name, created_at, cidr, ipv6_cidr,"
                                    + " gateway, dns_servers, pools)"
                                    + " VALUES (?, ?, ?, ?, ?, CAST(? AS cidr), CAST(? AS cidr), ?, ?, ?)",
                            subnet.id(),
                            subnet.projectId(),
                            subnet.networkId(),
                            subnet.name(),
                            subnet.createdAt(),
                            subnet.cidr().toString(),
                            subnet.ipv6Cidr() == null ? null : subnet.ipv6Cidr().toString(),
                            subnet.gateway() == null ? null : subnet.gateway().toString(),
                            subnet.dnsServers().stream()
                                    .map(Ipv4Address::toString)
                                    .toList(),
                            subnet.pools().stream().map(AddressRange::toString).toList());
                    return subnet;
                },
                Violations.unique(() -> VireoException.alreadyExists("subnet", subnet.name())));
    }

    private static void checkRoom(Connection connection, Subnet subnet) throws SQLException {
        long count = Jdbc.queryOne(
                        connection,
                        "SELECT count(*) FROM subnets WHERE network_id = ?",
                        row -> row.getLong(1),
                        subnet.networkId())
                .orElseThrow();
        if (count >= MAX_SUBNETS_PER_NETWORK) {
            throw VireoException.conflict("a network has at most " + MAX_SUBNETS_PER_NETWORK + " subnets");
        }
        Optional<String> overlapping = Jdbc.queryOne(
                connection,
                "SELECT name FROM subnets WHERE network_id = ?"
                        + " AND (cidr && CAST(? AS cidr) OR ipv6_cidr && CAST(? AS cidr)) ORDER BY name LIMIT 1",
                row -> row.getString(1),
                subnet.networkId(),
                subnet.cidr().toString(),
                subnet.ipv6Cidr() == null ? null : subnet.ipv6Cidr().toString());
        if (overlapping.isPresent()) {
            throw VireoException.conflict(
                    "subnet '" + subnet.name() + "' overlaps subnet '" + overlapping.get() + "' of the network");
        }
    }

    @Override
    public Optional<Subnet> findSubnet(UUID projectId, String name) {
        return jdbc.queryOne(
                "SELECT " + SUBNET_COLUMNS + " FROM subnets WHERE project_id = ? AND name = ?",
                PostgresNetworkRepository::subnet,
                projectId,
                name);
    }

    @Override
    public List<Subnet> listSubnets(UUID projectId) {
        return jdbc.queryList(
                "SELECT " + SUBNET_COLUMNS + " FROM subnets WHERE project_id = ? ORDER BY name",
                PostgresNetworkRepository::subnet,
                projectId);
    }

    @Override
    public List<Subnet> subnetsOf(UUID networkId) {
        return jdbc.queryList(
                "SELECT " + SUBNET_COLUMNS + " FROM subnets WHERE network_id = ? ORDER BY created_at, id",
                PostgresNetworkRepository::subnet,
                networkId);
    }

    /** The subnet's row is locked as by an allocation, so no port gets one of its addresses while it goes. */
    @Override
    public DeleteOutcome deleteSubnet(UUID projectId, String name) {
        return jdbc.inTransaction(connection -> {
            Optional<UUID> id = Jdbc.queryOne(
                    connection,
                    "SELECT id FROM subnets WHERE project_id = ? AND name = ? FOR UPDATE",
                    row -> Rows.uuid(row, "id"),
                    projectId,
                    name);
            if (id.isEmpty()) {
                return DeleteOutcome.NOT_FOUND;
            }
            if (Jdbc.queryOne(
                            connection,
                            "SELECT 1 FROM ip_allocations WHERE subnet_id = ? AND port_id IS NOT NULL LIMIT 1",
                            row -> 1,
                            id.get())
                    .isPresent()) {
                return DeleteOutcome.IN_USE;
            }
            Jdbc.update(connection, "DELETE FROM subnets WHERE id = ?", id.get());
            return DeleteOutcome.DELETED;
        });
    }

    /**
     * One transaction: the subnet's row locked, the address chosen (nothing written if there is none), the port
     * inserted (nothing written if its MAC is taken), the address given to it.
     */
    @Override
    public PortResult createPort(Port port, @Nullable AddressRequest request, Instant now) {
        return jdbc.inTransaction(
                connection -> {
                    Ipv4Address address = null;
                    if (request != null) {
                        Subnet subnet = lockSubnet(connection, port, request.subnetId());
                        Optional<Ipv4Address> chosen = switch (request) {
                            case AddressRequest.Automatic automatic ->
                                nextFree(connection, subnet, automatic.heldSince());
                            case AddressRequest.Fixed fixed -> free(connection, subnet, fixed.address());
                        };
                        if (chosen.isEmpty()) {
                            return request instanceof AddressRequest.Fixed
                                    ? new PortResult.AddressTaken()
                                    : new PortResult.Exhausted();
                        }
                        address = chosen.get();
                    }
                    if (!insertPort(connection, port)) {
                        return new PortResult.MacTaken();
                    }
                    if (request == null || address == null) {
                        return new PortResult.Created(port.withFixedIps(List.of()));
                    }
                    if (Jdbc.update(connection, ALLOCATE, request.subnetId(), address.value(), port.id()) != 1) {
                        throw new IllegalStateException("address " + address + " was taken under the subnet's lock");
                    }
                    if (request instanceof AddressRequest.Automatic) {
                        Jdbc.update(
                                connection,
                                "UPDATE subnets SET next_address = ? WHERE id = ?",
                                address.value() + 1,
                                request.subnetId());
                    }
                    return new PortResult.Created(port.withFixedIps(List.of(new FixedIp(request.subnetId(), address))));
                },
                Violations.unique(() -> VireoException.alreadyExists("port", String.valueOf(port.name())))
                        .or(Violations.foreignKey(() -> VireoException.notFound(
                                "network", port.networkId().toString()))));
    }

    private static Subnet lockSubnet(Connection connection, Port port, UUID subnetId) throws SQLException {
        return Jdbc.queryOne(
                        connection,
                        "SELECT " + SUBNET_COLUMNS + " FROM subnets WHERE id = ? AND network_id = ? FOR UPDATE",
                        PostgresNetworkRepository::subnet,
                        subnetId,
                        port.networkId())
                .orElseThrow(() -> VireoException.notFound("subnet", subnetId.toString()));
    }

    /**
     * Next fit: the lowest free address at or after the subnet's cursor, else (wrapping) before it; the cursor moves
     * past the address given. A released address is thus reused only once the pools have been gone round, and never
     * while held back unless nothing else is free.
     */
    private static Optional<Ipv4Address> nextFree(Connection connection, Subnet subnet, Instant heldSince)
            throws SQLException {
        long cursor = Jdbc.queryOne(
                        connection, "SELECT next_address FROM subnets WHERE id = ?", row -> row.getLong(1), subnet.id())
                .orElseThrow();
        for (AddressRange segment : PoolSegments.from(subnet.pools(), cursor)) {
            Optional<Long> found = Jdbc.queryOne(
                    connection,
                    LOWEST_FREE,
                    row -> row.getLong(1),
                    segment.first().value(),
                    subnet.id(),
                    segment.first().value(),
                    heldSince,
                    subnet.id(),
                    segment.first().value(),
                    segment.last().value(),
                    heldSince,
                    segment.last().value());
            if (found.isPresent()) {
                return Optional.of(new Ipv4Address(found.get()));
            }
        }
        return oldestReleased(connection, subnet);
    }

    /** The pools' address released longest ago, when every other is allocated or held back. */
    private static Optional<Ipv4Address> oldestReleased(Connection connection, Subnet subnet) throws SQLException {
        Ipv4Address oldest = null;
        Instant oldestAt = null;
        for (AddressRange pool : subnet.pools()) {
            Optional<Map.Entry<Long, Instant>> released = Jdbc.queryOne(
                    connection,
                    OLDEST_RELEASED,
                    row -> Map.entry(row.getLong("address"), Rows.instant(row, "released_at")),
                    subnet.id(),
                    pool.first().value(),
                    pool.last().value());
            if (released.isPresent()
                    && (oldestAt == null || released.get().getValue().isBefore(oldestAt))) {
                oldest = new Ipv4Address(released.get().getKey());
                oldestAt = released.get().getValue();
            }
        }
        return Optional.ofNullable(oldest);
    }

    private static Optional<Ipv4Address> free(Connection connection, Subnet subnet, Ipv4Address address)
            throws SQLException {
        boolean allocated = Jdbc.queryOne(
                        connection,
                        "SELECT 1 FROM ip_allocations WHERE subnet_id = ? AND address = ? AND port_id IS NOT NULL",
                        row -> 1,
                        subnet.id(),
                        address.value())
                .isPresent();
        return allocated ? Optional.empty() : Optional.of(address);
    }

    /** Inserts the port unless its network has a port with its MAC. */
    private static boolean insertPort(Connection connection, Port port) throws SQLException {
        return Jdbc.update(
                        connection,
                        "INSERT INTO ports (" + PORT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT (network_id, mac) DO NOTHING",
                        port.id(),
                        port.projectId(),
                        port.networkId(),
                        port.name(),
                        port.createdAt(),
                        port.mac().value(),
                        port.vmId())
                > 0;
    }

    @Override
    public Optional<Port> findPort(UUID projectId, UUID id) {
        return onePort("id = ?", projectId, id);
    }

    @Override
    public Optional<Port> findPort(UUID projectId, String name) {
        return onePort("name = ?", projectId, name);
    }

    private Optional<Port> onePort(String condition, UUID projectId, Object key) {
        List<Port> ports = ports("project_id = ? AND " + condition, projectId, key);
        return ports.isEmpty() ? Optional.empty() : Optional.of(ports.getFirst());
    }

    @Override
    public List<Port> listPorts(UUID projectId) {
        return ports("project_id = ?", projectId);
    }

    /** The ports matching {@code condition}, each with its allocated addresses. */
    private List<Port> ports(String condition, Object... parameters) {
        return jdbc.autoCommit(connection -> {
            List<Port> ports = Jdbc.queryList(
                    connection,
                    "SELECT " + PORT_COLUMNS + " FROM ports WHERE " + condition + " ORDER BY created_at, id",
                    PostgresNetworkRepository::port,
                    parameters);
            if (ports.isEmpty()) {
                return ports;
            }
            Map<UUID, List<FixedIp>> addresses = new HashMap<>();
            for (Map.Entry<UUID, FixedIp> row : Jdbc.queryList(
                    connection,
                    "SELECT port_id, subnet_id, address FROM ip_allocations WHERE port_id = ANY (?)"
                            + " ORDER BY subnet_id, address",
                    result -> Map.entry(
                            Rows.uuid(result, "port_id"),
                            new FixedIp(Rows.uuid(result, "subnet_id"), new Ipv4Address(result.getLong("address")))),
                    new Rows.SqlArray("uuid", ports.stream().map(Port::id).toArray()))) {
                addresses
                        .computeIfAbsent(row.getKey(), key -> new ArrayList<>())
                        .add(row.getValue());
            }
            return ports.stream()
                    .map(port -> port.withFixedIps(addresses.getOrDefault(port.id(), List.of())))
                    .toList();
        });
    }

    /** Releases the port's addresses (held back from {@code now}) and deletes it, in one transaction. */
    @Override
    public boolean deletePort(UUID projectId, UUID id, Instant now) {
        return jdbc.inTransaction(connection -> {
            if (Jdbc.queryOne(
                            connection,
                            "SELECT 1 FROM ports WHERE id = ? AND project_id = ? FOR UPDATE",
                            r -> 1,
                            id,
                            projectId)
                    .isEmpty()) {
                return false;
            }
            Jdbc.update(
                    connection, "UPDATE ip_allocations SET port_id = NULL, released_at = ? WHERE port_id = ?", now, id);
            Jdbc.update(connection, "DELETE FROM ports WHERE id = ?", id);
            return true;
        });
    }

    private static Network network(ResultSet row) throws SQLException {
        return new Network(
                Rows.uuid(row, "id"),
                Rows.uuid(row, "project_id"),
                row.getString("name"),
                Rows.instant(row, "created_at"),
                row.getInt("vni"),
                row.getInt("mtu"),
                row.getBoolean("external"));
    }

    private static Subnet subnet(ResultSet row) throws SQLException {
        String ipv6 = row.getString("ipv6_cidr");
        String gateway = row.getString("gateway");
        return new Subnet(
                Rows.uuid(row, "id"),
                Rows.uuid(row, "project_id"),
                Rows.uuid(row, "network_id"),
                row.getString("name"),
                Rows.instant(row, "created_at"),
                Ipv4Cidr.parse("cidr", row.getString("cidr")),
                ipv6 == null ? null : Ipv6Cidr.parse("ipv6Cidr", ipv6),
                gateway == null ? null : Ipv4Address.parse("gateway", gateway),
                texts(row, "dns_servers").stream()
                        .map(text -> Ipv4Address.parse("dnsServers", text))
                        .toList(),
                texts(row, "pools").stream()
                        .map(text -> AddressRange.parse("pools", text))
                        .toList());
    }

    private static List<String> texts(ResultSet row, String column) throws SQLException {
        Array array = row.getArray(column);
        if (array == null) {
            return List.of();
        }
        try {
            return List.of((String[]) array.getArray());
        } finally {
            array.free();
        }
    }

    private static Port port(ResultSet row) throws SQLException {
        UUID vmId = row.getObject("vm_id", UUID.class);
        return new Port(
                Rows.uuid(row, "id"),
                Rows.uuid(row, "project_id"),
                Rows.uuid(row, "network_id"),
                row.getString("name"),
                Rows.instant(row, "created_at"),
                new MacAddress(row.getLong("mac")),
                vmId,
                List.of());
    }
}
