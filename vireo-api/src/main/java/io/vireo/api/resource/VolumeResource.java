package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.NewVolumeJson;
import io.vireo.api.json.PageJson;
import io.vireo.api.json.VolumeJson;
import io.vireo.common.ErrorCode;
import io.vireo.common.Names;
import io.vireo.controller.CatalogService;
import io.vireo.controller.port.Page;
import io.vireo.model.Host;
import io.vireo.model.Volume;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /volumes}: data volumes of the caller's project. A volume is attached by naming it in a VM create
 * ({@code volumes}) and goes with that VM unless the create asked to keep it. Thread-safe.
 */
public final class VolumeResource {
    static final String PATH = ApiPaths.V1 + "/volumes";

    private static final Parameter NAME = Parameter.path("name", "The volume's name.");

    private final CatalogService catalog;

    public VolumeResource(CatalogService catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    public List<Route> routes() {
        return List.of(
                Route.of(
                        HttpMethod.GET,
                        PATH,
                        Operation.builder("listVolumes", "List the project's volumes, ordered by name")
                                .paged()
                                .responds(200, "A page of volumes", Payload.pageOf(VolumeJson.class))
                                .build(),
                        this::list),
                Route.of(
                        HttpMethod.POST,
                        PATH,
                        Operation.builder("createVolume", "Create a blank data volume")
                                .requestBody(NewVolumeJson.class)
                                .responds(201, "The new volume", Payload.of(VolumeJson.class))
                                .errors(ErrorCode.ALREADY_EXISTS, ErrorCode.QUOTA_EXCEEDED)
                                .build(),
                        this::create),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/{name}",
                        Operation.builder("getVolume", "Get a volume")
                                .parameter(NAME)
                                .responds(200, "The volume", Payload.of(VolumeJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        this::get),
                Route.of(
                        HttpMethod.DELETE,
                        PATH + "/{name}",
                        Operation.builder(
                                        "deleteVolume",
                                        "Delete a volume that is not attached (a kept volume's file stays on its host)")
                                .parameter(NAME)
                                .responds(204, "Deleted", Payload.none())
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        this::delete));
    }

    private ApiResponse list(ApiRequest request) {
        Page<Volume> page = NamePages.page(
                catalog.volumes(request.context()),
                Volume::name,
                request.limit(),
                request.cursor().orElse(null));
        Map<UUID, Host> hosts = catalog.volumeHosts(page.items());
        return ApiResponse.ok(new PageJson<>(
                page.items().stream()
                        .map(volume -> VolumeJson.of(volume, hosts.get(volume.id())))
                        .toList(),
                page.nextCursor()));
    }

    private ApiResponse create(ApiRequest request) {
        NewVolumeJson body = request.body(NewVolumeJson.class);
        Volume volume = catalog.createVolume(request.context(), body.name(), body.sizeGib());
        return ApiResponse.created(json(volume), PATH + "/" + volume.name());
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(json(catalog.volume(request.context(), name(request))));
    }

    private VolumeJson json(Volume volume) {
        return VolumeJson.of(volume, catalog.volumeHost(volume));
    }

    private ApiResponse delete(ApiRequest request) {
        catalog.deleteVolume(request.context(), name(request));
        return ApiResponse.noContent();
    }

    private static String name(ApiRequest request) {
        return Names.require("name", request.pathParameter("name"));
    }
}
