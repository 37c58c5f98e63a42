package io.vireo.pki;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reading certificates, and the host id a host certificate is bound to: a URI subject alternative name
 * {@code urn:vireo:host:<uuid>}. The id, never the host's name, is what a certificate speaks for: a renamed host keeps
 * its id, and a name given to another host does not carry the first one's certificate with it. Thread-safe.
 */
public final class Certificates {
    static final String HOST_URI_PREFIX = "urn:vireo:host:";
    private static final String HOST_DNS_SUFFIX = ".host.vireo";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int DNS_NAME = 2;
    private static final int URI_NAME = 6;

    private Certificates() {}

    /** The X.509 certificate in {@code der}. */
    public static X509Certificate parse(byte[] der) {
        try {
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw PkiException.invalid("not an X.509 certificate", e);
        }
    }

    public static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw PkiException.internal("cannot encode a certificate", e);
        }
    }

    /** The host id {@code certificate} is bound to; empty for one that names no host (a server's, say). */
    public static Optional<UUID> hostId(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (names == null) {
            return Optional.empty();
        }
        UUID found = null;
        for (List<?> name : names) {
            if (name.size() == 2
                    && name.get(0) instanceof Integer type
                    && type == URI_NAME
                    && name.get(1) instanceof String uri
                    && uri.startsWith(HOST_URI_PREFIX)) {
                UUID id;
                try {
                    id = UUID.fromString(uri.substring(HOST_URI_PREFIX.length()));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
                if (found != null && !found.equals(id)) {
                    return Optional.empty(); // a certificate naming two hosts speaks for neither
                }
                found = id;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The DNS name a host's certificate carries for the migration streams it receives: the host id under a suffix no
     * one resolves. The sending side checks it (QEMU's {@code tls-hostname}), whatever address it dials.
     */
    public static String hostDnsName(UUID hostId) {
        return hostId + HOST_DNS_SUFFIX;
    }

    /**
     * A host certificate's subject in the form QEMU names a TLS peer to its {@code authz-simple} check: GnuTLS's
     * {@code gnutls_x509_crt_get_dn}, whose RDNs come in the order they are encoded (not reversed as RFC 4514
     * writes them): {@code CN=<host id>,O=Vireo hosts}.
     */
    public static String hostDistinguishedName(UUID hostId) {
        return "CN=" + hostId + ",O=Vireo hosts";
    }

    /**
     * Whether a host certificate can serve the migration streams: a TLS server certificate with key encipherment in
     * its key usage and the host's DNS name. Certificates issued before these streams used TLS are client-only; an
     * agent holding one renews it at once.
     */
    public static boolean servesMigrations(X509Certificate certificate) {
        UUID host = hostId(certificate).orElse(null);
        boolean[] usage = certificate.getKeyUsage();
        try {
            List<String> purposes = certificate.getExtendedKeyUsage();
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return host != null
                    && usage != null
                    && usage.length > KEY_ENCIPHERMENT
                    && usage[KEY_ENCIPHERMENT]
                    && purposes != null
                    && purposes.contains(SERVER_AUTH)
                    && names != null
                    && names.contains(List.of(DNS_NAME, hostDnsName(host)));
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    /** The serial number as lowercase hex: how issued certificates are recorded and revoked. */
    public static String serial(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }
}
