package io.vireo.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final CertificateAuthority CA =
            CertificateAuthority.create(Instant.now(), Duration.ofDays(3650), RANDOM);

    @Test
    void aHostCertificateIsBoundToTheHostIdAndSignedByTheAuthority() throws Exception {
        UUID hostId = UUID.randomUUID();
        KeyPair keys = KeyPairs.generate(RANDOM);

        X509Certificate certificate = CA.issueHostCertificate(
                CertificateRequests.create(keys, "whatever-the-agent-says"), hostId, NOW, Duration.ofDays(30));

        certificate.verify(CA.certificate().getPublicKey());
        assertThat(certificate.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(Certificates.hostId(certificate)).contains(hostId);
        // the subject as GnuTLS names a TLS peer to QEMU's authz-simple: the RDNs in their encoded order
        assertThat(org.bouncycastle.asn1.x500.X500Name.getInstance(
                                certificate.getSubjectX500Principal().getEncoded())
                        .toString())
                .isEqualTo(Certificates.hostDistinguishedName(hostId));
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.1");
        assertThat(certificate.getSubjectAlternativeNames()).contains(List.of(2, hostId + ".host.vireo"));
        assertThat(certificate.getKeyUsage()[0]).as("digital signature").isTrue();
        assertThat(certificate.getKeyUsage()[2])
                .as("key encipherment (QEMU 7.2 requires it)")
                .isTrue();
        assertThat(Certificates.servesMigrations(certificate)).isTrue();
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(certificate.getNotBefore().toInstant()).isBefore(NOW);
    }

    @Test
    void noCertificateOutlivesTheAuthority() {
        CertificateAuthority shortLived = CertificateAuthority.create(NOW, Duration.ofDays(10), RANDOM);
        X509Certificate certificate = shortLived.issueHostCertificate(
                CertificateRequests.create(KeyPairs.generate(RANDOM), "h"),
                UUID.randomUUID(),
                NOW,
                Duration.ofDays(30));
        assertThat(certificate.getNotAfter()).isEqualTo(shortLived.certificate().getNotAfter());
    }

    @Test
    void aRequestSignedByAnotherKeyOrGarbledIsRefused() {
        byte[] request = CertificateRequests.create(KeyPairs.generate(RANDOM), "h");
        byte[] tampered = Arrays.copyOf(request, request.length);
        tampered[tampered.length - 5] ^= 0x01; // inside the signature

        assertThatThrownBy(() -> CA.issueHostCertificate(tampered, UUID.randomUUID(), NOW, Duration.ofDays(1)))
                .isInstanceOf(PkiException.class)
                .satisfies(e -> assertThat(((PkiException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(
                        () -> CA.issueHostCertificate(new byte[] {1, 2, 3}, UUID.randomUUID(), NOW, Duration.ofDays(1)))
                .isInstanceOf(PkiException.class);
        assertThatThrownBy(() -> CA.issueHostCertificate(new byte[0], UUID.randomUUID(), NOW, Duration.ofDays(1)))
                .isInstanceOf(PkiException.class);
    }

    @Test
    void aServerCertificateNamesTheServiceAndNoHost() throws Exception {
        X509Certificate certificate = CA.issueServerCertificate(
                KeyPairs.generate(RANDOM).getPublic(), List.of("localhost", "127.0.0.1"), NOW, Duration.ofDays(1));

        certificate.verify(CA.certificate().getPublicKey());
        assertThat(certificate.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(
                        List.of(2, CertificateAuthority.SERVER_NAME), List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(Certificates.hostId(certificate)).isEmpty();
    }

    @Test
    void theSealedKeyOpensOnlyWithItsKeyEncryptionKey() {
        byte[] kek = new byte[SealedKeys.KEY_ENCRYPTION_KEY_BYTES];
        RANDOM.nextBytes(kek);
        byte[] sealed = SealedKeys.seal(CA.privateKey(), kek, RANDOM);

        CertificateAuthority reopened = CertificateAuthority.of(CA.certificate(), SealedKeys.open(sealed, kek), RANDOM);
        assertThat(reopened.fingerprint()).isEqualTo(CA.fingerprint());
        assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(new String(CA.privateKey().getEncoded(), java.nio.charset.StandardCharsets.ISO_8859_1));

        byte[] otherKek = kek.clone();
        otherKek[0] ^= 0x01;
        assertThatThrownBy(() -> SealedKeys.open(sealed, otherKek))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("key-encryption key");
        byte[] modified = sealed.clone();
        modified[modified.length - 1] ^= 0x01;
        assertThatThrownBy(() -> SealedKeys.open(modified, kek)).isInstanceOf(PkiException.class);
    }

    @Test
    void anAuthorityWithAnotherCertificatesKeyIsRefused() {
        CertificateAuthority other = CertificateAuthority.create(NOW, Duration.ofDays(1), RANDOM);
        assertThatThrownBy(() -> CertificateAuthority.of(CA.certificate(), other.privateKey(), RANDOM))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void pemRoundTrips() {
        KeyPair keys = KeyPairs.generate(RANDOM);
        X509Certificate certificate = CA.issueHostCertificate(
                CertificateRequests.create(keys, "h"), UUID.randomUUID(), NOW, Duration.ofDays(1));

        assertThat(Pem.certificates(Pem.certificate(certificate) + Pem.certificate(CA.certificate())))
                .containsExactly(certificate, CA.certificate());
        assertThat(Pem.privateKey(Pem.privateKey(keys.getPrivate()))).isEqualTo(keys.getPrivate());
    }

    @Test
    void thePinnedTrustManagerAcceptsOnlyTheServerCertificateOfThePinnedAuthority() throws Exception {
        X509Certificate server = CA.issueServerCertificate(
                KeyPairs.generate(RANDOM).getPublic(), List.of(), Instant.now(), Duration.ofDays(1));
        X509Certificate host = CA.issueHostCertificate(
                CertificateRequests.create(KeyPairs.generate(RANDOM), "h"),
                UUID.randomUUID(),
                Instant.now(),
                Duration.ofDays(1));
        CertificateAuthority other = CertificateAuthority.create(Instant.now(), Duration.ofDays(1), RANDOM);
        X509Certificate otherServer = other.issueServerCertificate(
                KeyPairs.generate(RANDOM).getPublic(), List.of(), Instant.now(), Duration.ofDays(1));
        X509TrustManager pinned = new PinnedCaTrustManager(CA.fingerprint());

        pinned.checkServerTrusted(new X509Certificate[] {server, CA.certificate()}, "ECDHE_ECDSA");
        assertThatThrownBy(
                        () -> pinned.checkServerTrusted(new X509Certificate[] {otherServer, other.certificate()}, "x"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("not the one pinned");
        assertThatThrownBy(() -> pinned.checkServerTrusted(new X509Certificate[] {otherServer, CA.certificate()}, "x"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("not signed by the pinned CA");
        // a host's certificate serves migration streams, never as the server
        assertThatThrownBy(() -> pinned.checkServerTrusted(new X509Certificate[] {host, CA.certificate()}, "x"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("not for " + CertificateAuthority.SERVER_NAME);
        assertThatThrownBy(() -> pinned.checkServerTrusted(new X509Certificate[] {server}, "x"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void fingerprintsAreSha256OfTheDer() {
        assertThat(CA.fingerprint().hex()).hasSize(64).matches("[0-9a-f]+");
        assertThat(CA.fingerprint().matches(CA.certificate())).isTrue();
        assertThatThrownBy(() -> new Fingerprint("abc")).isInstanceOf(IllegalArgumentException.class);
    }
}
