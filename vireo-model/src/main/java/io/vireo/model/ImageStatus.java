package io.vireo.model;

/**
 * Where an image's bytes stand. Only {@link #ACTIVE} images can be used by a VM.
 *
 * <pre>
 * PENDING --upload--> UPLOADING --verified and inspected--> ACTIVE
 *    ^                    |
 *    |                    +--checksum mismatch, too large, rejected by inspection--> REJECTED --upload again--> UPLOADING
 *    +--upload interrupted--+
 * </pre>
 */
public enum ImageStatus {
    /** The record exists; no bytes have been accepted yet. */
    PENDING,
    /** Bytes are being received and inspected. */
    UPLOADING,
    /** Verified bytes (or, without a checksum, a host-local image): VMs may use it. */
    ACTIVE,
    /** The last upload was refused; the reason says why. No bytes are kept. */
    REJECTED
}
