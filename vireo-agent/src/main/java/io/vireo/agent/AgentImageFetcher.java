package io.vireo.agent;

import static java.util.Objects.requireNonNull;

import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.vireo.agent.qemu.ImageFetcher;
import io.vireo.pki.CertificateAuthority;
import io.vireo.proto.agent.v1.AgentImagesGrpc;
import io.vireo.proto.agent.v1.ImageChunk;
import io.vireo.proto.agent.v1.ImageDownloadRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.UUID;

/**
 * Fetches uploaded images from the server over mutual TLS with the host's certificate ({@code AgentImages.Download}),
 * on a channel of its own made for each download from the identity in {@link AgentConfig#identityDir()}: downloads are
 * rare and long, and must not hold up the agent's stream. The stream is read chunk by chunk as the caller reads
 * (gRPC's flow control keeps the server from sending ahead); closing it early cancels the call. The caller verifies
 * the bytes. Thread-safe.
 */
public final class AgentImageFetcher implements ImageFetcher {
    private final AgentConfig config;

    public AgentImageFetcher(AgentConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    public InputStream open(UUID imageId) throws IOException {
        AgentIdentity identity = AgentIdentity.load(config.identityDir())
                .orElseThrow(() ->
                        new IOException("this agent is not enrolled yet: no certificate in " + config.identityDir()));
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                        config.serverHost(), config.serverPort(), identity.channelCredentials())
                .overrideAuthority(CertificateAuthority.SERVER_NAME)
                .maxInboundMessageSize(config.maxMessageBytes())
                .build();
        Context.CancellableContext call = Context.current().withCancellation();
        Context previous = call.attach();
        try {
            Iterator<ImageChunk> chunks = AgentImagesGrpc.newBlockingStub(channel)
                    .download(ImageDownloadRequest.newBuilder()
                            .setImageId(imageId.toString())
                            .build());
            return new ChunkStream(chunks, call, channel, imageId);
        } catch (RuntimeException e) {
            call.cancel(e);
            channel.shutdownNow();
            throw e;
        } finally {
            call.detach(previous);
        }
    }

    /** The chunks of one download as a stream; closing it cancels the call and ends the channel. */
    private static final class ChunkStream extends InputStream {
        private final Iterator<ImageChunk> chunks;
        private final Context.CancellableContext call;
        private final ManagedChannel channel;
        private final UUID imageId;
        private byte[] current = new byte[0];
        private int position;
        private boolean closed;

        ChunkStream(
                Iterator<ImageChunk> chunks, Context.CancellableContext call, ManagedChannel channel, UUID imageId) {
            this.chunks = chunks;
            this.call = call;
            this.channel = channel;
            this.imageId = imageId;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int read = read(one, 0, 1);
            return read < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (closed) {
                throw new IOException("the image stream is closed");
            }
            if (length == 0) {
                return 0;
            }
            while (position == current.length) {
                if (!next()) {
                    return -1;
                }
            }
            int count = Math.min(length, current.length - position);
            System.arraycopy(current, position, buffer, offset, count);
            position += count;
            return count;
        }

        private boolean next() throws IOException {
            try {
                if (!chunks.hasNext()) {
                    return false;
                }
                current = chunks.next().getData().toByteArray();
                position = 0;
                return true;
            } catch (StatusRuntimeException e) {
                throw new IOException("the server could not send image " + imageId + ": " + e.getStatus(), e);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                call.cancel(null);
                channel.shutdownNow();
            }
        }
    }
}
