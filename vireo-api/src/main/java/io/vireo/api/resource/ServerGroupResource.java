package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.NewServerGroupJson;
import io.vireo.api.json.PageJson;
import io.vireo.api.json.ServerGroupJson;
import io.vireo.common.ErrorCode;
import io.vireo.common.Names;
import io.vireo.controller.ServerGroupService;
import io.vireo.controller.port.Page;
import io.vireo.model.ServerGroup;
import java.util.List;

/** {@code /server-groups}: the server groups of the caller's project. Thread-safe. */
public final class ServerGroupResource {
    static final String PATH = ApiPaths.V1 + "/server-groups";

    private static final Parameter NAME = Parameter.path("name", "The group's name.");

    private final ServerGroupService groups;

    public ServerGroupResource(ServerGroupService groups) {
        this.groups = requireNonNull(groups, "groups is null");
    }

    public List<Route> routes() {
        return List.of(
                Route.of(
                        HttpMethod.GET,
                        PATH,
                        Operation.builder("listServerGroups", "List the project's server groups, ordered by name")
                                .paged()
                                .responds(200, "A page of server groups", Payload.pageOf(ServerGroupJson.class))
                                .build(),
                        this::list),
                Route.of(
                        HttpMethod.POST,
                        PATH,
                        Operation.builder("createServerGroup", "Create a server group")
                                .requestBody(NewServerGroupJson.class)
                                .responds(201, "The new server group", Payload.of(ServerGroupJson.class))
                                .errors(ErrorCode.ALREADY_EXISTS)
                                .build(),
                        this::create),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/{name}",
                        Operation.builder("getServerGroup", "Get a server group and its members")
                                .parameter(NAME)
                                .responds(200, "The server group", Payload.of(ServerGroupJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        this::get),
                Route.of(
                        HttpMethod.DELETE,
                        PATH + "/{name}",
                        Operation.builder("deleteServerGroup", "Delete a server group that has no live members")
                                .parameter(NAME)
                                .responds(204, "Deleted", Payload.none())
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        this::delete));
    }

    private ApiResponse list(ApiRequest request) {
        Page<ServerGroup> page = NamePages.page(
                groups.list(request.context()),
                ServerGroup::name,
                request.limit(),
                request.cursor().orElse(null));
        return ApiResponse.ok(new PageJson<>(
                page.items().stream()
                        .map(group -> ServerGroupJson.of(group, groups.members(group)))
                        .toList(),
                page.nextCursor()));
    }

    private ApiResponse create(ApiRequest request) {
        NewServerGroupJson body = request.body(NewServerGroupJson.class);
        Long maxPerHost = body.maxPerHost();
        ServerGroup group = groups.create(
                request.context(),
                body.name(),
                body.policy().toModel(),
                maxPerHost == null ? null : maxPerHost.intValue());
        return ApiResponse.created(ServerGroupJson.of(group, List.of()), PATH + "/" + group.name());
    }

    private ApiResponse get(ApiRequest request) {
        ServerGroup group = groups.get(request.context(), name(request));
        return ApiResponse.ok(ServerGroupJson.of(group, groups.members(group)));
    }

    private ApiResponse delete(ApiRequest request) {
        groups.delete(request.context(), name(request));
        return ApiResponse.noContent();
    }

    private static String name(ApiRequest request) {
        return Names.require("name", request.pathParameter("name"));
    }
}
