package io.vireo.store;

import io.vireo.model.CapacityPolicy;
import io.vireo.model.DesiredState;
import io.vireo.model.Event;
import io.vireo.model.Flavor;
import io.vireo.model.GuestSpec;
import io.vireo.model.HaPolicy;
import io.vireo.model.Host;
import io.vireo.model.HostReservation;
import io.vireo.model.HostState;
import io.vireo.model.HostUsage;
import io.vireo.model.Image;
import io.vireo.model.ImageContent;
import io.vireo.model.ImageFormat;
import io.vireo.model.ImageStatus;
import io.vireo.model.PlacementConstraints;
import io.vireo.model.Resources;
import io.vireo.model.ServerGroup;
import io.vireo.model.ServerGroupPolicy;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import io.vireo.model.Volume;
import io.vireo.model.VolumeAttachment;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Column lists, row mappers and parameter binding shared by the adapters. Timestamps are {@code timestamptz}, stored
 * with microsecond precision.
 */
final class Rows {
    /**
     * A host's columns, for a {@code SELECT … FROM hosts} or a {@code RETURNING} of a write to {@code hosts} (the
     * table not aliased). Its liveness (last heartbeat, usage) lives in {@code host_liveness} (V33) and is read by
     * subqueries, which a {@code RETURNING} list allows where a join is not.
     */
    static final String HOST_COLUMNS = "id, name, created_at, state, capacity_vcpus, capacity_memory_mib,"
            + " capacity_disk_gib, allocated_vcpus, allocated_memory_mib, allocated_disk_gib, resource_generation,"
            + " capabilities, driver, reserved_vcpus, reserved_memory_mib, reserved_disk_gib,"
            + " vcpu_allocation_ratio, memory_allocation_ratio, disk_allocation_ratio, capacity_policy_overridden,"
            + " agent_reserved_vcpus, agent_reserved_memory_mib, agent_reserved_disk_gib, "
            + liveness("last_heartbeat_at", null)
            + ", " + liveness("usage_cpu_percent", "0")
            + ", " + liveness("usage_memory_used_mib", "0")
            + ", " + liveness("usage_disk_used_gib", "0")
            + ", " + liveness("usage_running_vms", "0");

    static final String VM_COLUMNS = "id, project_id, name, created_at, flavor_id, image_id, vcpus, memory_mib,"
            + " disk_gib, generation, desired_state, reboot_count, host_id, epoch, state, state_reason,"
            + " observed_generation, started_at, updated_at, server_group_id, availability_zone, required_traits,"
            + " forbidden_traits, gang_id, ssh_keys, user_data, volume_ids, volume_sizes_gib, volume_delete_with_vm, ha_policy,"
            + " ha_priority";

    static final String SERVER_GROUP_COLUMNS = "id, project_id, name, created_at, policy, max_per_host";

    static final String FLAVOR_COLUMNS = "id, name, created_at, vcpus, memory_mib, disk_gib";

    static final String IMAGE_COLUMNS =
            "id, project_id, name, created_at, format, size_bytes, status, sha256, expected_sha256, status_reason";

    static final String VOLUME_COLUMNS =
            "id, project_id, name, created_at, size_gib, vm_id, delete_on_termination, host_id";

    static final String EVENT_COLUMNS =
            "sequence, created_at, object_kind, object_id, object_name, type, message," + " project_id, correlation_id";

    private Rows() {}

    private static String liveness(String column, @Nullable String otherwise) {
        String read = "(SELECT l." + column + " FROM host_liveness l WHERE l.host_id = hosts.id)";
        return (otherwise == null ? read : "coalesce(" + read + ", " + otherwise + ")") + " AS " + column;
    }

