package io.vireo.controller.alerts;

import java.util.List;

/** What a rule looks for: the label sets for which it holds in the inputs of one evaluation. Pure. */
@FunctionalInterface
public interface AlertCondition {
    List<AlertCandidate> holdsFor(AlertInputs inputs);
}
