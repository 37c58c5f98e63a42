package io.vireo.cli.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS that trusts only the certificates of one PEM file (a private CA's, or a self-signed server's), with the JDK's
 * host name checks. Thread-safe (stateless).
 */
final class TrustedCertificates {
    /** A CA file holds a few certificates; anything larger is not one. */
    private static final int MAX_FILE_BYTES = 1024 * 1024;

    private TrustedCertificates() {}

    static SSLContext sslContext(Path file) {
        Collection<? extends Certificate> certificates = read(file);
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("trusted-" + index++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new CliException(
                    CliErrorCode.NOT_CONFIGURED, "cannot trust the certificates in " + file + ": " + e, e);
        }
    }

    private static Collection<? extends Certificate> read(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new CliException(CliErrorCode.NOT_CONFIGURED, "cannot read the CA file " + file + ": " + e, e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new CliException(CliErrorCode.NOT_CONFIGURED, file + " is too large to be a CA file");
        }
        Collection<? extends Certificate> certificates;
        try {
            certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
        } catch (GeneralSecurityException e) {
            throw new CliException(
                    CliErrorCode.NOT_CONFIGURED, file + " does not hold PEM certificates: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new CliException(CliErrorCode.NOT_CONFIGURED, file + " holds no certificate");
        }
        return certificates;
    }
}
