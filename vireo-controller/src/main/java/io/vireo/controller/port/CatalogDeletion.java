package io.vireo.controller.port;

/**
 * What deleting a flavor or an image came to. A flavor or image is not deleted while a VM that is not DELETED was made
 * from it (ADR 12): the VM would lose what it is, and an image's bytes what it boots from.
 */
public sealed interface CatalogDeletion {
    Deleted DELETED = new Deleted();
    NotFound NOT_FOUND = new NotFound();

    /** It was deleted. */
    record Deleted() implements CatalogDeletion {}

    /** There is none of that name. */
    record NotFound() implements CatalogDeletion {}

    /**
     * Refused, nothing changed: {@code vms} VMs that are not DELETED were made from it.
     *
     * @param vms at least 1
     */
    record InUse(long vms) implements CatalogDeletion {
        public InUse {
            if (vms < 1) {
                throw new IllegalArgumentException("vms must be positive: " + vms);
            }
        }
    }
}
