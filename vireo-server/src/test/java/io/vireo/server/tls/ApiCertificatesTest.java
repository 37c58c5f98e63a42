package io.vireo.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.api.ApiTlsIdentity;
import io.vireo.common.SecretFiles;
import io.vireo.pki.CertificateAuthority;
import io.vireo.pki.KeyPairs;
import io.vireo.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API's certificate: the names the CA's carries, and the checks on an operator's files. */
class ApiCertificatesTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.now();
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final CertificateAuthority CA = CertificateAuthority.create(NOW, Duration.ofDays(30), RANDOM);

    @TempDir
    Path directory;

    @Test
    void theCasCertificateNamesLoopbackTheBoundAddressAndTheExtraNames() throws Exception {
        assertThat(ApiCertificates.names("10.0.0.5", List.of("vireo.example.test")))
                .containsExactly("localhost", "127.0.0.1", "::1", "10.0.0.5", "vireo.example.test");
        assertThat(ApiCertificates.names("127.0.0.1", List.of())).containsExactly("localhost", "127.0.0.1", "::1");
        assertThat(ApiCertificates.names("0.0.0.0", List.of())).contains("localhost", "127.0.0.1");

        ApiTlsIdentity issued = ApiCertificates.issue(CA, "10.0.0.5", List.of("vireo.example.test"), CLOCK, RANDOM);
        assertThat(issued.chain()).containsExactly(issued.leaf(), CA.certificate());
        assertThat(issued.leaf().getSubjectAlternativeNames())
                .contains(List.of(2, "vireo.example.test"), List.of(7, "10.0.0.5"), List.of(2, "localhost"));
        assertThat(issued.leaf().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(ApiCertificates.trustAnchor(issued)).contains(CA.certificate());
    }

    @Test
    void anOperatorsChainAndKeyAreLoadedAndTheTopOfTheChainIsWhatClientsTrust() throws Exception {
        KeyPair keys = KeyPairs.generate(RANDOM);
        X509Certificate leaf = leaf(keys);
        Path certificate = write("api.crt", Pem.certificate(leaf) + Pem.certificate(CA.certificate()));
        Path key = secret("api.key", Pem.privateKey(keys.getPrivate()));

        ApiTlsIdentity loaded = ApiCertificates.load(new ApiTls.OperatorSupplied(certificate, key), CLOCK);

        assertThat(loaded.chain()).containsExactly(leaf, CA.certificate());
        assertThat(ApiCertificates.trustAnchor(loaded)).contains(CA.certificate());
        Path alone = write("leaf.crt", Pem.certificate(leaf));
        assertThat(ApiCertificates.trustAnchor(ApiCertificates.load(new ApiTls.OperatorSupplied(alone, key), CLOCK)))
                .as("a leaf of a CA not supplied: the system's CAs are trusted")
                .isEmpty();
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws Exception {
        Path certificate = write("api.crt", Pem.certificate(leaf(KeyPairs.generate(RANDOM))));
        Path key = secret("api.key", Pem.privateKey(KeyPairs.generate(RANDOM).getPrivate()));

        assertThatThrownBy(() -> ApiCertificates.load(new ApiTls.OperatorSupplied(certificate, key), CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not the key of the certificate");
    }

    @Test
    void aKeyEveryUserCanReadIsRefused() throws Exception {
        KeyPair keys = KeyPairs.generate(RANDOM);
        Path certificate = write("api.crt", Pem.certificate(leaf(keys)));
        Path key = write("api.key", Pem.privateKey(keys.getPrivate()));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> ApiCertificates.load(new ApiTls.OperatorSupplied(certificate, key), CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("readable by every user");
    }

    @Test
    void filesThatAreNotPemAreRefusedNamingTheFile() throws Exception {
        KeyPair keys = KeyPairs.generate(RANDOM);
        Path certificate = write("api.crt", Pem.certificate(leaf(keys)));
        Path notKey = secret("api.key", "not a key\n");
        Path notCertificate = write("other.crt", "nothing here\n");

        assertThatThrownBy(() -> ApiCertificates.load(new ApiTls.OperatorSupplied(certificate, notKey), CLOCK))
                .hasMessageContaining(notKey.toString());
        Path key = secret("k", Pem.privateKey(keys.getPrivate()));
        assertThatThrownBy(() -> ApiCertificates.load(new ApiTls.OperatorSupplied(notCertificate, key), CLOCK))
                .hasMessageContaining(notCertificate.toString());
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        KeyPair keys = KeyPairs.generate(RANDOM);
        Path certificate = write("api.crt", Pem.certificate(leaf(keys)));
        Path key = secret("api.key", Pem.privateKey(keys.getPrivate()));
        Clock later = Clock.fixed(NOW.plus(Duration.ofDays(2)), ZoneOffset.UTC);

        assertThatThrownBy(() -> ApiCertificates.load(new ApiTls.OperatorSupplied(certificate, key), later))
                .hasMessageContaining("expired");
    }

    private static X509Certificate leaf(KeyPair keys) {
        return CA.issueServerCertificate(keys.getPublic(), List.of("api.example.test"), NOW, Duration.ofDays(1));
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(directory.resolve(name), content);
    }

    private Path secret(String name, String content) throws Exception {
        Path file = directory.resolve(name);
        SecretFiles.writePrivate(file, content);
        return file;
    }
}