    static Host host(ResultSet row) throws SQLException {
        return new Host(
                uuid(row, "id"),
                row.getString("name"),
                instant(row, "created_at"),
                HostState.valueOf(row.getString("state")),
                resources(row, "capacity_"),
                resources(row, "allocated_"),
                row.getLong("resource_generation"),
                strings(row.getArray("capabilities")),
                row.getString("driver"),
                nullableInstant(row, "last_heartbeat_at"),
                new HostUsage(
                        row.getDouble("usage_cpu_percent"),
                        row.getLong("usage_memory_used_mib"),
                        row.getLong("usage_disk_used_gib"),
                        row.getInt("usage_running_vms")),
                new CapacityPolicy(
                        resources(row, "reserved_"),
                        row.getDouble("vcpu_allocation_ratio"),
                        row.getDouble("memory_allocation_ratio"),
                        row.getDouble("disk_allocation_ratio")),
                row.getBoolean("capacity_policy_overridden"),
                new HostReservation(
                        row.getObject("agent_reserved_vcpus", Integer.class),
                        row.getObject("agent_reserved_memory_mib", Long.class),
                        row.getObject("agent_reserved_disk_gib", Long.class)));
    }

    static Vm vm(ResultSet row) throws SQLException {
        return new Vm(
                uuid(row, "id"),
                uuid(row, "project_id"),
                row.getString("name"),
                instant(row, "created_at"),
                uuid(row, "flavor_id"),
                uuid(row, "image_id"),
                resources(row, ""),
                row.getLong("generation"),
                DesiredState.valueOf(row.getString("desired_state")),
                row.getLong("reboot_count"),
                row.getObject("host_id", UUID.class),
                row.getLong("epoch"),
                VmState.valueOf(row.getString("state")),
                row.getString("state_reason"),
                row.getLong("observed_generation"),
                nullableInstant(row, "started_at"),
                instant(row, "updated_at"),
                new PlacementConstraints(
                        row.getObject("server_group_id", UUID.class),
                        row.getString("availability_zone"),
                        Set.copyOf(strings(row.getArray("required_traits"))),
                        Set.copyOf(strings(row.getArray("forbidden_traits"))),
                        row.getObject("gang_id", UUID.class)),
                guest(row),
                new HaPolicy(HaPolicy.Mode.valueOf(row.getString("ha_policy")), row.getInt("ha_priority")));
    }

