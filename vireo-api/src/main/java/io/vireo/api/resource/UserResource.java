package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.NewUserJson;
import io.vireo.api.json.PageJson;
import io.vireo.api.json.UserJson;
import io.vireo.common.ErrorCode;
import io.vireo.common.Names;
import io.vireo.controller.identity.IdentityService;
import io.vireo.controller.identity.NewUser;
import io.vireo.controller.port.Page;
import io.vireo.model.User;
import io.vireo.model.UserKind;
import java.util.List;

/**
 * {@code /users}: people and service accounts of the caller's project (an admin: of every project), managed by project
 * admins, who grant at most their own role. Thread-safe.
 */
public final class UserResource {
    static final String PATH = ApiPaths.V1 + "/users";

    private static final Parameter NAME = Parameter.path("name", "The user's name.");

    private final IdentityService identity;

    public UserResource(IdentityService identity) {
        this.identity = requireNonNull(identity, "identity is null");
    }

    public List<Route> routes() {
        return List.of(
                Route.of(
                        HttpMethod.GET,
                        PATH,
                        Operation.builder("listUsers", "List the project's users (an admin: every user), by name")
                                .paged()
                                .responds(200, "A page of users", Payload.pageOf(UserJson.class))
                                .build(),
                        this::list),
                Route.of(
                        HttpMethod.POST,
                        PATH,
                        Operation.builder(
                                        "createUser",
                                        "Create a person (with a password) or a service account (without), with"
                                                + " a role no higher than the caller's")
                                .requestBody(NewUserJson.class)
                                .responds(201, "The new user", Payload.of(UserJson.class))
                                .errors(ErrorCode.ALREADY_EXISTS, ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED)
                                .build(),
                        this::create),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/{name}",
                        Operation.builder("getUser", "Get a user")
                                .parameter(NAME)
                                .responds(200, "The user", Payload.of(UserJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        request -> ApiResponse.ok(UserJson.of(identity.user(request.context(), name(request))))),
                Route.of(
                        HttpMethod.DELETE,
                        PATH + "/{name}",
                        Operation.builder(
                                        "deleteUser",
                                        "Delete a user and their tokens (which stop working at once); never the"
                                                + " built-in admin, nor a user whose role is above the caller's")
                                .parameter(NAME)
                                .responds(204, "Deleted", Payload.none())
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.PERMISSION_DENIED)
                                .build(),
                        this::delete));
    }

    private ApiResponse list(ApiRequest request) {
        Page<User> page = NamePages.page(
                identity.users(request.context()),
                User::name,
                request.limit(),
                request.cursor().orElse(null));
        return ApiResponse.ok(
                new PageJson<>(page.items().stream().map(UserJson::of).toList(), page.nextCursor()));
    }

    private ApiResponse create(ApiRequest request) {
        NewUserJson body = request.body(NewUserJson.class);
        boolean serviceAccount = Boolean.TRUE.equals(body.serviceAccount());
        User user = identity.createUser(
                request.context(),
                new NewUser(
                        body.name(),
                        body.project(),
                        body.role().toModel(),
                        serviceAccount ? UserKind.SERVICE_ACCOUNT : UserKind.PERSON,
                        body.password()));
        return ApiResponse.created(UserJson.of(user), PATH + "/" + user.name());
    }

    private ApiResponse delete(ApiRequest request) {
        identity.deleteUser(request.context(), name(request));
        return ApiResponse.noContent();
    }

    private static String name(ApiRequest request) {
        return Names.require("name", request.pathParameter("name"));
    }
}
