package io.vireo.server.grpc;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.HostEnrollment;
import io.vireo.controller.HostEnrollment.Redemption;
import io.vireo.pki.CertificateRequests;
import io.vireo.pki.Certificates;
import io.vireo.proto.agent.v1.AgentEnrollmentGrpc;
import io.vireo.proto.agent.v1.EnrollRequest;
import io.vireo.proto.agent.v1.EnrollResponse;
import io.vireo.server.tls.HostCertificateIssuer;
import java.security.cert.X509Certificate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code AgentEnrollment.Enroll}: an agent with a join token and no certificate yet gets one, bound to its host id.
 * The request is checked before the token is used, so a malformed request does not waste a token. Refusals of the
 * token are recorded by {@link HostEnrollment}. Thread-safe.
 */
public final class AgentEnrollmentService extends AgentEnrollmentGrpc.AgentEnrollmentImplBase {
    private static final Logger log = LoggerFactory.getLogger(AgentEnrollmentService.class);

    private final HostEnrollment enrollment;
    private final HostCertificateIssuer issuer;

    public AgentEnrollmentService(HostEnrollment enrollment, HostCertificateIssuer issuer) {
        this.enrollment = requireNonNull(enrollment, "enrollment is null");
        this.issuer = requireNonNull(issuer, "issuer is null");
    }

    @Override
    public void enroll(EnrollRequest request, StreamObserver<EnrollResponse> response) {
        AgentPeers.Peer peer = AgentPeers.CURRENT.get();
        @Nullable String address = peer == null ? null : peer.address();
        if (!Names.isValid(request.getHostName())) {
            response.onError(Status.INVALID_ARGUMENT
                    .withDescription("host name must be a DNS label of a-z, 0-9 and '-'")
                    .asRuntimeException());
            return;
        }
        byte[] certificateRequest = request.getCertificateRequest().toByteArray();
        try {
            CertificateRequests.verifiedPublicKey(certificateRequest);
        } catch (VireoException e) {
            response.onError(
                    Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        Redemption redemption = enrollment.redeem(request.getJoinSecret(), request.getHostName(), address);
        switch (redemption) {
            case Redemption.Refused refused ->
                response.onError(Status.PERMISSION_DENIED
                        .withDescription(refused.reason())
                        .asRuntimeException());
            case Redemption.Accepted accepted -> {
                X509Certificate certificate = issuer.enroll(
                        accepted.hostId(), certificateRequest, accepted.token().hostId() != null);
                log.info(
                        "host {} ({}) enrolled from {}; certificate {} valid until {}",
                        accepted.hostName(),
                        accepted.hostId(),
                        address,
                        Certificates.serial(certificate),
                        certificate.getNotAfter().toInstant());
                response.onNext(EnrollResponse.newBuilder()
                        .setHostId(accepted.hostId().toString())
                        .setCertificate(ByteString.copyFrom(Certificates.der(certificate)))
                        .setCaCertificate(ByteString.copyFrom(Certificates.der(issuer.authorityCertificate())))
                        .build());
                response.onCompleted();
            }
        }
    }
}
