package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.NetworkJson;
import io.vireo.api.json.NewNetworkJson;
import io.vireo.api.json.PageJson;
import io.vireo.common.ErrorCode;
import io.vireo.common.Names;
import io.vireo.controller.NetworkService;
import io.vireo.controller.port.Page;
import io.vireo.model.Network;
import java.util.List;

/** {@code /networks}: virtual networks of the caller's project (ADR 23). Thread-safe. */
public final class NetworkResource {
    static final String PATH = ApiPaths.V1 + "/networks";

    private static final Parameter NAME = Parameter.path("name", "The network's name.");

    private final NetworkService networks;

    public NetworkResource(NetworkService networks) {
        this.networks = requireNonNull(networks, "networks is null");
    }

    public List<Route> routes() {
        return List.of(
                Route.of(
                        HttpMethod.GET,
                        PATH,
                        Operation.builder("listNetworks", "List the project's networks, ordered by name")
                                .paged()
                                .responds(200, "A page of networks", Payload.pageOf(NetworkJson.class))
                                .build(),
                        this::list),
                Route.of(
                        HttpMethod.POST,
                        PATH,
                        Operation.builder("createNetwork", "Create a network; the server chooses its VNI")
                                .requestBody(NewNetworkJson.class)
                                .responds(201, "The new network", Payload.of(NetworkJson.class))
                                .errors(ErrorCode.ALREADY_EXISTS, ErrorCode.CONFLICT)
                                .build(),
                        this::create),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/{name}",
                        Operation.builder("getNetwork", "Get a network")
                                .parameter(NAME)
                                .responds(200, "The network", Payload.of(NetworkJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        this::get),
                Route.of(
                        HttpMethod.DELETE,
                        PATH + "/{name}",
                        Operation.builder("deleteNetwork", "Delete a network without ports, with its subnets")
                                .parameter(NAME)
                                .responds(204, "Deleted", Payload.none())
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        this::delete));
    }

    private ApiResponse list(ApiRequest request) {
        Page<Network> page = NamePages.page(
                networks.networks(request.context()),
                Network::name,
                request.limit(),
                request.cursor().orElse(null));
        return ApiResponse.ok(
                new PageJson<>(page.items().stream().map(NetworkJson::of).toList(), page.nextCursor()));
    }

    private ApiResponse create(ApiRequest request) {
        NewNetworkJson body = request.body(NewNetworkJson.class);
        Network network = networks.createNetwork(
                request.context(), body.name(), body.mtu(), Boolean.TRUE.equals(body.external()));
        return ApiResponse.created(NetworkJson.of(network), PATH + "/" + network.name());
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(NetworkJson.of(networks.network(request.context(), name(request))));
    }

    private ApiResponse delete(ApiRequest request) {
        networks.deleteNetwork(request.context(), name(request));
        return ApiResponse.noContent();
    }

    private static String name(ApiRequest request) {
        return Names.require("name", request.pathParameter("name"));
    }
}
