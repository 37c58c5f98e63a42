package io.vireo.server.grpc;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vireo.common.VireoException;
import io.vireo.controller.ImageService;
import io.vireo.proto.agent.v1.AgentImagesGrpc;
import io.vireo.proto.agent.v1.ImageChunk;
import io.vireo.proto.agent.v1.ImageDownloadRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code AgentImages.Download}: the bytes of an uploaded image, streamed to an enrolled host over its mutual-TLS
 * connection ({@link AgentPeers#requireCertificate} admits the call), in chunks of {@link #CHUNK_BYTES}, as fast as the
 * agent reads them (gRPC flow control: a chunk is sent only when the transport is ready). The agent checks the bytes
 * against the SHA-256 and size of its desired VM. Thread-safe: each call has its own state, driven by gRPC's
 * serialised callbacks.
 */
public final class AgentImageService extends AgentImagesGrpc.AgentImagesImplBase {
    /** The size of one chunk of image bytes. */
    static final int CHUNK_BYTES = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(AgentImageService.class);

    private final ImageService images;

    public AgentImageService(ImageService images) {
        this.images = requireNonNull(images, "images is null");
    }

    @Override
    public void download(ImageDownloadRequest request, StreamObserver<ImageChunk> response) {
        AgentPeers.Peer peer = AgentPeers.CURRENT.get();
        UUID hostId = peer == null ? null : peer.hostId();
        ImageService.ImageBytes bytes;
        try {
            bytes = images.downloadForAgent(request.getImageId());
        } catch (VireoException e) {
            response.onError(status(e).withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        log.info(
                "host {}: sending image {} ({})",
                hostId,
                bytes.image().name(),
                bytes.image().id());
        ServerCallStreamObserver<ImageChunk> out = (ServerCallStreamObserver<ImageChunk>) response;
        Sender sender = new Sender(out, bytes.stream());
        out.setOnCancelHandler(sender::close);
        out.setOnReadyHandler(sender);
    }

    private static Status status(VireoException e) {
        return switch (e.code()) {
            case NOT_FOUND -> Status.NOT_FOUND;
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case CONFLICT -> Status.FAILED_PRECONDITION;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            default -> Status.INTERNAL;
        };
    }

    /** Sends chunks while the transport is ready; runs on gRPC's serialised callbacks. */
    private static final class Sender implements Runnable {
        private final ServerCallStreamObserver<ImageChunk> out;
        private final InputStream stream;
        private boolean done;

        Sender(ServerCallStreamObserver<ImageChunk> out, InputStream stream) {
            this.out = out;
            this.stream = stream;
        }

        @Override
        public void run() {
            try {
                while (!done && out.isReady()) {
                    byte[] chunk = stream.readNBytes(CHUNK_BYTES);
                    if (chunk.length == 0) {
                        close();
                        out.onCompleted();
                        return;
                    }
                    out.onNext(ImageChunk.newBuilder()
                            .setData(ByteString.copyFrom(chunk))
                            .build());
                }
            } catch (IOException e) {
                close();
                out.onError(Status.INTERNAL
                        .withDescription("cannot read the image: " + e.getMessage())
                        .asRuntimeException());
            }
        }

        void close() {
            if (!done) {
                done = true;
                try {
                    stream.close();
                } catch (IOException e) {
                    log.debug("closing an image stream failed: {}", e.toString());
                }
            }
        }
    }
}
