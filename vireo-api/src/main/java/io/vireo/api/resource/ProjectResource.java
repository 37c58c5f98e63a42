package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.NewProjectJson;
import io.vireo.api.json.NewQuotaJson;
import io.vireo.api.json.PageJson;
import io.vireo.api.json.ProjectJson;
import io.vireo.api.json.QuotaJson;
import io.vireo.common.ErrorCode;
import io.vireo.common.Names;
import io.vireo.controller.identity.IdentityService;
import io.vireo.controller.port.Page;
import io.vireo.model.Project;
import java.util.List;

/**
 * {@code /projects}: admins make and delete them and set their quotas; everyone sees their own and its quota (admins
 * every one). Thread-safe.
 */
public final class ProjectResource {
    static final String PATH = ApiPaths.V1 + "/projects";

    private static final Parameter NAME = Parameter.path("name", "The project's name.");

    private final IdentityService identity;

    public ProjectResource(IdentityService identity) {
        this.identity = requireNonNull(identity, "identity is null");
    }

    public List<Route> routes() {
        return List.of(
                Route.of(
                        HttpMethod.GET,
                        PATH,
                        Operation.builder("listProjects", "List projects (the caller's own; an admin: all), by name")
                                .paged()
                                .responds(200, "A page of projects", Payload.pageOf(ProjectJson.class))
                                .build(),
                        this::list),
                Route.of(
                        HttpMethod.POST,
                        PATH,
                        Operation.builder("createProject", "Create a project")
                                .requestBody(NewProjectJson.class)
                                .responds(201, "The new project", Payload.of(ProjectJson.class))
                                .errors(ErrorCode.ALREADY_EXISTS)
                                .build(),
                        this::create),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/{name}",
                        Operation.builder("getProject", "Get a project")
                                .parameter(NAME)
                                .responds(200, "The project", Payload.of(ProjectJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        request -> ApiResponse.ok(ProjectJson.of(identity.project(request.context(), name(request))))),
                Route.of(
                        HttpMethod.DELETE,
                        PATH + "/{name}",
                        Operation.builder(
                                        "deleteProject",
                                        "Delete a project that has no users, VMs, volumes, images or server groups"
                                                + " left (409 otherwise); never the admin project")
                                .parameter(NAME)
                                .responds(204, "Deleted", Payload.none())
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        this::delete),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/{name}/quota",
                        Operation.builder("getProjectQuota", "Get a project's quota: each limit and what is used")
                                .parameter(NAME)
                                .responds(200, "The quota", Payload.of(QuotaJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        request -> ApiResponse.ok(
                                QuotaJson.of(name(request), identity.quota(request.context(), name(request))))),
                Route.of(
                        HttpMethod.PUT,
                        PATH + "/{name}/quota",
                        Operation.builder(
                                        "setProjectQuota",
                                        "Change limits of a project's quota (admins only): the limits named change,"
                                                + " the others stay")
                                .parameter(NAME)
                                .requestBody(NewQuotaJson.class)
                                .responds(200, "The quota after", Payload.of(QuotaJson.class))
                                .errors(ErrorCode.INVALID_ARGUMENT, ErrorCode.NOT_FOUND)
                                .build(),
                        this::setQuota));
    }

    private ApiResponse setQuota(ApiRequest request) {
        String name = name(request);
        NewQuotaJson body = request.body(NewQuotaJson.class);
        return ApiResponse.ok(QuotaJson.of(name, identity.setQuota(request.context(), name, body.changes())));
    }

    private ApiResponse list(ApiRequest request) {
        Page<Project> page = NamePages.page(
                identity.projects(request.context()),
                Project::name,
                request.limit(),
                request.cursor().orElse(null));
        return ApiResponse.ok(
                new PageJson<>(page.items().stream().map(ProjectJson::of).toList(), page.nextCursor()));
    }

    private ApiResponse create(ApiRequest request) {
        NewProjectJson body = request.body(NewProjectJson.class);
        Project project = identity.createProject(request.context(), body.name());
        return ApiResponse.created(ProjectJson.of(project), PATH + "/" + project.name());
    }

    private ApiResponse delete(ApiRequest request) {
        identity.deleteProject(request.context(), name(request));
        return ApiResponse.noContent();
    }

    private static String name(ApiRequest request) {
        return Names.require("name", request.pathParameter("name"));
    }
}