    /** The VM's SSH keys, user data and volume attachments, the three volume arrays taken index by index. */
    private static GuestSpec guest(ResultSet row) throws SQLException {
        Object[] ids = elements(row.getArray("volume_ids"));
        Object[] sizes = elements(row.getArray("volume_sizes_gib"));
        Object[] deleteWithVm = elements(row.getArray("volume_delete_with_vm"));
        List<VolumeAttachment> volumes = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            volumes.add(new VolumeAttachment((UUID) ids[i], (Long) sizes[i], (Boolean) deleteWithVm[i]));
        }
        return new GuestSpec(strings(row.getArray("ssh_keys")), row.getString("user_data"), volumes);
    }

    /** The guest spec's columns, as {@link #bind} parameters in {@link #VM_COLUMNS} order. */
    static List<@Nullable Object> guestParameters(GuestSpec guest) {
        List<VolumeAttachment> volumes = guest.volumes();
        return Arrays.<@Nullable Object>asList(
                guest.sshKeys(),
                guest.userData(),
                new SqlArray(
                        "uuid", volumes.stream().map(VolumeAttachment::volumeId).toArray()),
                new SqlArray(
                        "bigint",
                        volumes.stream().map(VolumeAttachment::sizeGib).toArray()),
                new SqlArray(
                        "boolean",
                        volumes.stream()
                                .map(VolumeAttachment::deleteOnTermination)
                                .toArray()));
    }

    static Volume volume(ResultSet row) throws SQLException {
        return new Volume(
                uuid(row, "id"),
                uuid(row, "project_id"),
                row.getString("name"),
                instant(row, "created_at"),
                row.getLong("size_gib"),
                row.getObject("vm_id", UUID.class),
                row.getBoolean("delete_on_termination"),
                row.getObject("host_id", UUID.class));
    }

    static ServerGroup serverGroup(ResultSet row) throws SQLException {
        return new ServerGroup(
                uuid(row, "id"),
                uuid(row, "project_id"),
                row.getString("name"),
                instant(row, "created_at"),
                ServerGroupPolicy.valueOf(row.getString("policy")),
                row.getInt("max_per_host"));
    }

    static Flavor flavor(ResultSet row) throws SQLException {
        return new Flavor(uuid(row, "id"), row.getString("name"), instant(row, "created_at"), resources(row, ""));
    }

    static Image image(ResultSet row) throws SQLException {
        return new Image(
                uuid(row, "id"),
                uuid(row, "project_id"),
                row.getString("name"),
                instant(row, "created_at"),
                ImageFormat.valueOf(row.getString("format")),
                row.getLong("size_bytes"),
                new ImageContent(
                        ImageStatus.valueOf(row.getString("status")),
                        row.getString("sha256"),
                        row.getString("expected_sha256"),
                        row.getString("status_reason")));
    }

    static Event event(ResultSet row) throws SQLException {
        return new Event(
                row.getLong("sequence"),
                instant(row, "created_at"),
                row.getString("object_kind"),
                uuid(row, "object_id"),
                row.getString("object_name"),
                row.getString("type"),
                row.getString("message"),
                row.getObject("project_id", UUID.class),
                row.getString("correlation_id"));
    }

    /** The {@code vcpus}, {@code memory_mib} and {@code disk_gib} columns, each with {@code prefix}. */
    static Resources resources(ResultSet row, String prefix) throws SQLException {
        return new Resources(
                row.getInt(prefix + "vcpus"), row.getLong(prefix + "memory_mib"), row.getLong(prefix + "disk_gib"));
    }

    /**
     * Binds one parameter. Supports the types the adapters pass: null, String, Integer, Long, Double, UUID, Instant
     * (as {@code timestamptz}), byte arrays (as {@code bytea}), enums (by name) and String lists (as {@code text[]}).
     */
    static void bind(PreparedStatement statement, int index, @Nullable Object value) throws SQLException {
        switch (value) {
            case null -> statement.setNull(index, Types.NULL);
            case String text -> statement.setString(index, text);
            case Integer number -> statement.setInt(index, number);
            case Long number -> statement.setLong(index, number);
            case Double number -> statement.setDouble(index, number);
            case UUID id -> statement.setObject(index, id);
            case Instant instant -> statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
            case Boolean flag -> statement.setBoolean(index, flag);
            case byte[] bytes -> statement.setBytes(index, bytes);
            case Enum<?> constant -> statement.setString(index, constant.name());
            case SqlArray array ->
                statement.setArray(index, statement.getConnection().createArrayOf(array.type(), array.values()));
            case List<?> list -> statement.setArray(index, textArray(statement, list));
            default ->
                throw new IllegalArgumentException(
                        "cannot bind a " + value.getClass().getName() + " to parameter " + index);
        }
    }

    private static Array textArray(PreparedStatement statement, List<?> list) throws SQLException {
        return statement.getConnection().createArrayOf("text", list.toArray());
    }

    static UUID uuid(ResultSet row, String column) throws SQLException {
        UUID id = row.getObject(column, UUID.class);
        if (id == null) {
            throw new SQLException("column " + column + " is null");
        }
        return id;
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        Instant instant = nullableInstant(row, column);
        if (instant == null) {
            throw new SQLException("column " + column + " is null");
        }
        return instant;
    }

    static @Nullable Instant nullableInstant(ResultSet row, String column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    private static Object[] elements(Array array) throws SQLException {
        try {
            return (Object[]) array.getArray();
        } finally {
            array.free();
        }
    }

    /** An array parameter of an SQL element type other than text, such as {@code uuid} or {@code bigint}. */
    record SqlArray(String type, Object[] values) {}

    private static List<String> strings(Array array) throws SQLException {
        try {
            return List.of((String[]) array.getArray());
        } finally {
            array.free();
        }
    }
}
