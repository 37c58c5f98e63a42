package io.vireo.pki;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts servers whose chain leads to the first certificate of a PEM file read at each handshake, with the JDK's
 * PKIX checks and host name checks ({@link TrustManagers#trusting}). For a client made before the server has written
 * the file (a benchmark that starts its own server, say): until it exists, every server is refused. It trusts no
 * client. Thread-safe.
 */
public final class CaFileTrustManager extends X509ExtendedTrustManager {
    private final Path file;

    public CaFileTrustManager(Path file) {
        this.file = requireNonNull(file, "file is null");
    }

    /** A TLS client context that trusts what a {@link CaFileTrustManager} of {@code file} trusts. */
    public static SSLContext sslContext(Path file) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new CaFileTrustManager(file)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw PkiException.internal("cannot make a TLS context", e);
        }
    }

    private X509ExtendedTrustManager delegate() throws CertificateException {
        List<X509Certificate> certificates;
        try {
            certificates = Pem.certificates(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException | PkiException e) {
            throw new CertificateException("cannot read the CA certificate in " + file + ": " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new CertificateException(file + " holds no certificate");
        }
        for (TrustManager manager : TrustManagers.trusting(certificates.get(0))) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return extended;
            }
        }
        throw new CertificateException("this Java platform has no X.509 trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate().checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a CA file trust manager trusts no client");
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
        return new X509Certificate[0];
    }
}
