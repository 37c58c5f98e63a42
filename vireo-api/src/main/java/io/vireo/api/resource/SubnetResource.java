package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.NewSubnetJson;
import io.vireo.api.json.PageJson;
import io.vireo.api.json.SubnetJson;
import io.vireo.common.ErrorCode;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.NetworkService;
import io.vireo.controller.RequestContext;
import io.vireo.controller.SubnetRequest;
import io.vireo.controller.port.Page;
import io.vireo.model.Network;
import io.vireo.model.Subnet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@code /subnets}: address ranges of the caller's project's networks (ADR 23). Thread-safe. */
public final class SubnetResource {
    static final String PATH = ApiPaths.V1 + "/subnets";

    private static final Parameter NAME = Parameter.path("name", "The subnet's name.");

    private final NetworkService networks;

    public SubnetResource(NetworkService networks) {
        this.networks = requireNonNull(networks, "networks is null");
    }

    public List<Route> routes() {
        return List.of(
                Route.of(
                        HttpMethod.GET,
                        PATH,
                        Operation.builder("listSubnets", "List the project's subnets, ordered by name")
                                .paged()
                                .responds(200, "A page of subnets", Payload.pageOf(SubnetJson.class))
                                .build(),
                        this::list),
                Route.of(
                        HttpMethod.POST,
                        PATH,
                        Operation.builder("createSubnet", "Create a subnet on a network of the project")
                                .requestBody(NewSubnetJson.class)
                                .responds(201, "The new subnet", Payload.of(SubnetJson.class))
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.ALREADY_EXISTS, ErrorCode.CONFLICT)
                                .build(),
                        this::create),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/{name}",
                        Operation.builder("getSubnet", "Get a subnet")
                                .parameter(NAME)
                                .responds(200, "The subnet", Payload.of(SubnetJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        this::get),
                Route.of(
                        HttpMethod.DELETE,
                        PATH + "/{name}",
                        Operation.builder("deleteSubnet", "Delete a subnet none of whose addresses a port has")
                                .parameter(NAME)
                                .responds(204, "Deleted", Payload.none())
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        this::delete));
    }

    private ApiResponse list(ApiRequest request) {
        RequestContext context = request.context();
        Page<Subnet> page = NamePages.page(
                networks.subnets(context),
                Subnet::name,
                request.limit(),
                request.cursor().orElse(null));
        Map<UUID, Network> byId = networksById(networks, context);
        return ApiResponse.ok(new PageJson<>(
                page.items().stream()
                        .map(subnet -> SubnetJson.of(subnet, network(byId, subnet.networkId())))
                        .toList(),
                page.nextCursor()));
    }

    private ApiResponse create(ApiRequest request) {
        NewSubnetJson body = request.body(NewSubnetJson.class);
        SubnetRequest subnet = SubnetRequest.parse(
                body.name(),
                body.network(),
                body.cidr(),
                body.ipv6Cidr(),
                body.gateway(),
                Boolean.TRUE.equals(body.noGateway()),
                Objects.requireNonNullElse(body.dnsServers(), List.of()),
                Objects.requireNonNullElse(body.pools(), List.of()));
        Subnet created = networks.createSubnet(request.context(), subnet);
        return ApiResponse.created(json(created), PATH + "/" + created.name());
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(json(networks.subnet(request.context(), name(request))));
    }

    private SubnetJson json(Subnet subnet) {
        Network network = networks.networkById(subnet.networkId())
                .orElseThrow(() -> VireoException.notFound("subnet", subnet.name()));
        return SubnetJson.of(subnet, network);
    }

    private ApiResponse delete(ApiRequest request) {
        networks.deleteSubnet(request.context(), name(request));
        return ApiResponse.noContent();
    }

    /** The project's networks by id. */
    static Map<UUID, Network> networksById(NetworkService networks, RequestContext context) {
        return networks.networks(context).stream().collect(Collectors.toMap(Network::id, Function.identity()));
    }

    /** A listed object's network, which a concurrent delete may have taken since. */
    static Network network(Map<UUID, Network> byId, UUID id) {
        Network network = byId.get(id);
        if (network == null) {
            throw VireoException.conflict("the network " + id + " was deleted while listing; try again");
        }
        return network;
    }

    private static String name(ApiRequest request) {
        return Names.require("name", request.pathParameter("name"));
    }
}
