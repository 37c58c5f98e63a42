package io.vireo.api.http;

import io.vireo.controller.port.VmFilter;

/** The query parameters and limits of every paged list. */
public final class Paging {
    public static final String LIMIT = "limit";
    public static final String CURSOR = "cursor";
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = VmFilter.MAX_LIMIT;

    private Paging() {}
}
