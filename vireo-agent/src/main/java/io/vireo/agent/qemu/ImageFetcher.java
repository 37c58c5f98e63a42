package io.vireo.agent.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

/** Opens the bytes of an image the server stores. Implementations are thread-safe. */
@FunctionalInterface
public interface ImageFetcher {
    /** The bytes of image {@code imageId}, as a stream the caller reads once and closes. */
    InputStream open(UUID imageId) throws IOException;
}
