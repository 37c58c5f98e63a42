package io.vireo.agent.guard;

import static java.util.Objects.requireNonNull;

import io.vireo.pki.Certificates;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How a fence guard authenticates the peer it asks (ADR 22): the peer presents its host certificate, which the CA
 * issued for TLS client use only, so the JDK's server-certificate checks (extended key usage, host name) do not apply.
 * This trust manager checks instead that the chain leads to the cloud's CA (PKIX, without revocation: only the server
 * knows revocations, and a peer's answer can only make a guard keep its VMs, never end them) and that the certificate
 * is bound to the host id the server listed for that address. Thread-safe (immutable).
 */
final class HostCertificateTrust extends X509ExtendedTrustManager {
    private final X509Certificate authority;
    private final UUID expectedHost;

    HostCertificateTrust(X509Certificate authority, UUID expectedHost) {
        this.authority = requireNonNull(authority, "authority is null");
        this.expectedHost = requireNonNull(expectedHost, "expectedHost is null");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a fence guard's peer client checks servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {authority};
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain.length == 0) {
            throw new CertificateException("the peer presented no certificate");
        }
        List<X509Certificate> path = Arrays.stream(chain)
                .filter(certificate -> !certificate.equals(authority))
                .toList();
        try {
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(authority, null)));
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("the peer's certificate is not of this cloud's CA: " + e.getMessage(), e);
        }
        UUID presented = Certificates.hostId(chain[0]).orElse(null);
        if (!expectedHost.equals(presented)) {
            throw new CertificateException(
                    "the peer's certificate is host " + presented + "'s, not host " + expectedHost + "'s");
        }
    }
}
