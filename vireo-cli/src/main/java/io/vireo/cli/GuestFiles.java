package io.vireo.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the files {@code vireo vm create} takes: SSH public key files ({@code id_ed25519.pub}, or an
 * {@code authorized_keys}-style file: one key a line, blank lines and {@code #} comments skipped) and a user-data file.
 * Only reads them; the server checks what they hold. Files larger than {@link #MAX_FILE_BYTES} are refused unread.
 */
final class GuestFiles {
    /** Far more than the server accepts (64 KiB of user data, 16 keys); a larger file is not meant for this. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    private GuestFiles() {}

    /** The key lines of the files, in order. */
    static List<String> sshKeys(List<Path> files) throws IOException {
        List<String> keys = new ArrayList<>();
        for (Path file : files) {
            int before = keys.size();
            for (String line : read(file).split("\n", -1)) {
                String key = line.strip();
                if (!key.isEmpty() && !key.startsWith("#")) {
                    keys.add(key);
                }
            }
            if (keys.size() == before) {
                throw new IOException(file + " holds no public key");
            }
        }
        return keys;
    }

    static String userData(Path file) throws IOException {
        return read(file);
    }

    private static String read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IOException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        try {
            return UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text", e);
        }
    }
}
