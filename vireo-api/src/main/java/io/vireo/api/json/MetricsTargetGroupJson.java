package io.vireo.api.json;

import java.util.List;
import java.util.Map;

@Doc("A group of scrape targets in the format of Prometheus's HTTP service discovery (http_sd_configs).")
public record MetricsTargetGroupJson(
        @Doc("host:port of each target.") List<String> targets,

        @Doc("Labels of the group's targets: __meta_vireo_host_id and __meta_vireo_host_name.")
        Map<String, String> labels) {
    public MetricsTargetGroupJson {
        targets = List.copyOf(targets);
        labels = Map.copyOf(labels);
    }
}
