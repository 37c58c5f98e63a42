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

    /** The serial number as lowercase hex: how issued certificates are recorded and revoked. */
    public static String serial(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }
}
