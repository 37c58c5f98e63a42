package io.vireo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vireo.controller.CreateVmRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Paging through lists with limit and nextCursor. */
class PaginationTest {
    private static final int VM_COUNT = 250;

    private final ApiFixture api = new ApiFixture().withCatalog();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void pagesThroughVmsInNameOrder() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < VM_COUNT; i++) {
            String name = String.format(java.util.Locale.ROOT, "vm-%03d", i);
            api.vms.create(ApiFixture.ADMIN, new CreateVmRequest(name, "small", "cirros", null));
            expected.add(name);
        }

        List<List<String>> pages = pages("/api/v1/vms?limit=100");

        assertThat(pages).extracting(List::size).containsExactly(100, 100, 50);
        assertThat(pages.stream().flatMap(List::stream).toList()).isEqualTo(expected);
    }

    @Test
    void defaultPageIsAHundred() {
        for (int i = 0; i < 101; i++) {
            api.vms.create(ApiFixture.ADMIN, new CreateVmRequest("vm-" + i, "small", "cirros", null));
        }

        JsonNode page = api.get("/api/v1/vms").json();

        assertThat(page.path("items")).hasSize(100);
        assertThat(page.path("nextCursor").isTextual()).isTrue();
    }

    @Test
    void pagesThroughEventsBySequence() {
        for (int i = 0; i < VM_COUNT; i++) {
            api.vms.create(ApiFixture.ADMIN, new CreateVmRequest("vm-" + i, "small", "cirros", null));
        }

        List<List<String>> pages = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        String next = "/api/v1/events?limit=100";
        while (next != null) {
            JsonNode page = api.get(next).json();
            List<String> names = new ArrayList<>();
            page.path("items").forEach(event -> {
                names.add(event.path("objectName").asText());
                sequences.add(event.path("sequence").asLong());
            });
            pages.add(names);
            next = page.path("nextCursor").isNull()
                    ? null
                    : "/api/v1/events?limit=100&cursor="
                            + page.path("nextCursor").asText();
        }

        assertThat(pages).extracting(List::size).containsExactly(100, 100, 50);
        assertThat(sequences).hasSize(VM_COUNT).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void pagesThroughHostsAndFlavorsByName() {
        for (String name : List.of("e", "c", "a", "d", "b")) {
            api.registerHost("host-" + name);
            api.catalog.createFlavor("flavor-" + name, 1, 64, 0);
        }

        assertThat(pages("/api/v1/hosts?limit=2"))
                .containsExactly(List.of("host-a", "host-b"), List.of("host-c", "host-d"), List.of("host-e"));
        assertThat(pages("/api/v1/flavors?limit=3"))
                .containsExactly(List.of("flavor-a", "flavor-b", "flavor-c"), List.of("flavor-d", "flavor-e", "small"));
    }

    /** The names on each page, following nextCursor from {@code first}. */
    private List<List<String>> pages(String first) {
        List<List<String>> pages = new ArrayList<>();
        String next = first;
        while (next != null) {
            JsonNode page = api.get(next).json();
            List<String> names = new ArrayList<>();
            page.path("items").forEach(item -> names.add(item.path("name").asText()));
            pages.add(names);
            next = page.path("nextCursor").isNull()
                    ? null
                    : first + "&cursor="
                            + java.net.URLEncoder.encode(
                                    page.path("nextCursor").asText(), java.nio.charset.StandardCharsets.UTF_8);
        }
        return pages;
    }
}
