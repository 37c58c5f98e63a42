package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.JoinTokenJson;
import io.vireo.api.json.NewJoinTokenJson;
import io.vireo.common.ErrorCode;
import io.vireo.controller.HostEnrollment;
import io.vireo.controller.port.HostRepository;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /hosts/join-tokens}: one-time tokens with which host agents enroll (ADR 15).
 *
 * <p><b>Admin only.</b> A join token lets a machine become a host of the cloud and receive the VMs placed on it, so
 * only the system administrator may make one: the access policy grants this resource's routes to the admin role alone.
 * Host agents never call it (no agent access). Thread-safe.
 */
public final class HostJoinTokenResource {
    static final String PATH = HostResource.PATH + "/join-tokens";

    private final HostEnrollment enrollment;
    private final HostRepository hosts;

    public HostJoinTokenResource(HostEnrollment enrollment, HostRepository hosts) {
        this.enrollment = requireNonNull(enrollment, "enrollment is null");
        this.hosts = requireNonNull(hosts, "hosts is null");
    }

    public List<Route> routes() {
        return List.of(Route.of(
                HttpMethod.POST,
                PATH,
                Operation.builder(
                                "createHostJoinToken",
                                "Make a one-time join token for a host agent to enroll with (admin only); its text is"
                                        + " shown only in this answer")
                        .requestBody(NewJoinTokenJson.class)
                        .responds(201, "The token", Payload.of(JoinTokenJson.class))
                        .errors(ErrorCode.INVALID_ARGUMENT, ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                        .build(),
                this::create));
    }

    private ApiResponse create(ApiRequest request) {
        NewJoinTokenJson body = request.body(NewJoinTokenJson.class);
        String host = body.host();
        UUID hostId = host == null ? null : Lookups.host(hosts, "host", host).id();
        Long seconds = body.expiresInSeconds();
        HostEnrollment.IssuedJoinToken issued =
                enrollment.createJoinToken(hostId, seconds == null ? null : Duration.ofSeconds(seconds));
        // no Location: a token cannot be read back, its text is shown only here
        return new ApiResponse(201, JoinTokenJson.of(issued, enrollment.caFingerprintHex()), Map.of());
    }
}
