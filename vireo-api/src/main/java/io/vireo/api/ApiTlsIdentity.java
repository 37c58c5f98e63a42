package io.vireo.api;

import static java.util.Objects.requireNonNull;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The private key and certificate chain the API serves over TLS: the leaf first, then the certificates that lead to
 * the CA clients trust (the CA itself may be included). Which one the server uses, and what clients should trust,
 * is decided where the server is wired (ADR 20).
 */
public record ApiTlsIdentity(PrivateKey key, List<X509Certificate> chain) {
    public ApiTlsIdentity {
        requireNonNull(key, "key is null");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the certificate chain is empty");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "ApiTlsIdentity[leaf=" + leaf().getSubjectX500Principal().getName() + ", chain=" + chain.size() + "]";
    }
}
