package io.vireo.pki;

import static java.util.Objects.requireNonNull;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a server only if the chain it presents includes the CA certificate with the pinned fingerprint and its leaf
 * certificate is a TLS server certificate for {@link CertificateAuthority#SERVER_NAME} signed by that CA. This is how an agent that has only a join token (which
 * carries the fingerprint) authenticates the server it enrolls with; afterwards it trusts the CA it received
 * ({@link TrustManagers#trusting}). It trusts no client. Thread-safe: immutable.
 */
public final class PinnedCaTrustManager extends X509ExtendedTrustManager {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final Integer DNS_NAME = 2;

    private final Fingerprint pin;

    public PinnedCaTrustManager(Fingerprint pin) {
        this.pin = requireNonNull(pin, "pin is null");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain.length < 2) {
            throw new CertificateException("the server sent no CA certificate to check the pin " + pin + " against");
        }
        X509Certificate authority = null;
        for (X509Certificate candidate : chain) {
            if (pin.matches(candidate)) {
                authority = candidate;
            }
        }
        if (authority == null) {
            throw new CertificateException("the server's CA is not the one pinned (" + pin + ")");
        }
        X509Certificate leaf = chain[0];
        try {
            leaf.verify(authority.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CertificateException("the server's certificate is not signed by the pinned CA", e);
        }
        leaf.checkValidity();
        List<String> usages = leaf.getExtendedKeyUsage();
        if (usages == null || !usages.contains(SERVER_AUTH)) {
            throw new CertificateException("the server's certificate is not for TLS servers");
        }
        Collection<List<?>> names = leaf.getSubjectAlternativeNames();
        if (names == null || !names.contains(List.of(DNS_NAME, CertificateAuthority.SERVER_NAME))) {
            throw new CertificateException("the server's certificate is not for " + CertificateAuthority.SERVER_NAME);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
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
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a pinned trust manager trusts no client");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
