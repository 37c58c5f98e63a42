package io.vireo.server.grpc;

import static java.util.Objects.requireNonNull;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.vireo.controller.HostEnrollment;
import io.vireo.pki.Certificates;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling, for the agents' gRPC services. {@link #requireCertificate} admits only a call that presents a
 * client certificate of this cloud's CA (checked by TLS) bound to a host id, recorded and not revoked (checked here,
 * once per call, that is once per agent stream), and makes the certificate's host the call's
 * {@link #CURRENT current peer}; refusals are recorded. {@link #addressOnly} admits any call and records only its
 * address, for enrollment. Thread-safe.
 */
public final class AgentPeers {
    /** The calling agent; set by {@link #requireCertificate} (host id known) or {@link #addressOnly} (no host id). */
    static final Context.Key<Peer> CURRENT = Context.key("vireo-agent-peer");

    /** A caller: the host its certificate is bound to, if any, and its address. */
    record Peer(
            @Nullable UUID hostId, String serial, @Nullable String address) {
        Peer {
            requireNonNull(serial, "serial is null");
        }
    }

    private final HostEnrollment enrollment;

    public AgentPeers(HostEnrollment enrollment) {
        this.enrollment = requireNonNull(enrollment, "enrollment is null");
    }

    /** The interceptor of the agent service: a valid host certificate or nothing. */
    public ServerInterceptor requireCertificate() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                String address = address(call);
                X509Certificate certificate = clientCertificate(call).orElse(null);
                if (certificate == null) {
                    return refuse(
                            call,
                            Status.UNAUTHENTICATED.withDescription("a client certificate is required: enroll this"
                                    + " agent with a join token (vireo host join-token create)"));
                }
                String serial = Certificates.serial(certificate);
                UUID hostId = Certificates.hostId(certificate).orElse(null);
                if (hostId == null) {
                    enrollment.refuseAgent(
                            HostEnrollment.NOBODY,
                            "agent.connect",
                            HostEnrollment.NOBODY,
                            "",
                            "certificate " + serial + " names no host",
                            address);
                    return refuse(call, Status.PERMISSION_DENIED.withDescription("the certificate names no host"));
                }
                Optional<String> refusal = enrollment.certificateRefusal(serial, hostId);
                if (refusal.isPresent()) {
                    enrollment.refuseAgent(hostId, "agent.connect", hostId, "", refusal.get(), address);
                    return refuse(call, Status.PERMISSION_DENIED.withDescription(refusal.get()));
                }
                Context context = Context.current().withValue(CURRENT, new Peer(hostId, serial, address));
                return Contexts.interceptCall(context, call, headers, next);
            }
        };
    }

    /** The interceptor of the enrollment service: anyone may call; the address is kept for the records. */
    public static ServerInterceptor addressOnly() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                Context context = Context.current().withValue(CURRENT, new Peer(null, "", address(call)));
                return Contexts.interceptCall(context, call, headers, next);
            }
        };
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {};
    }

    private static Optional<X509Certificate> clientCertificate(ServerCall<?, ?> call) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? Optional.of(leaf) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    private static @Nullable String address(ServerCall<?, ?> call) {
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (remote instanceof InetSocketAddress inet) {
            return inet.getAddress() == null
                    ? inet.getHostString()
                    : inet.getAddress().getHostAddress();
        }
        return remote == null ? null : remote.toString();
    }
}
