package io.vireo.model;

/**
 * Where an image's bytes stand. Only {@link #ACTIVE} images can be used by a VM.
 *
 * <pre>
 * PENDING --upload--> UPLOADING --verified and inspected--> ACTIVE
 *    ^                    |
 *    |                    +--checksum mismatch, too large, rejected by inspection--> REJECTED --upload again--> UPLOADING
 *    +--upload interrupted--+   (client stream cut short, or its server replica stopped: the reason says which)
 * </pre>
 */
public enum ImageStatus {
    /**
     * The record exists; no bytes have been accepted yet. After an interrupted upload the reason says so, and the
     * image takes a new upload.
     */
    PENDING,
    /**
     * Bytes are being received and inspected by one server replica, which renews its claim on the upload; an upload
     * whose replica stopped is reclaimed (back to PENDING) by that replica's restart or, once stale, by any replica.
     */
    UPLOADING,
    /** Verified bytes (or, without a checksum, a host-local image): VMs may use it. */
    ACTIVE,
    /** The last upload was refused; the reason says why. No bytes are kept. */
    REJECTED
}
