package io.vireo.images;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads the first bytes of an image file without any help from QEMU: the qcow2 header fields that make an image reach
 * outside itself (backing file, external data file), and the signatures of the formats QEMU would recognise by
 * probing, so that a file declared raw can never be another format in disguise. Pure functions; thread-safe.
 */
final class ImageHeaders {
    /** How many leading bytes the checks look at: the first qcow2 cluster at its smallest useful size. */
    static final int HEADER_BYTES = 64 * 1024;

    static final byte[] QCOW_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};

    private static final long INCOMPATIBLE_DIRTY = 1L;
    private static final long INCOMPATIBLE_CORRUPT = 1L << 1;
    private static final long INCOMPATIBLE_DATA_FILE = 1L << 2;
    private static final long INCOMPATIBLE_COMPRESSION = 1L << 3;
    private static final long INCOMPATIBLE_EXTENDED_L2 = 1L << 4;
    private static final long KNOWN_INCOMPATIBLE = INCOMPATIBLE_DIRTY
            | INCOMPATIBLE_CORRUPT
            | INCOMPATIBLE_DATA_FILE
            | INCOMPATIBLE_COMPRESSION
            | INCOMPATIBLE_EXTENDED_L2;
    private static final int EXTENSION_DATA_FILE = 0x44415441;
    private static final int V2_HEADER_LENGTH = 72;

    /** Signatures at an offset, as QEMU's format drivers probe them. */
    private record Signature(String format, int offset, byte[] bytes) {
        boolean matches(byte[] header) {
            return header.length >= offset + bytes.length
                    && Arrays.equals(header, offset, offset + bytes.length, bytes, 0, bytes.length);
        }
    }

    private static final Signature[] SIGNATURES = {
        new Signature("qcow2", 0, QCOW_MAGIC),
        new Signature("qed", 0, new byte[] {'Q', 'E', 'I', 0}),
        new Signature("vmdk", 0, ascii("KDMV")),
        new Signature("vmdk", 0, ascii("COWD")),
        new Signature("vmdk", 0, ascii("# Disk DescriptorFile")),
        new Signature("vhdx", 0, ascii("vhdxfile")),
        new Signature("vpc", 0, ascii("conectix")),
        new Signature("vdi", 64, new byte[] {0x7f, 0x10, (byte) 0xda, (byte) 0xbe}),
        new Signature("luks", 0, new byte[] {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe}),
        new Signature("parallels", 0, ascii("WithoutFreeSpace")),
        new Signature("parallels", 0, ascii("WithouFreSpacExt")),
        new Signature("bochs", 0, ascii("Bochs Virtual HD Image")),
        new Signature("cloop", 0, ascii("#!/bin/sh\n#V2.0 Format")),
        new Signature("dmg", 0, ascii("koly")),
    };

    private ImageHeaders() {}

    /** The format another driver would claim this raw image to be, if any. */
    static Optional<String> disguisedFormat(byte[] header) {
        for (Signature signature : SIGNATURES) {
            if (signature.matches(header)) {
                return Optional.of(signature.format());
            }
        }
        return Optional.empty();
    }

    /** Why this qcow2 header is unacceptable, if it is. */
    static Optional<String> qcow2Problem(byte[] header) {
        if (header.length < V2_HEADER_LENGTH || !Arrays.equals(header, 0, 4, QCOW_MAGIC, 0, 4)) {
            return Optional.of("not a qcow2 image: the file does not start with the qcow2 magic QFI\\xfb");
        }
        ByteBuffer buffer = ByteBuffer.wrap(header); // big-endian, as qcow2 is
        int version = buffer.getInt(4);
        if (version != 2 && version != 3) {
            return Optional.of("unsupported qcow2 version " + version);
        }
        if (buffer.getLong(8) != 0 || buffer.getInt(16) != 0) {
            return Optional.of("the qcow2 header names a backing file");
        }
        if (buffer.getInt(32) != 0) {
            return Optional.of("encrypted qcow2 images are not supported");
        }
        if (version == 2) {
            return Optional.empty();
        }
        if (header.length < 104) {
            return Optional.of("the qcow2 version 3 header is truncated");
        }
        long incompatible = buffer.getLong(72);
        if ((incompatible & INCOMPATIBLE_DATA_FILE) != 0) {
            return Optional.of("the qcow2 image uses an external data file");
        }
        if ((incompatible & INCOMPATIBLE_CORRUPT) != 0) {
            return Optional.of("the qcow2 image is marked corrupt");
        }
        if ((incompatible & ~KNOWN_INCOMPATIBLE) != 0) {
            return Optional.of("the qcow2 image has unknown incompatible features 0x"
                    + Long.toHexString(incompatible & ~KNOWN_INCOMPATIBLE));
        }
        return extensionProblem(buffer, buffer.getInt(100));
    }

    /** Walks the header extensions that follow the header, within the bytes read. */
    private static Optional<String> extensionProblem(ByteBuffer buffer, int headerLength) {
        if (headerLength < 104 || headerLength > buffer.capacity()) {
            return Optional.of("the qcow2 header length " + headerLength + " is not valid");
        }
        int offset = headerLength;
        while (offset + 8 <= buffer.capacity()) {
            int type = buffer.getInt(offset);
            int length = buffer.getInt(offset + 4);
            if (type == 0) {
                return Optional.empty();
            }
            if (type == EXTENSION_DATA_FILE) {
                return Optional.of("the qcow2 image names an external data file");
            }
            if (length < 0 || length > buffer.capacity()) {
                return Optional.of("a qcow2 header extension has an invalid length");
            }
            offset += 8 + ((length + 7) & ~7);
        }
        return Optional.empty();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
