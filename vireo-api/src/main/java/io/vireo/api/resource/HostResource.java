package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.HostJson;
import io.vireo.api.json.PageJson;
import io.vireo.common.ErrorCode;
import io.vireo.controller.port.HostRepository;
import io.vireo.controller.port.Page;
import io.vireo.model.Host;
import java.util.List;

/** {@code /hosts}: read-only; hosts are registered by their agents. Thread-safe. */
public final class HostResource {
    static final String PATH = ApiPaths.V1 + "/hosts";

    private final HostRepository hosts;

    public HostResource(HostRepository hosts) {
        this.hosts = requireNonNull(hosts, "hosts is null");
    }

    public List<Route> routes() {
        return List.of(
                Route.of(
                        HttpMethod.GET,
                        PATH,
                        Operation.builder("listHosts", "List hosts, ordered by name")
                                .paged()
                                .responds(200, "A page of hosts", Payload.pageOf(HostJson.class))
                                .build(),
                        this::list),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/{nameOrId}",
                        Operation.builder("getHost", "Get a host")
                                .parameter(Parameter.path("nameOrId", "The host's name or id."))
                                .responds(200, "The host", Payload.of(HostJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        this::get));
    }

    private ApiResponse list(ApiRequest request) {
        Page<Host> page = NamePages.page(
                hosts.list(), Host::name, request.limit(), request.cursor().orElse(null));
        return ApiResponse.ok(
                new PageJson<>(page.items().stream().map(HostJson::of).toList(), page.nextCursor()));
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(HostJson.of(Lookups.host(hosts, "nameOrId", request.pathParameter("nameOrId"))));
    }
}
