package io.vireo.cli;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** JSON as the server sends it, created five minutes before {@link CliRunner#NOW}. */
final class Fixtures {
    static final String CREATED_AT = "2026-11-27T09:55:00Z";

    private Fixtures() {}

    static String vm(String name, String state, @Nullable String host) {
        return vm(name, state, host, 1, 1);
    }

    static String vm(String name, String state, @Nullable String host, long generation, long observedGeneration) {
        return """
                {"id":"id-%s","name":"%s","project":"default","state":"%s","stateReason":null,\
                "desiredState":"RUNNING","host":%s,"hostId":null,"flavor":"small","image":"debian-12","vcpus":2,\
                "memoryMib":2048,"diskGib":20,"generation":%d,"observedGeneration":%d,"epoch":1,\
                "createdAt":"%s","updatedAt":"%s","startedAt":null,"someFutureField":{"x":1}}""".formatted(
                        name,
                        name,
                        state,
                        host == null ? "null" : "\"" + host + "\"",
                        generation,
                        observedGeneration,
                        CREATED_AT,
                        CREATED_AT);
    }

    /** A running VM of gang {@code gangId} (null: created alone) migrating from {@code from} to {@code to}. */
    static String migratingVm(String name, @Nullable String gangId, String from, String to, String state) {
        String fields = """
                "gangId":%s,"migration":{"id":"m-1","state":"%s","sourceHost":"%s","destinationHost":"%s",\
                "startedAt":"2026-11-27T09:58:00Z"},"someFutureField\"""".formatted(gangId == null ? "null" : "\"" + gangId + "\"", state, from, to);
        return vm(name, "RUNNING", from).replace("\"someFutureField\"", fields);
    }

    static String errorVm(String name, String reason, @Nullable String host, long generation, long observedGeneration) {
        return vm(name, "ERROR", host, generation, observedGeneration)
                .replace("\"stateReason\":null", "\"stateReason\":\"" + reason + "\"");
    }

    static String page(@Nullable String nextCursor, String... items) {
        return "{\"items\":[" + Arrays.stream(items).collect(Collectors.joining(",")) + "],\"nextCursor\":"
                + (nextCursor == null ? "null" : "\"" + nextCursor + "\"") + "}";
    }
}
