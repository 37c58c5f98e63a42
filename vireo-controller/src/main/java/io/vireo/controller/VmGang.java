package io.vireo.controller;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.UUID;

/**
 * The VMs one create with a count made: they share {@code gangId} and are placed all or none. {@code members} are in
 * member order ({@code web-1}, {@code web-2}, …, {@code web-10}).
 */
public record VmGang(UUID gangId, List<io.vireo.model.Vm> members) {
    public VmGang {
        requireNonNull(gangId, "gangId is null");
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a gang has at least one member");
        }
    }
}
