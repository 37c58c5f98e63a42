package io.vireo.api.resource;

import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.port.HostRepository;
import io.vireo.model.Host;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Checks of names and ids from paths and queries, and lookups several resources share. */
final class Lookups {
    /** Host names come from agents (often a machine's host name), so they may hold dots and capitals. */
    static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?");

    private static final int UUID_LENGTH = 36;

    private Lookups() {}

    /** {@code text} as a UUID if it is one in canonical form. */
    static Optional<UUID> uuid(String text) {
        if (text.length() != UUID_LENGTH) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Returns {@code value} if it is a valid name or a UUID; else an INVALID_ARGUMENT error naming {@code field}. */
    static String requireNameOrId(String field, String value) {
        if (!Names.isValid(value) && uuid(value).isEmpty()) {
            throw VireoException.invalid(field, "must be a name (a-z, 0-9 and inner '-', at most 63) or an id");
        }
        return value;
    }

    static Host host(HostRepository hosts, String field, String nameOrId) {
        Optional<UUID> id = uuid(nameOrId);
        if (id.isPresent()) {
            return hosts.find(id.get()).orElseThrow(() -> VireoException.notFound("host", nameOrId));
        }
        if (!HOST_NAME.matcher(nameOrId).matches()) {
            throw VireoException.invalid(field, "must be a host name or id");
        }
        return hosts.findByName(nameOrId).orElseThrow(() -> VireoException.notFound("host", nameOrId));
    }
}
