package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.pki.CertificateAuthority;
import io.vireo.pki.KeyPairs;
import io.vireo.pki.TrustManagers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/**
 * The API over TLS: a real handshake with a client that trusts the CA, HSTS on every answer, a client that trusts
 * another CA refused, and plain HTTP to the TLS port closed without an answer while HTTPS goes on working.
 */
class ApiTlsTest {
    private static final Instant NOW = Instant.now();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final CertificateAuthority CA = CertificateAuthority.create(NOW, Duration.ofDays(1), RANDOM);

    private static ApiTlsIdentity identity() {
        KeyPair keys = KeyPairs.generate(RANDOM);
        X509Certificate certificate = CA.issueServerCertificate(
                keys.getPublic(), List.of("localhost", "127.0.0.1"), NOW, Duration.ofHours(1));
        return new ApiTlsIdentity(keys.getPrivate(), List.of(certificate, CA.certificate()));
    }

    private static HttpClient trusting(CertificateAuthority authority) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, TrustManagers.trusting(authority.certificate()), null);
        return HttpClient.newBuilder()
                .sslContext(context)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static HttpRequest get(String url, String path) {
        return HttpRequest.newBuilder(URI.create(url + path))
                .header("Authorization", "Bearer " + ApiFixture.TOKEN)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    @Test
    void aClientTrustingTheCaGetsAnswersWithHsts() throws Exception {
        ApiTlsIdentity served = identity();
        try (ApiFixture api = ApiFixture.withTls(served);
                HttpClient client = trusting(CA)) {
            for (String host : List.of("127.0.0.1", "localhost")) {
                HttpResponse<String> response = client.send(
                        get("https://" + host + ":" + api.port, "/api/v1/flavors"),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(host).isEqualTo(200);
                assertThat(response.headers().firstValue("Strict-Transport-Security"))
                        .contains("max-age=31536000");
                SSLSession session = response.sslSession().orElseThrow();
                assertThat(session.getProtocol()).isIn("TLSv1.3", "TLSv1.2");
                assertThat(session.getPeerCertificates()[0]).isEqualTo(served.leaf());
            }
            HttpResponse<String> missing = client.send(
                    get("https://127.0.0.1:" + api.port, "/api/v1/no-such-route"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Strict-Transport-Security"))
                    .isPresent();
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCaIsRefused() throws Exception {
        CertificateAuthority other = CertificateAuthority.create(NOW, Duration.ofDays(1), RANDOM);
        try (ApiFixture api = ApiFixture.withTls(identity());
                HttpClient client = trusting(other);
                HttpClient system = HttpClient.newHttpClient()) {
            for (HttpClient untrusting : List.of(client, system)) {
                assertThatThrownBy(() -> untrusting.send(
                                get("https://127.0.0.1:" + api.port, "/api/v1/flavors"),
                                HttpResponse.BodyHandlers.ofString()))
                        .isInstanceOf(SSLHandshakeException.class);
            }
        }
    }

    @Test
    void aHostNameTheCertificateDoesNotCarryIsRefused() throws Exception {
        KeyPair keys = KeyPairs.generate(RANDOM);
        X509Certificate elsewhere =
                CA.issueServerCertificate(keys.getPublic(), List.of("api.example.test"), NOW, Duration.ofHours(1));
        try (ApiFixture api = ApiFixture.withTls(
                        new ApiTlsIdentity(keys.getPrivate(), List.of(elsewhere, CA.certificate())));
                HttpClient client = trusting(CA)) {
            assertThatThrownBy(() -> client.send(
                            get("https://127.0.0.1:" + api.port, "/api/v1/flavors"),
                            HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("127.0.0.1");
        }
    }

    @Test
    void plainHttpToTheTlsPortIsClosedWithoutAnAnswer() throws Exception {
        try (ApiFixture api = ApiFixture.withTls(identity());
                HttpClient client = trusting(CA);
                HttpClient plain = HttpClient.newHttpClient()) {
            assertThatThrownBy(() -> plain.send(
                            get("http://127.0.0.1:" + api.port, "/api/v1/flavors"),
                            HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            // at the socket: the request gets no HTTP answer, the connection ends (a TLS alert at most)
            try (Socket socket = new Socket("127.0.0.1", api.port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET /api/v1/flavors HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                                + ApiFixture.TOKEN + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] answer = in.readAllBytes();
                assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.1");
            }
            HttpResponse<String> after = client.send(
                    get("https://127.0.0.1:" + api.port, "/api/v1/flavors"), HttpResponse.BodyHandlers.ofString());
            assertThat(after.statusCode()).as("HTTPS still works").isEqualTo(200);
        }
    }
}
