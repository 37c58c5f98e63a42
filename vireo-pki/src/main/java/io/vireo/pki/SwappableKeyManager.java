package io.vireo.pki;

import static java.util.Objects.requireNonNull;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * A TLS client key manager presenting one key and certificate chain that can be replaced while connections use it: a
 * renewed certificate is presented by the next handshake, and connections already open keep theirs. Thread-safe.
 */
public final class SwappableKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "vireo-host";

    /** A private key with its certificate chain, leaf first. */
    public record Identity(PrivateKey key, List<X509Certificate> chain) {
        public Identity {
            requireNonNull(key, "key is null");
            chain = List.copyOf(chain);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("a certificate chain has at least the leaf");
            }
        }

        public X509Certificate leaf() {
            return chain.get(0);
        }
    }

    private final AtomicReference<Identity> current;

    public SwappableKeyManager(Identity identity) {
        this.current = new AtomicReference<>(requireNonNull(identity, "identity is null"));
    }

    public void swap(Identity identity) {
        current.set(requireNonNull(identity, "identity is null"));
    }

    public Identity current() {
        return current.get();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[0];
    }

    @Override
    public @Nullable String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return current.get().chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return current.get().key();
    }
}
