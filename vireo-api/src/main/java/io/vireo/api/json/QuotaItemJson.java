package io.vireo.api.json;

import org.jspecify.annotations.Nullable;

@Doc("One resource of a quota: its limit and what the project uses.")
public record QuotaItemJson(
        @Doc("The limit; null: unlimited.") @Nullable Long limit,

        @Doc("What the project's VMs that are not DELETED, or its volumes, hold now.")
        long used) {}
