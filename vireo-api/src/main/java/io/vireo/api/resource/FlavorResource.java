package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.FlavorJson;
import io.vireo.api.json.NewFlavorJson;
import io.vireo.api.json.PageJson;
import io.vireo.common.ErrorCode;
import io.vireo.common.Names;
import io.vireo.controller.CatalogService;
import io.vireo.controller.port.Page;
import io.vireo.model.Flavor;
import java.util.List;

/** {@code /flavors}: VM sizes, shared by all projects. Thread-safe. */
public final class FlavorResource {
    static final String PATH = ApiPaths.V1 + "/flavors";

    private static final Parameter NAME = Parameter.path("name", "The flavor's name.");

    private final CatalogService catalog;

    public FlavorResource(CatalogService catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    public List<Route> routes() {
        return List.of(
                Route.of(
                        HttpMethod.GET,
                        PATH,
                        Operation.builder("listFlavors", "List flavors, ordered by name")
                                .paged()
                                .responds(200, "A page of flavors", Payload.pageOf(FlavorJson.class))
                                .build(),
                        this::list),
                Route.of(
                        HttpMethod.POST,
                        PATH,
                        Operation.builder("createFlavor", "Create a flavor")
                                .requestBody(NewFlavorJson.class)
                                .responds(201, "The new flavor", Payload.of(FlavorJson.class))
                                .errors(ErrorCode.ALREADY_EXISTS)
                                .build(),
                        this::create),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/{name}",
                        Operation.builder("getFlavor", "Get a flavor")
                                .parameter(NAME)
                                .responds(200, "The flavor", Payload.of(FlavorJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        this::get),
                Route.of(
                        HttpMethod.DELETE,
                        PATH + "/{name}",
                        Operation.builder(
                                        "deleteFlavor",
                                        "Delete a flavor; refused (409) while VMs that are not deleted were created"
                                                + " from it")
                                .parameter(NAME)
                                .responds(204, "Deleted", Payload.none())
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        this::delete));
    }

    private ApiResponse list(ApiRequest request) {
        Page<Flavor> page = NamePages.page(
                catalog.flavors(),
                Flavor::name,
                request.limit(),
                request.cursor().orElse(null));
        return ApiResponse.ok(
                new PageJson<>(page.items().stream().map(FlavorJson::of).toList(), page.nextCursor()));
    }

    private ApiResponse create(ApiRequest request) {
        NewFlavorJson body = request.body(NewFlavorJson.class);
        Flavor flavor = catalog.createFlavor(body.name(), body.vcpus(), body.memoryMib(), body.diskGib());
        return ApiResponse.created(FlavorJson.of(flavor), PATH + "/" + flavor.name());
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(FlavorJson.of(catalog.flavor(name(request))));
    }

    private ApiResponse delete(ApiRequest request) {
        catalog.deleteFlavor(name(request));
        return ApiResponse.noContent();
    }

    private static String name(ApiRequest request) {
        return Names.require("name", request.pathParameter("name"));
    }
}
