package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.RateLimiter;
import io.vireo.api.http.Route;
import io.vireo.api.json.CallerJson;
import io.vireo.api.json.IssuedTokenJson;
import io.vireo.api.json.LoginJson;
import io.vireo.api.json.NewTokenJson;
import io.vireo.api.json.PageJson;
import io.vireo.api.json.TokenJson;
import io.vireo.common.ErrorCode;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.Principal;
import io.vireo.controller.identity.IdentityService;
import io.vireo.controller.identity.IssuedToken;
import io.vireo.controller.identity.NewToken;
import io.vireo.controller.identity.TokenListing;
import io.vireo.controller.port.Page;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /auth/tokens} (a person's login, the one route besides the health check and the document that takes no
 * token), {@code /auth/caller} (who a token acts as) and {@code /tokens}: API tokens, whose text is shown once, when
 * made. Thread-safe.
 */
public final class AuthResource {
    static final String LOGIN_PATH = ApiPaths.V1 + "/auth/tokens";
    static final String CALLER_PATH = ApiPaths.V1 + "/auth/caller";
    static final String TOKENS_PATH = ApiPaths.V1 + "/tokens";

    /** Password guesses per user name: a burst of 10, then one every 6 seconds. */
    public static final RateLimiter.Limit LOGIN_LIMIT = new RateLimiter.Limit(1.0 / 6, 10);

    private static final Parameter ID = Parameter.path("id", "The token's id.");

    private final IdentityService identity;
    private final RateLimiter logins;

    /** @param logins how many logins each user name may attempt */
    public AuthResource(IdentityService identity, RateLimiter logins) {
        this.identity = requireNonNull(identity, "identity is null");
        this.logins = requireNonNull(logins, "logins is null");
    }

    public List<Route> routes() {
        return List.of(
                Route.of(
                        HttpMethod.POST,
                        LOGIN_PATH,
                        Operation.builder(
                                        "login",
                                        "Log a person in with their name and password: a token for 12 hours, shown"
                                                + " once; 401 for an unknown user or a wrong password, 429 after too"
                                                + " many attempts for one user")
                                .publicAccess()
                                .requestBody(LoginJson.class)
                                .responds(201, "The new token", Payload.of(IssuedTokenJson.class))
                                .errors(ErrorCode.UNAUTHENTICATED, ErrorCode.TOO_MANY_REQUESTS)
                                .build(),
                        this::login),
                Route.of(
                        HttpMethod.GET,
                        CALLER_PATH,
                        Operation.builder("getCaller", "Who the caller's token acts as: user, project and role")
                                .responds(200, "The caller", Payload.of(CallerJson.class))
                                .build(),
                        request -> ApiResponse.ok(CallerJson.of(request.context()))),
                Route.of(
                        HttpMethod.GET,
                        TOKENS_PATH,
                        Operation.builder(
                                        "listTokens",
                                        "List the caller's tokens (a project admin: the project's; an admin: all),"
                                                + " ordered by id, without their text")
                                .paged()
                                .responds(200, "A page of tokens", Payload.pageOf(TokenJson.class))
                                .build(),
                        this::list),
                Route.of(
                        HttpMethod.POST,
                        TOKENS_PATH,
                        Operation.builder(
                                        "createToken",
                                        "Create an API token for the caller or for a service account of the"
                                                + " project; its text is in this response only")
                                .requestBody(NewTokenJson.class)
                                .responds(201, "The new token", Payload.of(IssuedTokenJson.class))
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED)
                                .build(),
                        this::create),
                Route.of(
                        HttpMethod.POST,
                        TOKENS_PATH + "/{id}/revoke",
                        Operation.builder(
                                        "revokeToken",
                                        "Revoke a token: refused at once by every server replica, kept in listings")
                                .parameter(ID)
                                .responds(204, "Revoked", Payload.none())
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED)
                                .build(),
                        this::revoke),
                Route.of(
                        HttpMethod.DELETE,
                        TOKENS_PATH + "/{id}",
                        Operation.builder("deleteToken", "Delete a token: refused at once by every server replica")
                                .parameter(ID)
                                .responds(204, "Deleted", Payload.none())
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED)
                                .build(),
                        this::delete));
    }

    private ApiResponse login(ApiRequest request) {
        LoginJson body = request.body(LoginJson.class);
        request.auditTarget(null, body.user()); // the user name tried, never the password
        if (!Names.isValid(body.user())) {
            // no such user can exist; refused as any unknown user, without a rate-limit slot for an arbitrary key
            throw new VireoException(ErrorCode.UNAUTHENTICATED, "unknown user or wrong password");
        }
        logins.take("login:" + body.user()).ifPresent(wait -> {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new VireoException(
                    ErrorCode.TOO_MANY_REQUESTS,
                    "too many logins for this user; retry in " + seconds + " s",
                    Map.of("retryAfterSeconds", seconds));
        });
        IssuedToken issued = identity.login(body.user(), body.password());
        request.auditActor(Principal.of(issued.user()));
        request.auditTarget(issued.user().id(), issued.user().name());
        return ApiResponse.created(
                IssuedTokenJson.of(issued), TOKENS_PATH + "/" + issued.token().id());
    }

    private ApiResponse list(ApiRequest request) {
        Page<TokenListing> page = NamePages.page(
                identity.tokens(request.context()),
                listing -> listing.token().id().toString(),
                request.limit(),
                request.cursor().orElse(null));
        return ApiResponse.ok(
                new PageJson<>(page.items().stream().map(TokenJson::of).toList(), page.nextCursor()));
    }

    private ApiResponse create(ApiRequest request) {
        NewTokenJson body = request.body(NewTokenJson.class);
        Long seconds = body.expiresInSeconds();
        IssuedToken issued = identity.createToken(
                request.context(),
                new NewToken(
                        body.user(),
                        body.description() == null ? "" : body.description(),
                        seconds == null ? null : Duration.ofSeconds(seconds)));
        return ApiResponse.created(
                IssuedTokenJson.of(issued), TOKENS_PATH + "/" + issued.token().id());
    }

    private ApiResponse revoke(ApiRequest request) {
        identity.revokeToken(request.context(), id(request));
        return ApiResponse.noContent();
    }

    private ApiResponse delete(ApiRequest request) {
        identity.deleteToken(request.context(), id(request));
        return ApiResponse.noContent();
    }

    private static UUID id(ApiRequest request) {
        String text = request.pathParameter("id");
        return Lookups.uuid(text).orElseThrow(() -> VireoException.notFound("token", text));
    }
}
