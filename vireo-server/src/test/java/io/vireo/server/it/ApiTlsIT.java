package io.vireo.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.cli.CliEnvironment;
import io.vireo.cli.VireoCli;
import io.vireo.common.SecretFiles;
import io.vireo.pki.CertificateAuthority;
import io.vireo.pki.KeyPairs;
import io.vireo.pki.Pem;
import io.vireo.pki.TrustManagers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over HTTPS (ADR 20), with real server processes: by default with a certificate of the cloud's CA, which the
 * CLI trusts from the data directory, from {@code --ca-file} or from what {@code vireo login} kept; with the
 * operator's certificate when given one. Clients that do not trust the CA, and plain HTTP, get nothing.
 */
class ApiTlsIT {
    @TempDir
    Path dataDir;

    @TempDir
    Path home;

    private record Run(int exitCode, String out, String err) {}

    private Run cli(Map<String, String> variables, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment environment = CliEnvironment.of(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        variables)
                .withUserHome(home);
        int exitCode = VireoCli.execute(args, environment, List.of());
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCliTrustsTheCloudsCaFromTheDataDirectoryAnOptionOrItsLogin() throws Exception {
        try (Cluster cluster = new Cluster(dataDir, "api-tls")) {
            String url = "https://127.0.0.1:" + cluster.apiPort;
            Path ca = dataDir.resolve("api-ca.pem");
            assertThat(Files.readString(dataDir.resolve("api-url")).strip()).isEqualTo(url);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca)))
                    .isEqualTo("rw-------");
            String token = Files.readString(dataDir.resolve("admin-token")).strip();
            Map<String, String> none = Map.of();

            Run local = cli(none, "flavor", "list", "--data-dir", dataDir.toString());
            assertThat(local.exitCode()).as(local.err()).isZero();
            assertThat(local.out()).contains("small");

            Run untrusted = cli(none, "flavor", "list", "--url", url, "--token", token);
            assertThat(untrusted.exitCode()).isEqualTo(1);
            assertThat(untrusted.err()).contains("TLS handshake failed").contains("--ca-file");

            Run option = cli(none, "flavor", "list", "--url", url, "--token", token, "--ca-file", ca.toString());
            assertThat(option.exitCode()).as(option.err()).isZero();
            Run variable =
                    cli(Map.of("VIREO_CA_FILE", ca.toString()), "flavor", "list", "--url", url, "--token", token);
            assertThat(variable.exitCode()).as(variable.err()).isZero();

            Path config = home.resolve("config");
            Map<String, String> withConfig = new HashMap<>(Map.of("VIREO_CONFIG_DIR", config.toString()));
            Run login = cli(
                    withConfig,
                    "login",
                    "--user",
                    "admin",
                    "--password-file",
                    dataDir.resolve("admin-password").toString(),
                    "--data-dir",
                    dataDir.toString());
            assertThat(login.exitCode()).as(login.err()).isZero();
            Path kept = config.resolve("ca.pem");
            assertThat(Files.readString(kept)).isEqualTo(Files.readString(ca));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)))
                    .isEqualTo("rw-------");
            // with the data directory out of reach, the login's own CA is what the CLI trusts
            Run whoami = cli(
                    withConfig, "whoami", "--data-dir", home.resolve("nowhere").toString());
            assertThat(whoami.exitCode()).as(whoami.err()).isZero();
            assertThat(whoami.out()).contains("admin");
        }
    }

    @Test
    void clientsThatDoNotTrustTheCaAndPlainHttpGetNoAnswer() throws Exception {
        try (Cluster cluster = new Cluster(dataDir, "api-tls-refused");
                HttpClient system = HttpClient.newHttpClient()) {
            HttpRequest https = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + cluster.apiPort + "/healthz"))
                    .timeout(Duration.ofSeconds(10))
                    .build();
            assertThatThrownBy(() -> system.send(https, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
            HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.apiPort + "/healthz"))
                    .timeout(Duration.ofSeconds(10))
                    .build();
            assertThatThrownBy(() -> system.send(plain, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            assertThat(cluster.api().get("/hosts").status()).as("HTTPS goes on").isEqualTo(200);
        }
    }

    @Test
    void anOperatorsCertificateIsServedAndItsCaWrittenForTheCli() throws Exception {
        SecureRandom random = new SecureRandom();
        Instant now = Instant.now();
        CertificateAuthority operatorCa = CertificateAuthority.create(now, Duration.ofDays(2), random);
        KeyPair keys = KeyPairs.generate(random);
        X509Certificate leaf = operatorCa.issueServerCertificate(
                keys.getPublic(), List.of("127.0.0.1", "api.example.test"), now, Duration.ofDays(1));
        Path files = Files.createDirectories(home.resolve("operator"));
        Path certificate = files.resolve("api.crt");
        Path key = files.resolve("api.key");
        Files.writeString(certificate, Pem.certificate(leaf) + Pem.certificate(operatorCa.certificate()));
        SecretFiles.writePrivate(key, Pem.privateKey(keys.getPrivate()));

        try (Cluster cluster = new Cluster(
                        dataDir,
                        "api-tls-operator",
                        List.of("--api-tls-cert", certificate.toString(), "--api-tls-key", key.toString()));
                HttpClient client = trusting(operatorCa.certificate())) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + cluster.apiPort + "/healthz"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.sslSession().orElseThrow().getPeerCertificates()[0])
                    .isEqualTo(leaf);
            assertThat(Pem.certificates(Files.readString(dataDir.resolve("api-ca.pem"))))
                    .containsExactly(operatorCa.certificate());
            Run local = cli(Map.of(), "host", "list", "--data-dir", dataDir.toString());
            assertThat(local.exitCode()).as(local.err()).isZero();
        }
    }

    private static HttpClient trusting(X509Certificate authority) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, TrustManagers.trusting(authority), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }
}
