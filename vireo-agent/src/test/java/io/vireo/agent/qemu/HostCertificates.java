package io.vireo.agent.qemu;

import io.vireo.common.SecretFiles;
import io.vireo.pki.CertificateAuthority;
import io.vireo.pki.CertificateRequests;
import io.vireo.pki.KeyPairs;
import io.vireo.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Host certificates for the migration tests, issued as the server's CA issues them and kept as an agent keeps them. */
final class HostCertificates {
    static final SecureRandom RANDOM = new SecureRandom();
    /** The cloud's CA of the tests. */
    static final CertificateAuthority CA = CertificateAuthority.create(Instant.now(), Duration.ofDays(1), RANDOM);

    private HostCertificates() {}

    /** Host {@code hostId}'s key, certificate and the CA, in {@code stateDir/identity}, from {@link #CA}. */
    static MigrationIdentity issue(Path stateDir, UUID hostId) {
        return issue(stateDir, hostId, CA);
    }

    /** The same from {@code authority}, which is also the CA the host trusts. */
    static MigrationIdentity issue(Path stateDir, UUID hostId, CertificateAuthority authority) {
        KeyPair keys = KeyPairs.generate(RANDOM);
        X509Certificate certificate = authority.issueHostCertificate(
                CertificateRequests.create(keys, hostId.toString()), hostId, Instant.now(), Duration.ofHours(1));
        Path directory = stateDir.resolve("identity");
        MigrationIdentity identity = new MigrationIdentity(
                directory.resolve("host.key"), directory.resolve("host.crt"), directory.resolve("ca.crt"));
        try {
            SecretFiles.privateDirectory(directory);
            SecretFiles.writePrivate(identity.keyFile(), Pem.privateKey(keys.getPrivate()));
            SecretFiles.writePrivate(identity.certificateFile(), Pem.certificate(certificate));
            SecretFiles.writePrivate(identity.authorityFile(), Pem.certificate(authority.certificate()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return identity;
    }
}
