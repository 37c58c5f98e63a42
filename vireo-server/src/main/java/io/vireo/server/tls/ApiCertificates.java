package io.vireo.server.tls;

import io.vireo.api.ApiTlsIdentity;
import io.vireo.pki.CertificateAuthority;
import io.vireo.pki.KeyPairs;
import io.vireo.pki.Pem;
import io.vireo.pki.PkiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's TLS key and certificate (ADR 20): issued by the cloud's CA at each start, or read from the operator's PEM
 * files; and the certificate clients of this machine should trust, which the server writes to the data directory.
 * Thread-safe (stateless).
 */
public final class ApiCertificates {
    private static final Logger log = LoggerFactory.getLogger(ApiCertificates.class);

    /** How long a CA-issued API certificate is valid; a replica makes a new one at every start. */
    public static final Duration VALIDITY = Duration.ofDays(397);

    /** An operator's certificate closer to its end than this is started with, and warned about. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private static final int MAX_PEM_BYTES = 1024 * 1024;

    private ApiCertificates() {}

    /** A fresh key and a certificate of {@code authority} for the names the API is reached by. */
    public static ApiTlsIdentity issue(
            CertificateAuthority authority,
            String bindHost,
            List<String> extraNames,
            Clock clock,
            SecureRandom random) {
        List<String> names = names(bindHost, extraNames);
        KeyPair keys = KeyPairs.generate(random);
        X509Certificate certificate =
                authority.issueServerCertificate(keys.getPublic(), names, clock.instant(), VALIDITY);
        log.info("API certificate from the cloud's CA for {}, valid until {}", names, certificate.getNotAfter());
        return new ApiTlsIdentity(keys.getPrivate(), List.of(certificate, authority.certificate()));
    }

    /**
     * The names a CA-issued certificate carries: {@code localhost} and the loopback addresses, the address listened
     * on, or with a wildcard this machine's host name and every address of its interfaces, then {@code extraNames}.
     */
    static List<String> names(String bindHost, List<String> extraNames) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        if (bindHost.equals("0.0.0.0") || bindHost.equals("::") || bindHost.equals("[::]")) {
            names.addAll(localNames());
        } else {
            names.add(bindHost.startsWith("[") ? bindHost.substring(1, bindHost.length() - 1) : bindHost);
        }
        names.addAll(extraNames);
        return List.copyOf(names);
    }

    private static List<String> localNames() {
        List<String> names = new ArrayList<>();
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (ApiTls.NAME.matcher(host).matches()) {
                names.add(host);
            }
        } catch (UnknownHostException e) {
            log.warn("this machine's host name does not resolve; the API certificate names addresses only");
        }
        try {
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!network.isUp()) {
                    continue;
                }
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
                        continue; // link-local: not an address a certificate can name
                    }
                    names.add(address.getHostAddress());
                }
            }
        } catch (SocketException e) {
            log.warn("cannot list this machine's addresses for the API certificate: {}", e.getMessage());
        }
        return names;
    }

    /**
     * The operator's certificate chain and key: every certificate in the PEM {@code certificateFile} (leaf first) and
     * the one unencrypted private key in {@code keyFile} (PKCS#8, or the traditional RSA or EC forms), which must
     * belong to the leaf and not be readable by every user. Fails with a message naming the file.
     */
    public static ApiTlsIdentity load(ApiTls.OperatorSupplied supplied, Clock clock) {
        List<X509Certificate> chain = certificates(supplied.certificateFile());
        PrivateKey key = privateKey(supplied.keyFile());
        X509Certificate leaf = chain.get(0);
        if (!matches(key, leaf)) {
            throw new IllegalArgumentException(
                    supplied.keyFile() + " is not the key of the certificate in " + supplied.certificateFile());
        }
        Instant now = clock.instant();
        Instant end = leaf.getNotAfter().toInstant();
        if (!now.isBefore(end)) {
            throw new IllegalArgumentException(
                    "the certificate in " + supplied.certificateFile() + " expired at " + end);
        }
        if (now.plus(EXPIRY_WARNING).isAfter(end)) {
            log.warn(
                    "the API certificate in {} expires at {}: replace it and restart", supplied.certificateFile(), end);
        }
        log.info(
                "API certificate from {}: {}, valid until {}",
                supplied.certificateFile(),
                leaf.getSubjectX500Principal().getName(),
                end);
        return new ApiTlsIdentity(key, chain);
    }

    /**
     * The certificate this machine's clients should trust for the API, if one can be named: the cloud's CA for a
     * certificate it issued; for an operator's, the last certificate of the supplied chain if there is more than the
     * leaf, or the leaf if it is self-signed. Empty when the leaf alone was supplied and a public CA issued it: clients
     * then use the JDK's trust store.
     */
    public static Optional<X509Certificate> trustAnchor(ApiTlsIdentity identity) {
        List<X509Certificate> chain = identity.chain();
        if (chain.size() > 1) {
            return Optional.of(chain.get(chain.size() - 1));
        }
        X509Certificate leaf = chain.get(0);
        return leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())
                ? Optional.of(leaf)
                : Optional.empty();
    }

    private static List<X509Certificate> certificates(Path file) {
        byte[] bytes = read(file);
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (java.security.cert.Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
                chain.add((X509Certificate) certificate);
            }
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException(file + " does not hold PEM certificates: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no certificate");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file) {
        requireNotWorldReadable(file);
        try {
            return Pem.anyPrivateKey(new String(read(file), StandardCharsets.US_ASCII));
        } catch (PkiException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static void requireNotWorldReadable(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IllegalArgumentException(
                        file + " (the API's private key) is readable by every user: chmod 600 it (or 640 for a group)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_PEM_BYTES + 1);
            if (bytes.length > MAX_PEM_BYTES) {
                throw new IllegalArgumentException(file + " is larger than " + MAX_PEM_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code key} signs what {@code certificate}'s public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            byte[] probe = "vireo api key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
