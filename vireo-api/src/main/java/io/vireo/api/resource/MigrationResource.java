package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.MigrateVmJson;
import io.vireo.api.json.MigrationJson;
import io.vireo.api.json.PageJson;
import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.MigrationService;
import io.vireo.controller.port.HostRepository;
import io.vireo.model.Host;
import io.vireo.model.Migration;
import java.util.List;
import java.util.UUID;

/**
 * Live migration of a VM: {@code POST /vms/{nameOrId}/actions/migrate} starts one (202; the control plane and the
 * agents carry it out), {@code GET /vms/{nameOrId}/migrations[/{id}]} shows them. Thread-safe.
 */
public final class MigrationResource {
    private static final String VM_PATH = VmResource.PATH + "/{nameOrId}";
    private static final Parameter NAME_OR_ID = Parameter.path("nameOrId", "The VM's name or id.");
    private static final Parameter MIGRATION_ID = Parameter.path("migrationId", "The migration's id.");

    private final MigrationService migrations;
    private final HostRepository hosts;

    public MigrationResource(MigrationService migrations, HostRepository hosts) {
        this.migrations = requireNonNull(migrations, "migrations is null");
        this.hosts = requireNonNull(hosts, "hosts is null");
    }

    public List<Route> routes() {
        return List.of(
                Route.of(
                        HttpMethod.POST,
                        VM_PATH + "/actions/migrate",
                        Operation.builder(
                                        "migrateVm",
                                        "Live-migrate a running VM to another host (given, or picked by the"
                                                + " scheduler); the VM keeps running")
                                .parameter(NAME_OR_ID)
                                .requestBody(MigrateVmJson.class)
                                .responds(202, "The migration, accepted", Payload.of(MigrationJson.class))
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        this::migrate),
                Route.of(
                        HttpMethod.GET,
                        VM_PATH + "/migrations",
                        Operation.builder("listVmMigrations", "The VM's live migrations, newest first")
                                .parameter(NAME_OR_ID)
                                .responds(200, "The migrations", Payload.pageOf(MigrationJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        this::list),
                Route.of(
                        HttpMethod.GET,
                        VM_PATH + "/migrations/{migrationId}",
                        Operation.builder("getVmMigration", "One live migration of the VM")
                                .parameter(NAME_OR_ID)
                                .parameter(MIGRATION_ID)
                                .responds(200, "The migration", Payload.of(MigrationJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        this::get));
    }

    private ApiResponse migrate(ApiRequest request) {
        MigrateVmJson body = MigrateVmJson.of(request.body(JsonNode.class));
        String vm = nameOrId(request);
        Migration migration = migrations.migrate(request.context(), vm, body.host());
        return ApiResponse.accepted(
                view(migration), VmResource.PATH + "/" + migration.vmId() + "/migrations/" + migration.id());
    }

    private ApiResponse list(ApiRequest request) {
        List<MigrationJson> views =
                migrations.history(request.context(), nameOrId(request), MigrationService.MAX_HISTORY).stream()
                        .map(this::view)
                        .toList();
        return ApiResponse.ok(new PageJson<>(views, null));
    }

    private ApiResponse get(ApiRequest request) {
        UUID id = parseId(request.pathParameter("migrationId"));
        return ApiResponse.ok(view(migrations.get(request.context(), nameOrId(request), id)));
    }

    private MigrationJson view(Migration migration) {
        return MigrationJson.of(migration, hostName(migration.sourceHostId()), hostName(migration.destinationHostId()));
    }

    private String hostName(UUID hostId) {
        return hosts.find(hostId).map(Host::name).orElse(hostId.toString());
    }

    private static String nameOrId(ApiRequest request) {
        return Lookups.requireNameOrId("nameOrId", request.pathParameter("nameOrId"));
    }

    private static UUID parseId(String text) {
        try {
            UUID id = UUID.fromString(text);
            if (id.toString().equals(text)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw VireoException.invalid("migrationId", "must be a UUID");
    }
}
