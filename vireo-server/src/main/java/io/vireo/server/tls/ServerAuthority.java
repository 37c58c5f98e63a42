package io.vireo.server.tls;

import io.vireo.common.SecretFiles;
import io.vireo.controller.port.AgentCredentialRepository;
import io.vireo.controller.port.AgentCredentialRepository.StoredAuthority;
import io.vireo.pki.CertificateAuthority;
import io.vireo.pki.Certificates;
import io.vireo.pki.SealedKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the cloud's CA from the database, or makes it at the first start (ADR 15). Its key is sealed under the
 * replica's key-encryption key, a file of 32 random bytes (hex) kept with mode 0600 in the data directory: every
 * replica needs the same file, copied from the first one, and without it the database alone cannot sign. A file that
 * does not open the stored key fails the start with a message saying so.
 */
public final class ServerAuthority {
    private static final Logger log = LoggerFactory.getLogger(ServerAuthority.class);

    /** How long a new CA is valid. */
    public static final Duration VALIDITY = Duration.ofDays(3650);

    /** The key-encryption key's file name in the data directory. */
    public static final String KEY_ENCRYPTION_KEY_FILE = "ca-key-encryption-key";

    private ServerAuthority() {}

    public static CertificateAuthority loadOrCreate(
            AgentCredentialRepository credentials, Path keyEncryptionKeyFile, Clock clock, SecureRandom random) {
        StoredAuthority stored = credentials.authority().orElse(null);
        if (stored != null && !Files.exists(keyEncryptionKeyFile)) {
            throw new IllegalStateException("the database holds a CA, but this replica has no key-encryption key to"
                    + " open it: copy " + KEY_ENCRYPTION_KEY_FILE + " from another replica's data directory to "
                    + keyEncryptionKeyFile + " (mode 0600)");
        }
        byte[] kek = keyEncryptionKey(keyEncryptionKeyFile);
        if (stored == null) {
            CertificateAuthority made = CertificateAuthority.create(clock.instant(), VALIDITY, random);
            stored = credentials.storeAuthorityIfAbsent(new StoredAuthority(
                    Certificates.der(made.certificate()),
                    SealedKeys.seal(made.privateKey(), kek, random),
                    clock.instant()));
        }
        CertificateAuthority authority = CertificateAuthority.of(
                Certificates.parse(stored.certificateDer()), SealedKeys.open(stored.sealedKey(), kek), random);
        log.info(
                "agent CA {} ({}), valid until {}",
                authority.certificate().getSubjectX500Principal().getName(),
                authority.fingerprint(),
                authority.certificate().getNotAfter().toInstant());
        return authority;
    }

    private static byte[] keyEncryptionKey(Path file) {
        try {
            byte[] key = HexFormat.of().parseHex(SecretFiles.readOrCreate(file));
            SecretFiles.privateFile(file);
            if (key.length != SealedKeys.KEY_ENCRYPTION_KEY_BYTES) {
                throw new IllegalStateException(file + " must hold " + SealedKeys.KEY_ENCRYPTION_KEY_BYTES
                        + " bytes in hex, not " + key.length);
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " does not hold a key in hex", e);
        }
    }
}
