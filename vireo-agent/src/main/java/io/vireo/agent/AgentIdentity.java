package io.vireo.agent;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.vireo.agent.qemu.MigrationIdentity;
import io.vireo.common.ErrorCode;
import io.vireo.common.SecretFiles;
import io.vireo.model.JoinToken;
import io.vireo.pki.CertificateAuthority;
import io.vireo.pki.CertificateRequests;
import io.vireo.pki.Certificates;
import io.vireo.pki.Fingerprint;
import io.vireo.pki.KeyPairs;
import io.vireo.pki.Pem;
import io.vireo.pki.PinnedCaTrustManager;
import io.vireo.pki.PkiException;
import io.vireo.pki.SwappableKeyManager;
import io.vireo.pki.TrustManagers;
import io.vireo.proto.agent.v1.AgentEnrollmentGrpc;
import io.vireo.proto.agent.v1.EnrollRequest;
import io.vireo.proto.agent.v1.EnrollResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Who this agent is to the server: its private key, its certificate (bound to its host id) and the CA that signed it,
 * kept as PEM files with mode 0600 in {@link AgentConfig#identityDir()}: {@code host.key}, {@code host.crt},
 * {@code ca.crt}.
 *
 * <p>An agent without them enrolls ({@link #enroll}): it dials the server over TLS trusting only a server whose chain
 * holds the CA pinned by the join token's fingerprint, sends the token's secret and a certificate request for a new
 * key, and keeps what it gets. Afterwards it trusts that CA for the name {@link CertificateAuthority#SERVER_NAME} and
 * presents its certificate; it asks for a new one ({@link #newRequest}, {@link #renewed}) once less than a third of
 * the current one's validity is left.
 *
 * <p>Thread-safe: the key manager swaps the key and certificate atomically; files are replaced atomically.
 */
public final class AgentIdentity {
    static final String KEY_FILE = "host.key";
    static final String CERTIFICATE_FILE = "host.crt";
    static final String AUTHORITY_FILE = "ca.crt";

    private final Path directory;
    private final UUID hostId;
    private final X509Certificate authority;
    private final SwappableKeyManager keys;
    /** Whether a renewal was asked for because the certificate cannot serve the migration streams (once a run). */
    private volatile boolean profileRenewalAsked;

    /** A key made for a renewal and the request sent for it. */
    public record Renewal(KeyPair keys, byte[] request) {
        public Renewal {
            requireNonNull(keys, "keys is null");
            request = request.clone();
        }

        @Override
        public byte[] request() {
            return request.clone();
        }
    }

    /** The server refused the join token or the request; enrolling again with the same token cannot help. */
    public static final class EnrollmentRefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final String code;

        EnrollmentRefusedException(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private AgentIdentity(Path directory, PrivateKey key, X509Certificate certificate, X509Certificate authority) {
        this.directory = directory;
        this.authority = authority;
        this.hostId = Certificates.hostId(certificate)
                .orElseThrow(() -> new IllegalArgumentException("the certificate names no host"));
        this.keys = new SwappableKeyManager(new SwappableKeyManager.Identity(key, List.of(certificate, authority)));
    }

    /**
     * Where the host's key, certificate and CA are kept in {@code directory}: what QEMU authenticates the migration
     * streams with (ADR 20), read at each migration.
     */
    public static MigrationIdentity migrationIdentity(Path directory) {
        return new MigrationIdentity(
                directory.resolve(KEY_FILE), directory.resolve(CERTIFICATE_FILE), directory.resolve(AUTHORITY_FILE));
    }

    /** The file of {@code directory} that holds the CA certificate (PEM) the agent enrolled with. */
    public static Path authorityFile(Path directory) {
        return directory.resolve(AUTHORITY_FILE);
    }

    /** The identity kept in {@code directory}, if all its files are there. */
    public static Optional<AgentIdentity> load(Path directory) {
        Path keyFile = directory.resolve(KEY_FILE);
        Path certificateFile = directory.resolve(CERTIFICATE_FILE);
        Path authorityFile = directory.resolve(AUTHORITY_FILE);
        if (!Files.exists(keyFile) || !Files.exists(certificateFile) || !Files.exists(authorityFile)) {
            return Optional.empty();
        }
        try {
            PrivateKey key = Pem.privateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
            X509Certificate certificate =
                    first(Pem.certificates(Files.readString(certificateFile, StandardCharsets.US_ASCII)));
            X509Certificate authority =
                    first(Pem.certificates(Files.readString(authorityFile, StandardCharsets.US_ASCII)));
            return Optional.of(new AgentIdentity(directory, key, certificate, authority));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the agent's identity in " + directory + ": " + e, e);
        }
    }

    /**
     * Enrolls with the server at {@code host}:{@code port} using {@code joinToken}, and keeps the identity in
     * {@code directory}. Throws {@link EnrollmentRefusedException} if the server refuses, and a gRPC
     * {@code StatusRuntimeException} if it cannot be reached (or is not the pinned CA's: the handshake fails).
     */
    public static AgentIdentity enroll(
            String host,
            int port,
            String hostName,
            String joinToken,
            Path directory,
            Duration timeout,
            SecureRandom random) {
        JoinToken.Text token = JoinToken.parse(joinToken)
                .orElseThrow(() -> new IllegalArgumentException("not a join token: " + JoinToken.PREFIX + "..."));
        Fingerprint pin = new Fingerprint(token.caFingerprintHex());
        KeyPair keys = KeyPairs.generate(random);
        ChannelCredentials credentials = TlsChannelCredentials.newBuilder()
                .trustManager(new PinnedCaTrustManager(pin))
                .build();
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(host, port, credentials)
                .overrideAuthority(CertificateAuthority.SERVER_NAME)
                .build();
        EnrollResponse response;
        try {
            response = AgentEnrollmentGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .enroll(EnrollRequest.newBuilder()
                            .setJoinSecret(token.secret())
                            .setHostName(hostName)
                            .setCertificateRequest(ByteString.copyFrom(CertificateRequests.create(keys, hostName)))
                            .build());
        } catch (StatusRuntimeException e) {
            switch (e.getStatus().getCode()) {
                case PERMISSION_DENIED, INVALID_ARGUMENT, UNAUTHENTICATED ->
                    throw new EnrollmentRefusedException(
                            e.getStatus().getCode().name(),
                            String.valueOf(e.getStatus().getDescription()));
                default -> throw e;
            }
        } finally {
            channel.shutdownNow();
        }
        X509Certificate certificate =
                Certificates.parse(response.getCertificate().toByteArray());
        X509Certificate authority =
                Certificates.parse(response.getCaCertificate().toByteArray());
        if (!pin.matches(authority)) {
            throw new EnrollmentRefusedException("PROTOCOL", "the server sent another CA than the pinned " + pin);
        }
        requireIssued(certificate, authority, keys);
        if (!Certificates.hostId(certificate).map(UUID::toString).orElse("").equals(response.getHostId())) {
            throw new EnrollmentRefusedException("PROTOCOL", "the certificate is not bound to the host id answered");
        }
        save(directory, keys.getPrivate(), certificate, authority);
        return new AgentIdentity(directory, keys.getPrivate(), certificate, authority);
    }

    public UUID hostId() {
        return hostId;
    }

    public X509Certificate certificate() {
        return keys.current().leaf();
    }

    public X509Certificate authority() {
        return authority;
    }

    /** TLS for the agent stream: this certificate as the client's, the CA as the only trust. */
    public ChannelCredentials channelCredentials() {
        return TlsChannelCredentials.newBuilder()
                .keyManager(keys)
                .trustManager(TrustManagers.trusting(authority))
                .build();
    }

    /**
     * The key and certificate, for the host's other processes that present them (the fence guard, ADR 22); swapped
     * when the certificate is renewed.
     */
    public SwappableKeyManager keyManager() {
        return keys;
    }

    /**
     * Whether less than a third of the certificate's validity is left at {@code now}, or the certificate cannot serve
     * the migration streams (one issued before they used TLS): then at once, but once a run, so that a server that
     * still issues such certificates is not asked again at every heartbeat.
     */
    public boolean renewalDue(Instant now) {
        X509Certificate current = certificate();
        if (!Certificates.servesMigrations(current) && !profileRenewalAsked) {
            return true;
        }
        Instant start = current.getNotBefore().toInstant();
        Instant end = current.getNotAfter().toInstant();
        Duration lifetime = Duration.between(start, end);
        return !now.isBefore(start.plus(lifetime.multipliedBy(2).dividedBy(3)));
    }

    /** Whether the certificate has expired at {@code now}: the server will not accept it, a new join token is needed. */
    public boolean expiredAt(Instant now) {
        return !now.isBefore(certificate().getNotAfter().toInstant());
    }

    /** A new key and a request for it, to send in a renewal. */
    public Renewal newRequest(SecureRandom random) {
        if (!Certificates.servesMigrations(certificate())) {
            profileRenewalAsked = true;
        }
        KeyPair fresh = KeyPairs.generate(random);
        return new Renewal(fresh, CertificateRequests.create(fresh, hostId.toString()));
    }

    /**
     * Takes the certificate the server issued for {@code renewal}: checks it is for that key, this host and this CA,
     * keeps it on disk and presents it from the next handshake on.
     */
    public void renewed(Renewal renewal, X509Certificate certificate) {
        requireIssued(certificate, authority, renewal.keys());
        if (!Certificates.hostId(certificate).map(hostId::equals).orElse(false)) {
            throw new PkiException(ErrorCode.INVALID_ARGUMENT, "the renewed certificate is not this host's");
        }
        save(directory, renewal.keys().getPrivate(), certificate, authority);
        keys.swap(new SwappableKeyManager.Identity(renewal.keys().getPrivate(), List.of(certificate, authority)));
    }

    private static void requireIssued(X509Certificate certificate, X509Certificate authority, KeyPair keys) {
        try {
            certificate.verify(authority.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new PkiException(ErrorCode.INVALID_ARGUMENT, "the certificate is not signed by the CA", e);
        }
        if (!certificate.getPublicKey().equals(keys.getPublic())) {
            throw new PkiException(ErrorCode.INVALID_ARGUMENT, "the certificate is not for this agent's key");
        }
    }

    private static void save(Path directory, PrivateKey key, X509Certificate certificate, X509Certificate authority) {
        try {
            SecretFiles.privateDirectory(directory);
            SecretFiles.writePrivate(directory.resolve(AUTHORITY_FILE), Pem.certificate(authority));
            SecretFiles.writePrivate(directory.resolve(KEY_FILE + ".new"), Pem.privateKey(key));
            SecretFiles.writePrivate(directory.resolve(CERTIFICATE_FILE + ".new"), Pem.certificate(certificate));
            // the key and the certificate change together: a crash between the two moves leaves a pair that does not
            // match, which the next start detects (the handshake fails) and a new join token cures
            Files.move(
                    directory.resolve(KEY_FILE + ".new"),
                    directory.resolve(KEY_FILE),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            Files.move(
                    directory.resolve(CERTIFICATE_FILE + ".new"),
                    directory.resolve(CERTIFICATE_FILE),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the agent's identity in " + directory, e);
        }
    }

    private static X509Certificate first(List<X509Certificate> certificates) {
        if (certificates.isEmpty()) {
            throw new IllegalStateException("no certificate in the agent's identity file");
        }
        return certificates.get(0);
    }
}
