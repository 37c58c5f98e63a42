package io.vireo.controller.alerts;

import java.util.Map;

/**
 * One set of labels for which a rule's condition holds now, with the annotations that describe it. The labels tell
 * alerts of one rule apart (a host's id, say) and must not change while the cause lasts; annotations may.
 */
public record AlertCandidate(Map<String, String> labels, Map<String, String> annotations) {
    public AlertCandidate {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
