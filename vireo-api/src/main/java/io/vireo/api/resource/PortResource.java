package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.NewPortJson;
import io.vireo.api.json.PageJson;
import io.vireo.api.json.PortJson;
import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.NetworkService;
import io.vireo.controller.RequestContext;
import io.vireo.controller.port.Page;
import io.vireo.model.Ipv4Address;
import io.vireo.model.Network;
import io.vireo.model.Port;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /ports}: points of attachment to the caller's project's networks, with their MAC and IPv4 addresses (ADR
 * 23). A port is named in the path by its name or id. Thread-safe.
 */
public final class PortResource {
    static final String PATH = ApiPaths.V1 + "/ports";

    private static final Parameter NAME_OR_ID = Parameter.path("nameOrId", "The port's name or id.");

    private final NetworkService networks;

    public PortResource(NetworkService networks) {
        this.networks = requireNonNull(networks, "networks is null");
    }

    public List<Route> routes() {
        return List.of(
                Route.of(
                        HttpMethod.GET,
                        PATH,
                        Operation.builder("listPorts", "List the project's ports, ordered by id")
                                .paged()
                                .responds(200, "A page of ports", Payload.pageOf(PortJson.class))
                                .build(),
                        this::list),
                Route.of(
                        HttpMethod.POST,
                        PATH,
                        Operation.builder(
                                        "createPort",
                                        "Create a port with a generated MAC and an IPv4 address; CONFLICT if the"
                                                + " address asked for is taken or the pools are exhausted")
                                .requestBody(NewPortJson.class)
                                .responds(201, "The new port", Payload.of(PortJson.class))
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.ALREADY_EXISTS, ErrorCode.CONFLICT)
                                .build(),
                        this::create),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/{nameOrId}",
                        Operation.builder("getPort", "Get a port")
                                .parameter(NAME_OR_ID)
                                .responds(200, "The port", Payload.of(PortJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        this::get),
                Route.of(
                        HttpMethod.DELETE,
                        PATH + "/{nameOrId}",
                        Operation.builder(
                                        "deletePort",
                                        "Delete a port that no existing VM owns; its addresses are held back before"
                                                + " reuse")
                                .parameter(NAME_OR_ID)
                                .responds(204, "Deleted", Payload.none())
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        this::delete));
    }

    private ApiResponse list(ApiRequest request) {
        RequestContext context = request.context();
        List<Port> all = networks.ports(context);
        Page<Port> page = NamePages.page(
                all,
                port -> port.id().toString(),
                request.limit(),
                request.cursor().orElse(null));
        Map<UUID, Network> byId = SubnetResource.networksById(networks, context);
        return ApiResponse.ok(new PageJson<>(
                page.items().stream()
                        .map(port -> PortJson.of(port, SubnetResource.network(byId, port.networkId())))
                        .toList(),
                page.nextCursor()));
    }

    private ApiResponse create(ApiRequest request) {
        NewPortJson body = request.body(NewPortJson.class);
        String ip = body.ip();
        Ipv4Address address = ip == null ? null : Ipv4Address.parse("ip", ip);
        Port port = networks.createPort(request.context(), body.network(), body.name(), address, body.vm());
        return ApiResponse.created(json(port), PATH + "/" + port.id());
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(json(networks.port(request.context(), nameOrId(request))));
    }

    private PortJson json(Port port) {
        Network network = networks.networkById(port.networkId())
                .orElseThrow(() -> VireoException.notFound("port", port.id().toString()));
        return PortJson.of(port, network);
    }

    private ApiResponse delete(ApiRequest request) {
        networks.deletePort(request.context(), nameOrId(request));
        return ApiResponse.noContent();
    }

    private static String nameOrId(ApiRequest request) {
        return Lookups.requireNameOrId("nameOrId", request.pathParameter("nameOrId"));
    }
}
