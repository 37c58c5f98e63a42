package io.vireo.server.tls;

import static java.util.Objects.requireNonNull;

import io.vireo.controller.HostEnrollment;
import io.vireo.model.HostCertificate;
import io.vireo.pki.CertificateAuthority;
import io.vireo.pki.Certificates;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Signs host certificates with the CA and records them, at enrollment and at renewal. Thread-safe.
 */
public final class HostCertificateIssuer {
    private final CertificateAuthority authority;
    private final HostEnrollment enrollment;
    private final Clock clock;

    public HostCertificateIssuer(CertificateAuthority authority, HostEnrollment enrollment, Clock clock) {
        this.authority = requireNonNull(authority, "authority is null");
        this.enrollment = requireNonNull(enrollment, "enrollment is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public X509Certificate authorityCertificate() {
        return authority.certificate();
    }

    /**
     * A certificate for host {@code hostId} for the key of {@code request}, recorded; after a re-enrollment the host's
     * earlier certificates are revoked.
     */
    public X509Certificate enroll(UUID hostId, byte[] request, boolean reenrolled) {
        X509Certificate certificate = sign(hostId, request);
        enrollment.recordIssued(record(hostId, certificate), reenrolled);
        return certificate;
    }

    /** A renewed certificate for host {@code hostId}, recorded; the current one stays valid until it expires. */
    public X509Certificate renew(UUID hostId, byte[] request) {
        X509Certificate certificate = sign(hostId, request);
        enrollment.recordRenewed(record(hostId, certificate));
        return certificate;
    }

    private X509Certificate sign(UUID hostId, byte[] request) {
        return authority.issueHostCertificate(
                request, hostId, clock.instant(), enrollment.settings().certificateValidity());
    }

    private HostCertificate record(UUID hostId, X509Certificate certificate) {
        Instant now = clock.instant();
        return new HostCertificate(
                Certificates.serial(certificate),
                hostId,
                now,
                certificate.getNotAfter().toInstant(),
                null);
    }
}
