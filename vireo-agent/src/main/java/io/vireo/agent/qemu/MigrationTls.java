package io.vireo.agent.qemu;

import io.vireo.agent.hypervisor.HypervisorException;
import io.vireo.common.SecretFiles;
import io.vireo.pki.Certificates;
import io.vireo.pki.Pem;
import io.vireo.pki.PkiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * TLS for the two streams of a live migration (ADR 20), with QEMU's {@code tls-creds-x509} objects made from the
 * host's own certificate and key and the cloud's CA. The destination is the TLS server of both streams (its NBD
 * server receives the disks, its migration listener the memory) and admits only the source host's certificate (an
 * {@code authz-simple} object naming its subject, {@link Certificates#hostDistinguishedName}); the source is the
 * client and checks that the destination presents the destination host's certificate ({@code tls-hostname}
 * {@link Certificates#hostDnsName}). Both sides check the peer's chain to the CA ({@code verify-peer}).
 *
 * <p>QEMU reads credentials from files in a directory: they are copied, mode 0600, into a 0700 directory of the VM's
 * own ({@code tls/}), loaded by {@code object-add}, and deleted at once, whatever happens. Every name in them comes
 * from the agent's files and host ids, never from a user. Stateless.
 */
final class MigrationTls {
    static final String DIRECTORY = "tls";
    private static final String CA_FILE = "ca-cert.pem";

    /** The ids of the objects the destination made: its credentials and who may connect. */
    record Listening(String credentials, String authorization) {}

    /** The id of the source's credentials and the name the destination's certificate must carry. */
    record Dialing(String credentials, String hostname) {}

    private MigrationTls() {}

    /** Destination: server credentials, and an authorization that admits the source host alone. */
    static Listening listen(
            QemuInstance destination, MigrationIdentity identity, Path vmDirectory, UUID sourceHostId, String suffix) {
        String credentials = "vireo-migration-tls-" + suffix;
        String authorization = "vireo-migration-peer-" + suffix;
        load(destination, identity, vmDirectory, "server", credentials);
        destination.execute(
                "object-add",
                Map.of(
                        "qom-type",
                        "authz-simple",
                        "id",
                        authorization,
                        "identity",
                        Certificates.hostDistinguishedName(sourceHostId)));
        return new Listening(credentials, authorization);
    }

    /** Source: client credentials, and the name the destination host's certificate carries. */
    static Dialing dial(
            QemuInstance source, MigrationIdentity identity, Path vmDirectory, UUID destinationHostId, String suffix) {
        String credentials = "vireo-migration-tls-" + suffix;
        load(source, identity, vmDirectory, "client", credentials);
        return new Dialing(credentials, Certificates.hostDnsName(destinationHostId));
    }

    /** Best effort: removes objects made for a migration that is over (a source may migrate again later). */
    static void forget(QemuInstance instance, String... ids) {
        for (String id : ids) {
            try {
                instance.execute("object-del", Map.of("id", id));
            } catch (HypervisorException e) {
                // still in use or never made: it goes with the process
            }
        }
    }

    /** Writes the files QEMU expects for {@code endpoint}, has QEMU load them, and deletes them. */
    private static void load(
            QemuInstance instance, MigrationIdentity identity, Path vmDirectory, String endpoint, String id) {
        if (!identity.present()) {
            throw new HypervisorException("live migration needs this host's certificate (" + identity.certificateFile()
                    + "): the agent has not enrolled");
        }
        Path directory = vmDirectory.resolve(DIRECTORY);
        try {
            SecretFiles.privateDirectory(directory);
            String certificate = read(identity.certificateFile());
            PrivateKey key = Pem.privateKey(read(identity.keyFile()));
            PublicKey publicKey = Pem.certificates(certificate).getFirst().getPublicKey();
            SecretFiles.writePrivate(directory.resolve(CA_FILE), read(identity.authorityFile()));
            SecretFiles.writePrivate(directory.resolve(endpoint + "-cert.pem"), certificate);
            SecretFiles.writePrivate(
                    directory.resolve(endpoint + "-key.pem"), Pem.privateKeyWithPublicKey(key, publicKey));
            instance.execute(
                    "object-add",
                    Map.of(
                            "qom-type",
                            "tls-creds-x509",
                            "id",
                            id,
                            "endpoint",
                            endpoint,
                            "dir",
                            directory.toAbsolutePath().toString(),
                            "verify-peer",
                            true));
        } catch (IOException | PkiException | NoSuchElementException e) {
            throw new HypervisorException("cannot prepare the migration's TLS credentials: " + e.getMessage(), e);
        } finally {
            deleteDirectory(directory);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII);
    }

    private static void deleteDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new HypervisorException("cannot delete the migration's TLS credentials in " + directory, e);
        }
    }
}
