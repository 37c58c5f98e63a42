package io.vireo.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** The JDK's PKIX trust manager over one CA certificate. Thread-safe (stateless). */
public final class TrustManagers {
    private TrustManagers() {}

    public static TrustManager[] trusting(X509Certificate authority) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("vireo-ca", authority);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw PkiException.internal("cannot make a trust manager for the CA", e);
        }
    }
}
